"""Writes SIPRI trade-register exports for the tests, in SIPRI's layout."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from transfers.sipri import HEADER

PREAMBLE = [
    "Transfers of major weapons: Deals with deliveries or orders made for 2010 to 2019",
    "Note: The 'No. delivered/produced' and the 'Year(s) of delivery' columns refer to all deliveries since the "
    "beginning of the contract.",
    '"Deals in which the recipient was involved in the production are marked ""local production"", see notes."',
    "Information generated: 15 March 2020",
    "",
    "Source: SIPRI Arms Transfers Database",
    "Recipients: China, Russia",
    "Suppliers: China, Russia",
    "Years: 2010-2019",
    "Figures are SIPRI Trend Indicator Values (TIVs) expressed in millions.",
    "",
]
assert len(PREAMBLE) == 11

SU35 = ["China", "Russia", "2015", "", "24", "", "Su-35", "FGA aircraft", "24", "", "2016; 2017; 2018", "New",
        "Su-35S version, $2 b deal", "50", "1200", "1200"]  # fmt: skip
S400 = ["China", "Russia", "2014", "?", "4", "?", "S-400", "SAM system", "2", "", "2018; 2019", "New",
        "", "250", "1000", "500"]  # fmt: skip
MI171 = ["Russia", "China", "2016", "", "2", "", "Mi-171E", "transport helicopter", "", "", "", "Second hand",
         "", "", "", ""]  # fmt: skip
KILO = ["Myanmar", "Russia", "2011", "", "1", "", "Kilo", "submarine", "1", "?", "2013", "Second hand but modernized",
        "ex-Russian", "100", "100", "100"]  # fmt: skip
ROWS = [SU35, S400, MI171, KILO]
FIRST_DATA_LINE = 13  # 11 preamble lines, the header on line 12


def register(rows: list[list[str]] = ROWS, preamble: list[str] = PREAMBLE, header: list[str] = HEADER) -> str:
    out = io.StringIO()
    out.write("\n".join(preamble) + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_register(directory: Path, name: str = "trade-register.csv", **kwargs) -> Path:
    path = directory / name
    path.write_text(register(**kwargs), encoding="utf-8")
    return path
