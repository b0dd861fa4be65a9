"""How dutygraph drives headless Chromium: the tests and ``bench/bench_viz.py`` share this.

The browser is Debian's ``/usr/bin/chromium`` (``apt-get install chromium fonts-noto-cjk``),
driven by Playwright for Python; never ``playwright install``, which downloads a browser.
The flags keep Chromium itself off the network (no component updates, sync or background
requests), so any request a test sees comes from the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LOCAL_SCHEMES", "launch_chromium"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: URL schemes a diagram page may load; anything else is a request to a network address.
LOCAL_SCHEMES: tuple[str, ...] = ("file:", "data:", "blob:", "about:")


def launch_chromium(playwright: Any) -> Any:
    """Launch headless Debian Chromium from a started ``sync_playwright()``."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
    )
