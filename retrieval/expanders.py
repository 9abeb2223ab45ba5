"""The query expanders by name: ``make_expander`` builds the one a setting picks.

``none`` and ``lexicon`` live in ``retrieval.expand``; the chat-model kinds
(``llm-rewrite``, ``llm-multi``, ``hyde``) are ``retrieval.expand_llm``, which builds on
that module's ``Expansion``. The registry sits apart from both so that neither module has
to import the other back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.llm import LLMClient, client_for
from core.registry import pick
from core.settings import Settings
from retrieval.expand import LexiconExpander, NoExpander, QueryExpander
from retrieval.expand_llm import ExpansionKind, LLMExpander


def _llm_expander(name: str, kind: ExpansionKind) -> Callable[..., QueryExpander]:
    """A factory for expander ``name``: ``expand_llm.LLMExpander`` of ``kind`` on ``client``.

    ``settings`` stands in for ``client`` (the model they configure).
    """

    def build(
        *, client: LLMClient | None = None, settings: Settings | None = None, **options: Any
    ) -> QueryExpander:
        llm = client_for(f"the {name!r} query expansion", client, settings)
        return LLMExpander(llm, kind, **options)

    return build


EXPANDERS: dict[str, Callable[..., QueryExpander]] = {
    "none": NoExpander,
    "lexicon": LexiconExpander,
    "llm-rewrite": _llm_expander("llm-rewrite", "rewrite"),
    "llm-multi": _llm_expander("llm-multi", "multi-query"),
    "hyde": _llm_expander("hyde", "hyde"),
}


def make_expander(name: str = "lexicon", **options: Any) -> QueryExpander:
    """Build the expander called ``name``; unknown names raise ValueError listing the valid ones."""
    return pick(EXPANDERS, name, "expander")(**options)
