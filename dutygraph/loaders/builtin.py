"""The built-in readers, registered in the order they are tried (text, the fallback, last)."""

from __future__ import annotations

from . import pdf, webpage, word, xlsx  # noqa: F401  (each registers its reader)

# isort: split
from . import text  # noqa: F401  (the fallback for any other file)
