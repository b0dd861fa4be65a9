"""Shared fixtures. Area-specific fixtures live in tests/support_*.py and are imported here."""

from __future__ import annotations

from support_bolt import *
from support_browser import *
from support_graphs import *
from support_lists import *
