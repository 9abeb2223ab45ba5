from __future__ import annotations

from typing import Any

from ingest.catalog import CatalogEntry
from ingest.profile import DocumentProfile
from retrieval.periods import period_fit, read_ask, recency, resolve_fiscal_years, type_fit
from retrieval.routing import DocumentRouter


def _entry(doc_id: str, title: str, profile: dict[str, Any] | None) -> CatalogEntry:
    meta: dict[str, Any] = {"allowed_groups": [], "tags": []}
    if profile is not None:
        meta["profile"] = {"issuer": "Acme Widgets Inc.", "version": 1, **profile}
    return CatalogEntry(
        id=doc_id,
        source=f"/lib/{doc_id}.pdf",  # file names say nothing about the period
        title=title,
        format="pdf",
        sha256="0",
        version="v",
        size=1,
        modified=0.0,
        pages=10,
        chunks=5,
        meta=meta,
        job_id="j",
        indexed_at=0.0,
    )


ACME = [
    _entry(
        "k18",
        "Acme Widgets annual",
        {
            "doc_type": "10-K",
            "fiscal_year": 2018,
            "period_end": "2018-12-31",
            "years": [2016, 2017, 2018],
        },
    ),
    _entry(
        "k20",
        "Acme Widgets annual",
        {
            "doc_type": "10-K",
            "fiscal_year": 2020,
            "period_end": "2020-12-31",
            "years": [2018, 2019, 2020],
        },
    ),
    _entry(
        "k23",
        "Acme Widgets annual",
        {
            "doc_type": "10-K",
            "fiscal_year": 2023,
            "period_end": "2023-12-31",
            "years": [2021, 2022, 2023],
        },
    ),
    _entry(
        "q23q1",
        "Acme Widgets quarterly",
        {
            "doc_type": "10-Q",
            "fiscal_year": 2023,
            "fiscal_quarter": 1,
            "period_end": "2023-03-31",
            "years": [2022, 2023],
        },
    ),
    _entry(
        "q23q2",
        "Acme Widgets quarterly",
        {
            "doc_type": "10-Q",
            "fiscal_year": 2023,
            "fiscal_quarter": 2,
            "period_end": "2023-06-30",
            "years": [2022, 2023],
        },
    ),
    _entry(
        "q22q2",
        "Acme Widgets quarterly",
        {
            "doc_type": "10-Q",
            "fiscal_year": 2022,
            "fiscal_quarter": 2,
            "period_end": "2022-06-30",
            "years": [2021, 2022],
        },
    ),
    _entry(
        "er23q1",
        "Acme Widgets results",
        {
            "doc_type": "earnings release",
            "fiscal_year": 2023,
            "fiscal_quarter": 1,
            "period_end": "2023-04-25",
        },
    ),
    _entry("ek22", "Acme Widgets event", {"doc_type": "8-K", "period_end": "2022-05-20"}),
] + [_entry(f"other{i}", f"Other{i} Corp annual", None) for i in range(12)]


def _top(question: str, entries: list[CatalogEntry] = ACME) -> str:
    return DocumentRouter(entries).route(question, groups=(), limit=3)[0][0]


def test_asked_year_picks_that_years_annual_report() -> None:
    assert _top("What were Acme Widgets' year-end inventories in FY2018?") == "k18"


def test_a_range_is_reported_by_the_filing_of_its_last_year() -> None:
    assert _top("What was Acme Widgets' average capex over FY2018 - FY2020?") == "k20"


def test_a_year_with_no_own_filing_goes_to_the_next_one_that_shows_it() -> None:
    assert _top("What were Acme Widgets' accounts payable at year end FY2019?") == "k20"


def test_annual_metric_prefers_the_annual_report_to_a_quarter_or_release() -> None:
    assert _top("What is Acme Widgets' FY2023 quick ratio?") == "k23"


def test_quarter_goes_to_the_quarterly_report() -> None:
    assert _top("What was Acme Widgets' revenue in Q2 of FY2023?") == "q23q2"
    assert _top("Acme Widgets net income in the second quarter of 2022") == "q22q2"


def test_latest_is_by_reported_period_not_file_order() -> None:
    assert _top("What does Acme Widgets' latest 10-Q say about liquidity?") == "q23q2"
    assert _top("Acme Widgets' most recent quarterly report: gross margin?") == "q23q2"


def test_guidance_goes_to_the_results_release() -> None:
    assert _top("By how much did Acme Widgets raise its guidance in Q1 FY2023?") == "er23q1"


def test_named_kind_wins() -> None:
    assert _top("What did Acme Widgets' 8-K of May 2022 report?") == "ek22"


def test_no_period_prefers_the_most_recent_annual_report_but_keeps_the_others() -> None:
    routed = DocumentRouter(ACME).route("What does Acme Widgets make?", groups=(), limit=8)
    assert routed[0][0] == "k23"
    assert {"k18", "k20"} <= {d for d, _ in routed}


def test_a_position_asked_with_no_period_comes_from_the_newest_report_of_either_kind() -> None:
    q24q1 = _entry(
        "q24q1",
        "Acme Widgets quarterly",
        {
            "doc_type": "10-Q",
            "fiscal_year": 2024,
            "fiscal_quarter": 1,
            "period_end": "2024-03-31",
            "years": [2023, 2024],
        },
    )
    library = [*ACME, q24q1]
    # Total assets at 31 March 2024 are newer than at the FY2023 year end.
    assert _top("What are Acme Widgets' total assets?", library) == "q24q1"
    assert _top("How much cash and cash equivalents does Acme Widgets hold?", library) == "q24q1"
    # A flow with no period, or a position with a year, still goes to the annual report.
    assert _top("What is Acme Widgets' revenue?", library) == "k23"
    assert _top("What were Acme Widgets' total assets at the end of FY2023?", library) == "k23"
    # With no newer quarter, the latest annual report is the newest position.
    assert _top("What are Acme Widgets' total assets?") == "k23"


def test_future_and_past_periods_fit_nothing() -> None:
    ask = read_ask("Acme Widgets revenue in FY2031?")
    assert all(period_fit(ask, e.profile) == 0.0 for e in ACME[:3])
    ask = read_ask("Acme Widgets revenue in FY1999?")
    assert all(period_fit(ask, e.profile) == 0.0 for e in ACME[:3])


def test_read_ask() -> None:
    ask = read_ask("Compare FY2018 - FY2020 in the latest 10-K and the Q2 2023 earnings call")
    assert ask.years == frozenset({2018, 2020, 2023})
    assert ask.quarters == frozenset({(2023, 2)})
    assert ask.latest and ask.earnings
    assert ask.kinds[0] == "10-K" and "earnings release" in ask.kinds
    assert read_ask("").target_year is None


def test_type_fit_orders_kinds() -> None:
    annual = read_ask("FY2022 revenue")
    assert type_fit(annual, "10-K") > type_fit(annual, "10-Q") > type_fit(annual, "8-K")
    quarterly = read_ask("Q3 2022 revenue")
    assert type_fit(quarterly, "10-Q") > type_fit(quarterly, "10-K")


def test_recency_ranks_by_period_end() -> None:
    ranks = recency({e.id: e.profile for e in ACME[:4]})
    assert ranks["k23"] == 1.0 and ranks["k18"] < ranks["k20"] < ranks["k23"]


def test_quarters_take_the_issuers_fiscal_year_end() -> None:
    profiles = {
        "annual": DocumentProfile(doc_type="10-K", period_end="2023-06-30", fiscal_year=2023),
        "q2": DocumentProfile(
            doc_type="10-Q", period_end="2022-12-31", fiscal_year=2022, fiscal_quarter=2
        ),
        "retail": DocumentProfile(doc_type="10-K", period_end="2023-01-28", fiscal_year=2023),
        "rq2": DocumentProfile(
            doc_type="10-Q", period_end="2023-07-29", fiscal_year=2023, fiscal_quarter=2
        ),
        "jan1": DocumentProfile(doc_type="10-K", period_end="2023-01-01", fiscal_year=2022),
        "jq2": DocumentProfile(doc_type="10-Q", period_end="2023-07-02", fiscal_year=2023),
    }
    issuers = {"annual": "a", "q2": "a", "retail": "r", "rq2": "r", "jan1": "j", "jq2": "j"}
    resolved = resolve_fiscal_years(profiles, issuers)
    assert resolved["q2"].fiscal_year == 2023  # December quarter of a June year
    assert resolved["rq2"].fiscal_year == 2024  # July quarter of a year ending in January
    assert resolved["jq2"].fiscal_year == 2023  # a year ending in early January
    assert resolved["annual"] == profiles["annual"]


def test_old_catalogue_rows_without_profiles_still_route() -> None:
    entries = [_entry("a", "Acme Widgets 2021 outlook", None), *ACME[8:]]
    assert _top("What does the Acme Widgets outlook say?", entries) == "a"


def test_a_date_asked_goes_to_the_filing_whose_period_ends_on_it() -> None:
    # Fiscal 2023 ended in January: "as of July 29, 2023" is the next year's second quarter.
    retailer = [
        _entry(
            "k23",
            "Acme Widgets annual",
            {"doc_type": "10-K", "fiscal_year": 2023, "period_end": "2023-01-28",
             "years": [2021, 2022, 2023]},
        ),
        _entry(
            "q24q2",
            "Acme Widgets quarterly",
            {"doc_type": "10-Q", "fiscal_year": 2024, "fiscal_quarter": 2,
             "period_end": "2023-07-29", "years": [2022, 2023]},
        ),
    ] + [_entry(f"other{i}", f"Other{i} Corp annual", None) for i in range(12)]  # fmt: skip
    assert _top("Acme Widgets inventories in 2023?", retailer) == "k23"
    assert _top("Acme Widgets inventories as of July 29, 2023?", retailer) == "q24q2"
    assert _top("Acme Widgets inventories as of January 28, 2023?", retailer) == "k23"
    ask = read_ask("cash as of Jul. 29, 2023 and on February 30, 2023")
    assert {d.isoformat() for d in ask.dates} == {"2023-07-29"}  # an impossible date is none
    # A date a few days from the period's end is that period (52/53-week years).
    q2 = DocumentProfile(doc_type="10-Q", fiscal_year=2024, fiscal_quarter=2,
                         period_end="2023-07-29")  # fmt: skip
    assert period_fit(read_ask("as of July 31, 2023"), q2) == 1.0
    assert period_fit(read_ask("as of July 31, 2022"), q2) == 0.0
