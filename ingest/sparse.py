"""BM25 sparse vectors: the one tokenizer and stemmer used for indexing and for queries.

Documents are encoded with BM25's term-frequency part only; the IDF part is applied by the
vector store (Qdrant's ``Modifier.IDF``) at query time, so adding documents never forces
re-encoding the ones already stored. Term ids are a stable hash of the stemmed term, so
the same word maps to the same id on every machine and in every process.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from core.errors import MissingDependencyError
from ingest.store.base import SparseVector

# Numbers first: thousands groups ("1,200" -> "1200") and decimals ("3.5") stay whole; a
# trailing "%" or unit falls outside the match. Words are letter/digit runs ("covid19",
# "日本語"), apostrophes inside kept so the stemmer can strip possessives.
_TOKEN_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[^\W_]+(?:'[^\W_]+)*")

# Tokens longer than this are identifiers, hashes or base64, not words anyone searches for.
MAX_TOKEN_CHARS = 64

# A small English list (function words only): content words, even common ones, are left
# for BM25's IDF to down-weight.
_STOPWORD_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t d ll m re ve don't doesn't didn't isn't aren't wasn't
    weren't won't wouldn't can't cannot couldn't shouldn't i'm i've i'd i'll you're you've
    you'd you'll he's she's it's we're we've they're they've that's there's what's let's
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """The Snowball English stemmer (PyStemmer, C speed, with its own word cache)."""
    try:
        import Stemmer
    except ImportError as exc:
        raise MissingDependencyError("PyStemmer", "pip install PyStemmer") from exc
    return Stemmer.Stemmer("english")


def _normalise(text: str) -> str:
    """NFKC folds ligatures and full-width digits; casefold is lowercase for every script."""
    return unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")


def tokenize(text: str) -> list[str]:
    """Stemmed, stopword-free terms of ``text`` in order (numbers kept, commas dropped)."""
    words = [
        match.replace(",", "")
        for match in _TOKEN_RE.findall(_normalise(text))
        if len(match) <= MAX_TOKEN_CHARS and match not in STOPWORDS
    ]
    if not words:
        return []
    stems: list[str] = _stemmer().stemWords(words)
    return stems


def term_id(token: str) -> int:
    """Stable id of a term in [0, 2**31): 4 bytes of BLAKE2b, not Python's salted hash()."""
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big") & 0x7FFFFFFF


def _to_sparse(weights: dict[int, float]) -> SparseVector:
    indices = tuple(sorted(weights))
    return SparseVector(indices=indices, values=tuple(weights[i] for i in indices))


class BM25Encoder:
    """Encodes documents as BM25 term weights and queries as sets of terms.

    ``avgdl`` is the expected document length in terms (after stopwords); it is baked into
    stored weights, so changing it means re-encoding the collection. 128 suits chunks of
    about 256 model tokens.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75, avgdl: float = 128.0) -> None:
        if k1 < 0:
            raise ValueError(f"k1 must be >= 0, got {k1}")
        if not 0.0 <= b <= 1.0:
            raise ValueError(f"b must be within [0, 1], got {b}")
        if avgdl <= 0:
            raise ValueError(f"avgdl must be > 0, got {avgdl}")
        self.k1 = k1
        self.b = b
        self.avgdl = avgdl

    def tokenize(self, text: str) -> list[str]:
        """The module tokenizer, exposed here so callers need only the encoder."""
        return tokenize(text)

    def weight(self, tf: int, dl: int) -> float:
        """BM25 document-side weight of a term seen ``tf`` times in a ``dl``-term document."""
        norm = self.k1 * (1.0 - self.b + self.b * dl / self.avgdl)
        return tf * (self.k1 + 1.0) / (tf + norm)

    def encode_document(self, text: str) -> SparseVector:
        """Sparse vector of the document's terms; colliding term ids add their weights."""
        tokens = tokenize(text)
        dl = len(tokens)
        weights: dict[int, float] = {}
        for token, tf in Counter(tokens).items():
            tid = term_id(token)
            weights[tid] = weights.get(tid, 0.0) + self.weight(tf, dl)
        return _to_sparse(weights)

    def encode_query(self, text: str) -> SparseVector:
        """Each distinct query term with weight 1.0, so the score is sum(IDF x doc weight)."""
        return _to_sparse(dict.fromkeys((term_id(t) for t in tokenize(text)), 1.0))
