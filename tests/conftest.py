"""Shared fixtures (the helpers themselves live in oracle.py).

Hypothesis runs derandomised so that every run, CI's included, tests the same examples; set
``HYPOTHESIS_PROFILE=explore`` to draw fresh ones.
"""

import os

import pytest
from hypothesis import settings
from oracle import assert_matches_oracle, random_point  # noqa: F401

settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def oracle_check():
    return assert_matches_oracle
