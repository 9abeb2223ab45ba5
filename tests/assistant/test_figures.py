"""Figures and counts in a sentence (``assistant.figures``)."""

from __future__ import annotations

import pytest

from assistant.figures import asks_when, counted, counts, states_figure, states_time


def test_dates_years_and_form_names_are_not_figures() -> None:
    assert states_figure("Cash was $1,093 million on July 29, 2023.")
    assert not states_figure("FORM 10-Q FOR THE QUARTER ENDED JULY 29, 2023")
    assert not states_figure("In fiscal 2021 and Jan. 3, 2022, revenue grew")
    assert states_figure("Revenue grew 12% in 2021")
    # A year before a comma or a full stop is still a year; a number's leading digits not.
    assert not states_figure("In 2022, revenue grew.")
    assert not states_figure("Data as of 28 February 2026 | Harbor Point Wealth Funds")
    assert not states_figure("Inception date | Detail: 2 Jun. 2014")
    assert not states_figure("Revenue grew in 2022.")
    assert states_figure("The ratio was 2019.5 on average") and states_figure("Fees: $2019")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("As of May 31, 2023, we had approximately 83,700 employees worldwide.", True),
        ("It caused 7 of the 11 fee complaints.", True),
        ("Service delays | Q4 2025: 18 | Q3 2025: 15", True),  # a row counts under its caption
        ("Apparel was made by 55 contract manufacturers.", False),  # counts manufacturers
        ("Reportable under FINRA Rule 4530, by the 15th day.", False),
        ("Deadline: within 1 business day; final response by day 30.", False),
        ("Redress paid: $41,250, 38.3% of claims.", False),
        ("Complaints fell in Q4 2025.", False),
        ("In 2022, the firm served 3 wholesalers.", False),  # a year before a comma
        ("We manage the business in three segments.", False),  # counts segments only
        ("The company employs twenty employees in two offices.", True),  # written as a word
        ("Two of the employees left.", False),  # a word count is followed by what it counts
        ("(1) Employee amounts exclude contractors.", False),  # a footnote mark
        ("2. Log every complaint.", False),  # a list number
        ("Employees numbered 2,025 at year end.", True),  # a count, not a year
        ("Employees outstanding at January 31, 2023: 550.5 million", True),  # a scale
        ("We received 18, which we answered in 30 days.", True),  # a bare count
        ("Unions represent 22.5% of our employees as of December 31, 2022.", False),
        ("Top 10 complaints: 36.5% of the total.", False),  # a ranking's size, no count
        ("The first 5 employees joined in 2011.", False),
        ("", False),
    ],
)
def test_a_count_is_a_number_of_the_thing_counted(sentence: str, expected: bool) -> None:
    assert counts(sentence, {"employe", "complaint"}) is expected


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("How many client complaints did the firm receive in Q4 2025?", {"complaint"}),
        ("How many characters must a password have?", {"charact"}),
        ("How many employees did Nike have?", {"employe"}),
        ("By how many percentage points did margins rise?", set()),  # written as a symbol
        ("How many times did inventory turn over?", set()),  # a multiple or a ratio
        ("What was revenue?", set()),
        ("", set()),
    ],
)
def test_what_a_how_many_question_counts(question: str, terms: set[str]) -> None:
    assert counted(question) == terms


@pytest.mark.parametrize(
    "ask",
    ["When is the restricted list updated?", "when will it be published", '"When" is asked?'],
)
def test_a_question_asking_when(ask: str) -> None:
    assert asks_when(ask)


@pytest.mark.parametrize(
    "ask", ["What review applies when a client is 75?", "How often is it updated?", ""]
)
def test_a_question_not_asking_when(ask: str) -> None:
    assert not asks_when(ask)


@pytest.mark.parametrize(
    "sentence",
    [
        "The next FOMC meeting is on 17-18 March 2026.",
        "Effective 5 January 2026",
        "Target publication date: 14 April 2026",
        "Desk cut-off (ET): 3:00 pm",
        "The list is updated daily by compliance.",
        "Records are refreshed every 12 months.",
        "It is reviewed every business day at the close.",
        "remains open for up to 90 calendar days",
        "Rebalancing happens in Q2.",
        "The list is published each Monday.",
        "Our year-end target is 7,250.",
        "It was founded in 1998.",
    ],
)
def test_sentences_stating_a_time(sentence: str) -> None:
    assert states_time(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Restricted | Examples: Restricted List, Watch List | Handling: Named individuals only",
        "Revenue was $1,998 million, up 12.5%.",
        "Each client receives a copy.",
        "Passwords must be at least 14 characters long.",
        "FINRA Rule 4530 applies.",
        "",
    ],
)
def test_sentences_stating_no_time(sentence: str) -> None:
    assert not states_time(sentence)


def test_a_count_stated_directly_is_a_number_right_before_what_it_counts() -> None:
    from assistant.figures import counts

    assert counts("we had approximately 83,700 employees worldwide", {"employe"}, directly=True)
    assert counts("Complaints received in Q4 2025: 47", {"complaint"})
    assert not counts("Complaints received in Q4 2025: 47", {"complaint"}, directly=True)
    assert not counts("three segments reported", {"segment"}, directly=True)
