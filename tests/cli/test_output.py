"""Command-line output without a terminal, and citations that name their title once."""

from __future__ import annotations

import io

from rich.console import Console

from cli.output import cited, table

LONG_TITLE = "Harbor Point Wealth Global Income Fund: Monthly Factsheet, March 2026 (Class I, USD)"
LONG_FILE = "harbor_point_wealth_global_income_fund_factsheet_2026_03_class_i_usd.pdf"


def test_without_a_terminal_rows_are_whole_tab_separated_lines() -> None:
    sink = io.StringIO()
    console = Console(file=sink, width=80)
    assert not console.is_terminal
    table(console, ["title", "file"], [[LONG_TITLE, LONG_FILE], ["a\tb", "c\nd"]], "2 documents")
    assert sink.getvalue().splitlines() == [
        "title\tfile",
        f"{LONG_TITLE}\t{LONG_FILE}",
        "a b\tc d",
    ]


def test_on_a_terminal_it_is_a_table() -> None:
    sink = io.StringIO()
    console = Console(file=sink, width=200, force_terminal=True)
    table(console, ["title", "file"], [["T", "f.pdf"]], "1 document")
    assert "1 document" in sink.getvalue() and "f.pdf" in sink.getvalue()


def test_a_citation_names_its_title_once() -> None:
    assert cited("IT Security Policy", None, "IT Security Policy") == "IT Security Policy"
    assert cited("IT Security Policy", None, " it security policy ") == "IT Security Policy"
    assert cited("IT Security Policy", None, "") == "IT Security Policy"
    assert cited("IT Security Policy", None, "Passwords") == "IT Security Policy (Passwords)"
    assert cited("Outlook 2026", 4, "Equities") == "Outlook 2026 (p. 4)"
