"""Shared fixtures. Area-specific fixtures live in tests/support_*.py and are imported here."""

from __future__ import annotations

# Fixtures must be names of this module for pytest to find them, hence the star imports.
from support_bolt import *  # noqa: F403
from support_browser import *  # noqa: F403
from support_graphs import *  # noqa: F403
from support_lists import *  # noqa: F403
