"""Shared fixtures. Area-specific fixtures live in tests/support_*.py and are imported here."""

from __future__ import annotations

from support_browser import *  # noqa: F401,F403
from support_lists import *  # noqa: F401,F403
from support_graphs import *  # noqa: F401,F403
from support_bolt import *  # noqa: F401,F403
