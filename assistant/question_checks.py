"""What a question leaves out or how it is written, read before any answer is given.

- **numbers only** ("12345", "2025 2026", "$175"): nothing says what to look up, so a
  search would quote whatever table holds those numbers.
- **whose figure**: "What was revenue in 2025?" names no company, fund or product, so any
  company's revenue would do, and answering gives one chosen by chance.
- **not English**: the library is in English; names, numbers and finance acronyms still
  match, so the question is answered (or refused) on those, and the reason says so. The
  commonest finance terms of Spanish, French, German, Italian and Portuguese are read as
  their English names ("ingresos" asks for revenue); one with no finance term the library
  can match leaves only a name and a year to search on, which finds a page about the name,
  not the figure: it is refused, with a request to ask in English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from retrieval.lexicon import LEXICON, case_sensitive, has_cjk
from retrieval.statements import CASH_HELD_RE

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def _split(text: str) -> list[str]:
    return re.findall(r"\S+", text)


# A company's (or a fund's) own figures: asked without saying whose, any company's would
# do. Written from the finance lexicon's statement items and ratios and a fact sheet's
# fields, not from any question set.
_COMPANY_FIGURES = re.compile(
    r"\b(?:revenues?|net\s+sales|total\s+sales|net\s+income|net\s+profit|net\s+earnings|"
    r"gross\s+profit|operating\s+(?:income|profit|margin|expenses|cash\s+flow)|"
    r"ebitda(?:\s+margin)?|ebit|earnings\s+per\s+share|eps|"
    r"free\s+cash\s+flow|fcf|capex|capital\s+expenditures?|cost\s+of\s+(?:goods\s+sold|sales|"
    r"revenues?)|cogs|sg&a|selling,?\s+general\s+and\s+administrative|"
    r"return\s+on\s+(?:equity|assets|invested\s+capital)|roe|roa|roic|"
    r"dividends?\s+per\s+share|dps|payout\s+ratio|working\s+capital|current\s+ratio|"
    r"quick\s+ratio|inventory\s+turnover|days\s+(?:sales|payables?|inventory)\s+outstanding|"
    r"accounts\s+(?:receivable|payable)|cash\s+conversion\s+cycle|gross\s+margins?|"
    r"net\s+margins?|profit\s+margins?|net\s+debt|total\s+debt|long[-\s]term\s+debt|"
    r"interest\s+coverage|share\s+(?:buybacks?|repurchases?)|"
    r"property,?\s+plant,?\s+and\s+equipment|pp&e|ppne|"
    r"(?:shareholders|stockholders)['’]?\s+equity|market\s+cap(?:itali[sz]ation)?|"
    r"enterprise\s+value|price\s+target|target\s+price|cash\s+(?:and|&)\s+cash\s+equivalents|"
    # A fund's own figures.
    r"(?:total\s+|net\s+|gross\s+)?expense\s+ratio|(?-i:TER)|top\s+holdings?|"
    r"largest\s+holdings?|minimum\s+investment)\b",
    re.I,
)

# Function words of English, and of the languages advisors most often write in besides.
_ENGLISH = frozenset(
    _split(
        """the a an of in on for to is are was were what which who how why when does did do
        and or with by from at this that its it be has have will can should"""
    )
)
_FOREIGN = frozenset(
    _split(
        """el la los las del es cuál cual qué que cuánto cuanto son fue precio ingresos
        le les des du est quel quelle quels combien sont au aux était
        der die das ist und wie hoch welche wieviel viel
        il di che è qual quanto sono gli
        o os da do é são"""
    )
)


def numbers_only(question: str) -> bool:
    """No word without a digit in it: "12345", "2025 2026", "FY2025?", "$175"."""
    words = _WORDS.findall(question)
    return bool(words) and all(any(ch.isdigit() for ch in w) for w in words)


# Cash a client or an account holds is no company's figure.
_HELD_FOR_CLIENTS = re.compile(
    r"\b(?:clients?|customers?|accounts?|households?|investors?|advisors?|portfolios?)\b", re.I
)


# A fund is cheap or dear by what it costs a year to hold: its expense ratio.
_COST_WORDS = (
    r"\b(?:cheap(?:er|est)?|(?:more|most|less|least)\s+expensive|low(?:er|est)?[-\s]cost)\b"
)
_FUND_COST = re.compile(
    rf"{_COST_WORDS}(?=[^?.!]{{0,60}}\bfunds?\b)|\bfunds?\b(?=[^?.!]{{0,60}}{_COST_WORDS})", re.I
)


def company_figure(question: str) -> str | None:
    """The company figure the question asks for ("revenue", "price target", the cash it
    holds; a fund's expense ratio asked as which is "cheaper"), if any."""
    match = _COMPANY_FIGURES.search(question)
    if match:
        return " ".join(match.group().split())
    if _FUND_COST.search(question):
        return "expense ratio"
    if CASH_HELD_RE.search(question) and not _HELD_FOR_CLIENTS.search(question):
        return "cash"
    return None


def with_inferred_figure(question: str) -> str:
    """``question`` naming the figure it asks without writing it, before its question
    mark: "Which fund is cheaper (expense ratio)?", so the search, the quotes and the
    reader see what was read into it. Unchanged when it writes its figure or asks none."""
    figure = company_figure(question)
    if figure is None or figure.lower() in question.lower():
        return question
    body = question.rstrip(" ?.!")
    return f"{body} ({figure}){question[len(body) :].strip() or '?'}"


def not_english(question: str) -> bool:
    """Written in another language: Chinese, Japanese or Korean script, or function words
    of another language and none of English."""
    if has_cjk(question):
        return True
    words = [w.lower() for w in _WORDS.findall(question)]
    return not any(w in _ENGLISH for w in words) and any(w in _FOREIGN for w in words)


# The finance lexicon's terms as patterns: acronyms as written, words in any case.
_TERMS = tuple(
    re.compile(rf"(?<![\w&/]){re.escape(term)}(?![\w&/])", 0 if case_sensitive(term) else re.I)
    for group in LEXICON
    for term in group
)


def finance_term(question: str) -> bool:
    """Whether the question uses a finance term of the lexicon or a company figure's name
    ("revenue", "EPS", "net income"), in English, as the library is written."""
    return company_figure(question) is not None or any(t.search(question) for t in _TERMS)


# The commonest finance terms of other languages, by their English names (written from
# the languages' accounting vocabulary, accents dropped, longest first when matched).
_GLOSSARY: dict[str, tuple[str, ...]] = {
    "revenue": ("ingresos", "ingresos totales", "chiffre d'affaires", "revenus", "umsatz",
                "umsatzerlose", "ricavi", "fatturato", "receita", "receitas"),
    "net sales": ("ventas netas", "ventes nettes", "vendas liquidas"),
    "sales": ("ventas", "ventes", "vendite", "vendas"),
    "net income": ("beneficio neto", "utilidad neta", "ganancia neta", "benefice net",
                   "resultat net", "nettogewinn", "jahresuberschuss", "utile netto",
                   "lucro liquido"),
    "earnings per share": ("beneficio por accion", "benefice par action", "gewinn je aktie",
                           "utile per azione", "lucro por acao"),
    "price target": ("precio objetivo", "objectif de cours", "kursziel", "prezzo obiettivo",
                     "preco-alvo", "preco alvo"),
    "quarter": ("trimestre", "quartal"),
    "dividend": ("dividendo", "dividendos", "dividende", "dividendes", "dividenden",
                 "dividendi"),
    "total assets": ("activos totales", "total de l'actif", "actif total", "bilanzsumme",
                     "totale attivo", "ativo total"),
    "debt": ("deuda", "dette", "schulden", "debito", "divida"),
    "cash flow": ("flujo de caja", "flux de tresorerie", "cashflow", "flusso di cassa",
                  "fluxo de caixa"),
    "gross margin": ("margen bruto", "marge brute", "bruttomarge", "margine lordo",
                     "margem bruta"),
    "fiscal year": ("ano fiscal", "ejercicio fiscal", "ejercicio", "exercice fiscal", "exercice",
                    "geschaftsjahr", "anno fiscale", "esercizio", "exercicio"),
    "operating margin": ("margen operativo", "marge operationnelle", "operative marge",
                         "margine operativo", "margem operacional"),
}  # fmt: skip


# Function words, and words of period that the year beside them says, of the languages
# ``_GLOSSARY`` reads (accents dropped): a question read in English keeps none of them.
_FOREIGN_FUNCTION = frozenset(
    _split(
        """el la los las lo un una unos unas de del al a en y o u es son fue fueron era eran
        ha han sido cual cuales que cuanto cuanta cuantos cuantas como por para con sobre su
        sus este esta estos estas ese esa ano
        le les l un une des du d au aux et ou est sont etait etaient ete quel quelle quels
        quelles combien comment pour par avec sur son sa ses ce cette ces qui quoi dans annee
        der die das den dem des ein eine einer eines und oder ist sind war waren wie hoch
        welche welcher welches was wieviel viel von vom im am an auf fur mit zu zum zur bei
        hat hatte haben jahr
        il lo gli i di della dei degli delle dal nel nella e ed sono stato stata qual quale
        quali quanto quanti per su suo sua che anno
        os as um uma do da dos das em no na nos nas foi foram quais seu sua"""
    )
)


@dataclass(frozen=True, slots=True)
class ForeignReading:
    """A question in another language read for search: its names, numbers and the English
    names of its finance terms ("Nike revenue 2023"), and the words that could not be read."""

    english: str
    terms: tuple[str, ...]
    unread: tuple[str, ...]


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Words, with an elided article or preposition its own word ("l'utile", "d'affaires").
_TOKEN = re.compile(r"(?:qu|dell|nell|all|dall|sull|[ldjnmtsc])'|[^\W_](?:[\w.&-]*[^\W_])?", re.I)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.replace("’", "'"))


# Each term as its words, longest first: "ingresos totales" before "ingresos".
_FOREIGN_TERMS = sorted(
    ((_tokens(term), english) for english, terms in _GLOSSARY.items() for term in terms),
    key=lambda pair: -len(" ".join(pair[0])),
)


def read_foreign(question: str) -> ForeignReading:
    """Reads a question written in another language word by word: function words drop,
    ``_GLOSSARY`` terms become their English names, capitalised words (names, acronyms)
    and numbers stay. A lower-case word that is none of these ("color favorito") is
    unread: the question asks something the reading cannot say, so it is not guessed."""
    tokens = _tokens(question)
    folded = [_unaccented(t) for t in tokens]
    kept: list[str] = []
    terms: list[str] = []
    unread: list[str] = []
    at = 0
    while at < len(tokens):
        match = next(
            (
                (len(words), english)
                for words, english in _FOREIGN_TERMS
                if folded[at : at + len(words)] == words
            ),
            None,
        )
        if match is not None:
            kept.append(match[1])
            terms.append(match[1])
            at += match[0]
            continue
        token, plain = tokens[at], folded[at]
        at += 1
        if plain in _FOREIGN_FUNCTION or plain.endswith("'"):
            continue
        if any(ch.isdigit() for ch in token) or not token.islower():
            kept.append(token)  # a number, a period, a name or an acronym
        else:
            unread.append(token)
    return ForeignReading(" ".join(kept), tuple(dict.fromkeys(terms)), tuple(unread))
