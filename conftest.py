"""Fixtures for the tests and the docstring examples alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def chinese_by_default() -> Iterator[None]:
    """Every test runs in Chinese, whatever the machine's locale (session fixtures too); a test
    that wants English sets ``DUTYGRAPH_LANG=en`` itself (``monkeypatch`` or ``env=``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DUTYGRAPH_LANG", "zh_CN")
        yield


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run one test in English (``@pytest.mark.usefixtures("english")``): for tests that pin
    down the English wording of a message."""
    monkeypatch.setenv("DUTYGRAPH_LANG", "en")
