"""Per-task random generators: derived from ``(seed, task index)``, never from scheduling order.

>>> task_rng(0, 3).random() == task_rng(0, 3).random()
True
>>> task_rng(0, 3).random() == task_rng(0, 4).random()
False
"""

from __future__ import annotations

import random
import zlib

import numpy as np

__all__ = ["task_rng", "task_np_rng"]


def task_rng(seed: int, index: int, salt: str = "") -> random.Random:
    """A ``random.Random`` for task ``index`` of a run seeded with ``seed``."""
    return random.Random(f"splinesym:{salt}:{seed}:{index}")


def task_np_rng(seed: int, index: int, salt: str = "") -> np.random.Generator:
    """A numpy generator for task ``index`` of a run seeded with ``seed``."""
    return np.random.default_rng([zlib.crc32(salt.encode()), int(seed), int(index)])
