"""Shared fixtures (the helpers themselves live in oracle.py)."""

import pytest
from oracle import assert_matches_oracle, random_point  # noqa: F401


@pytest.fixture
def oracle_check():
    return assert_matches_oracle
