"""Follow-ups rewritten into standalone questions from the earlier turns."""

from __future__ import annotations

import time

import pytest

from retrieval.followup import rewrite_followup

HISTORY = ["What was ACME's revenue in FY2022?"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what about 2023?", "What was ACME's revenue in 2023?"),
        ("how about Globex?", "What was Globex's revenue in FY2022?"),
        ("and its margin?", "What was the margin of ACME in FY2022?"),
        ("What was its net income?", "What was ACME's net income in FY2022?"),
        ("What about Q3?", "What was ACME's revenue in Q3 2022?"),
        ("same for Initech in 2020?", "What was Initech's revenue in 2020?"),
        ("And in 2021?", "What was ACME's revenue in 2021?"),
        # A year counted from the one asked before.
        ("And the year before?", "What was ACME's revenue in FY2021?"),
        ("what about the prior year?", "What was ACME's revenue in FY2021?"),
        ("And the following year?", "What was ACME's revenue in FY2023?"),
        # Another measure asked with a period or a name: the measure is the new one.
        ("And its operating margin in 2021?", "What was the operating margin of ACME in 2021?"),
        ("What about Globex's net income?", "What was the net income of Globex in FY2022?"),
        # A share class is of what was asked about; a prepositional slot is another case.
        ("And the Class A shares?", "What was ACME's revenue in FY2022 for Class A shares?"),
        ("And on $2 million?", "What was ACME's revenue in FY2022 and on $2 million?"),
        # "That" is the earlier question, set against what it is compared with.
        (
            "How does that compare with 2021?",
            "What was ACME's revenue in FY2022 compared with 2021?",
        ),
        (
            "how does it compare to Globex?",
            "What was ACME's revenue in FY2022 compared with Globex?",
        ),
        # Standalone questions are returned exactly as given.
        ("What was Globex's revenue in 2021?", "What was Globex's revenue in 2021?"),
        ("What is the firm's gifts policy?", "What is the firm's gifts policy?"),
        ("", ""),
    ],
)
def test_rewrite_followup(question: str, expected: str) -> None:
    assert rewrite_followup(question, HISTORY) == expected


def test_rewrite_needs_a_subject_in_history() -> None:
    assert rewrite_followup("what about 2023?", []) == "what about 2023?"
    # "The year before" what? Without an earlier period the question stays as asked.
    assert rewrite_followup("And the year before?", ["What was ACME's revenue?"]) == (
        "And the year before?"
    )
    assert rewrite_followup("and the year before?", ["What was ACME's revenue in FY23?"]) == (
        "What was ACME's revenue in FY22?"
    )
    assert rewrite_followup("what about 2023?", ["hello", "thanks"]) == "what about 2023?"


def test_rewrite_chains_follow_ups() -> None:
    history = ["What was ACME's revenue in 2022?", "what about 2023?"]
    assert rewrite_followup("and Globex?", history) == "What was Globex's revenue in 2023?"


def test_which_one_asks_the_last_two_names_side_by_side() -> None:
    history = ["What is the Alpha Fund's expense ratio?", "What about the Beta Fund?"]
    assert rewrite_followup("Which one is cheaper?", history) == (
        "What is the Alpha Fund and Beta Fund's expense ratio, and which one is cheaper?"
    )
    history = ["What is the dividend yield of Atlas Power?", "And Crestline Energy?"]
    assert rewrite_followup("Which of them pays more?", history) == (
        "What is the dividend yield of Atlas Power and Crestline Energy, and which one pays more?"
    )
    assert rewrite_followup("Which one?", history).endswith("Crestline Energy, and which one?")
    # One name asked before: which one of what? The question stays as asked.
    assert rewrite_followup("Which one is cheaper?", history[:1]) == "Which one is cheaper?"
    assert rewrite_followup("Which one is cheaper?", []) == "Which one is cheaper?"


@pytest.mark.parametrize(
    "text",
    ["EPS " * 25_000, "a" * 100_000, "and its " * 20_000, "\x00\u200b" * 50_000],
)
def test_huge_follow_ups_finish_fast(text: str) -> None:
    started = time.perf_counter()
    rewrite_followup(text, ["What was ACME's revenue in 2022?"])
    # A guard against pathological (e.g. quadratic) behaviour, not a speed target.
    assert time.perf_counter() - started < 15.0
