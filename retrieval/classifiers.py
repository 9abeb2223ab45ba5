"""The question classifiers by name: ``make_classifier`` builds the one a setting picks.

``rules``, ``exemplar`` and ``hybrid`` live in ``retrieval.classify``; ``llm`` is
``retrieval.classify_llm``, which builds on those rules. The registry sits apart from
both so that neither module has to import the other back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.llm import LLMClient, client_for
from core.registry import pick
from core.settings import Settings
from retrieval.classify import Classifier, ExemplarClassifier, HybridClassifier, RulesClassifier
from retrieval.classify_llm import LLMClassifier


def _llm_classifier(
    *, client: LLMClient | None = None, settings: Settings | None = None, **options: Any
) -> Classifier:
    """``retrieval.classify_llm.LLMClassifier`` on ``client`` (or the model ``settings`` set)."""
    return LLMClassifier(client_for("the 'llm' classifier", client, settings), **options)


CLASSIFIERS: dict[str, Callable[..., Classifier]] = {
    "rules": RulesClassifier,
    "exemplar": ExemplarClassifier,
    "hybrid": HybridClassifier,
    "llm": _llm_classifier,
}


def make_classifier(name: str = "rules", **options: Any) -> Classifier:
    """Build the back-end called ``name``; unknown names raise ValueError listing the valid ones."""
    return pick(CLASSIFIERS, name, "classifier")(**options)
