"""Browser fixtures for the diagram tests: headless Debian Chromium driven by Playwright.

``browser`` is one Chromium for the whole session (``/usr/bin/chromium``; never
``playwright install``). ``open_diagram(path)`` opens a page from ``file://`` in a fresh
context and returns an :class:`OpenedDiagram` that has recorded every console error, page
error and request; it waits until the network is idle and the diagram says it is ready
(``window.dutygraphReady``). When the test ends, a screenshot is saved as
``test-artifacts/screenshots/<test name>.png``.

A request whose URL is not ``file:`` or ``data:`` (or ``blob:``, ``about:``) is a failure:
analysts open these pages on machines with no internet. Such requests are also aborted, so a
broken page cannot reach the network even while its test fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dutygraph.viz.headless import CHROMIUM, LOCAL_SCHEMES, launch_chromium

__all__ = ["CHROMIUM", "SCREENSHOT_DIR", "OpenedDiagram", "browser", "open_diagram"]

SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
READY_TIMEOUT_MS = 60_000


@dataclass
class OpenedDiagram:
    """A diagram page opened in Chromium, with what it logged and requested."""

    page: Any  # playwright.sync_api.Page
    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def external_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]

    def counts(self) -> dict[str, int]:
        """Node and edge counts read from the page's vis DataSets (all and visible)."""
        return self.page.evaluate("() => window.dutygraph.visibleCounts()")

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Page coordinates of a node's centre."""
        return self._point(
            """(id) => {
                const net = window.dutygraph.network;
                return net.canvasToDOM(net.getPositions([id])[id]);
            }""",
            node_id,
        )

    def edge_point(self, edge_id: str) -> tuple[float, float]:
        """Page coordinates of the middle of an edge, on its curve if it is curved."""
        return self._point(
            """(id) => {
                const net = window.dutygraph.network;
                const edge = net.body.edges[id];
                const p = edge.edgeType.getPoint(0.5);
                return net.canvasToDOM({x: p.x, y: p.y});
            }""",
            edge_id,
        )

    def _point(self, script: str, item_id: str) -> tuple[float, float]:
        dom = self.page.evaluate(script, item_id)
        box = self.page.locator("#dg-network").bounding_box()
        return box["x"] + dom["x"], box["y"] + dom["y"]

    def hover(self, point: tuple[float, float]) -> None:
        """Move the mouse onto a point (approaching it, as a reader's mouse would)."""
        x, y = point
        self.page.mouse.move(x - 30, y - 30)
        self.page.mouse.move(x, y, steps=5)

    def tooltip_text(self, timeout_ms: int = 5_000) -> str:
        """The text of vis-network's visible tooltip."""
        tooltip = self.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=timeout_ms)
        return tooltip.inner_text()

    def screenshot(self, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{_safe_name(name)}.png"
        self.page.screenshot(path=str(path))
        return path


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")[:150] or "page"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the session."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is absent: install Debian's chromium (`apt-get install chromium "
            "fonts-noto-cjk`, as .ci/run does); never `playwright install`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_diagram(
    browser: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., OpenedDiagram]]:
    """Open a diagram file; screenshot the last opened page as the test's artifact."""
    from playwright.sync_api import Error as PlaywrightError

    contexts: list[Any] = []
    opened: list[OpenedDiagram] = []

    def _open(path: str | Path, *, wait_ready: bool = True) -> OpenedDiagram:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        diagram = OpenedDiagram(page=page, url=Path(path).resolve().as_uri())

        def _route(route: Any) -> None:
            if route.request.url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", _route)
        page.on("request", lambda req: diagram.requests.append(req.url))
        page.on(
            "console",
            lambda msg: (
                diagram.console_errors.append(f"console.{msg.type}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda err: diagram.console_errors.append(f"page error: {err}"))
        page.goto(diagram.url, wait_until="load")
        page.wait_for_load_state("networkidle")
        if wait_ready:
            page.wait_for_function("() => window.dutygraphReady === true", timeout=READY_TIMEOUT_MS)
        opened.append(diagram)
        return diagram

    try:
        yield _open
    finally:
        if opened:
            try:
                opened[-1].screenshot(request.node.name)
            except PlaywrightError as err:  # a screenshot must never hide the test's result
                print(f"screenshot of {request.node.name} failed: {err}")
        for context in contexts:
            context.close()
