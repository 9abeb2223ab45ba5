"""The question's topic words and their cover in the sources (``assistant.topic``)."""

from __future__ import annotations

from assistant.topic import topic_cover


def test_topic_cover_counts_synonyms_and_skips_instructions() -> None:
    terms = [frozenset({"capit", "expenditur", "purchas", "properti", "plant", "equip"})]
    assert topic_cover("What is the capex? Round your answer.", [], terms) == 1.0
    assert topic_cover("What is the CEO's favourite colour?", [], terms) == 0.0
    assert topic_cover("", [], terms) == 1.0
