"""Compile the zh_CN catalogue (.po -> .mo) exactly as tests/test_i18n.py checks it.

Run after editing dutygraph/locale/zh_CN/LC_MESSAGES/dutygraph.po, or after a merge that
conflicted in the binary .mo (take either side, then run this):

    .venv/bin/python tools/compile_catalogue.py
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parent.parent / "dutygraph/locale/zh_CN/LC_MESSAGES/dutygraph.po"


def main() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    with PO.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    print(f"{PO.with_suffix('.mo')}: {len(catalog)} messages")


if __name__ == "__main__":
    main()
