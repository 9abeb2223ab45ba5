"""Which primary financial statements a question needs, from the line items it names.

Written from the statements' standard contents (what a balance sheet, an income
statement and a cash flow statement report, and the inputs of common ratios), never from
any benchmark's questions. Pages are tagged with the same kinds at ingest
(``ingest.statements``), so a question about accounts payable can be searched on the
routed filing's balance sheet, which narrative pages about payables often outrank.
"""

from __future__ import annotations

import re

from ingest.statements import KINDS

_BALANCE = (
    r"balance\s+sheets?|statements?\s+of\s+financial\s+position|financial\s+position"
    r"|total\s+assets|current\s+assets|current\s+liabilit(?:y|ies)|total\s+liabilit(?:y|ies)"
    r"|working\s+capital|current\s+ratio|quick\s+ratio|cash\s+ratio|liquidity\s+ratio"
    r"|inventor(?:y|ies)|accounts\s+payable|payables?|accounts\s+receivable|receivables?"
    r"|property,?\s+plant,?\s+(?:and|&)\s+equipment|pp\s?&\s?e|ppne|fixed\s+assets?"
    r"|goodwill|intangible\s+assets|long[\s-]term\s+debt|total\s+debt|net\s+debt|borrowings"
    r"|debt[\s-]to[\s-](?:equity|capital|assets)|leverage\s+ratio|book\s+value"
    r"|(?:share|stock)holders['’]?\s+equity|shareowners['’]?\s+equity|total\s+equity"
    r"|retained\s+earnings|cash\s+(?:and|&)\s+cash\s+equivalents|deferred\s+revenue"
    r"|return\s+on\s+(?:assets|equity|invested\s+capital)|\broa\b|\broe\b|\broic\b"
    r"|asset\s+turnover|inventory\s+turnover|days\s+(?:payable|inventory|sales)"
    r"|\bdpo\b|\bdio\b|\bdso\b|cash\s+conversion\s+cycle"
)
_INCOME = (
    r"income\s+statements?|statements?\s+of\s+(?:operations|income|earnings)|\bp\s?&\s?l\b"
    r"|profit\s+and\s+loss|revenues?|net\s+sales|total\s+sales|top\s+line"
    r"|cost\s+of\s+(?:goods\s+sold|sales|revenues?)|\bcogs\b|gross\s+(?:margin|profit)"
    r"|operating\s+(?:income|margin|profit|expenses?|loss)|\bebit(?:da)?\b"
    r"|net\s+(?:income|earnings|profit|loss|margin)|earnings\s+per\s+share|\beps\b"
    r"|selling,?\s+general|\bsg\s?&\s?a\b|(?:sales|selling)\s+and\s+marketing"
    r"|general\s+and\s+administrative|research\s+and\s+development|\br\s?&\s?d\b"
    r"|interest\s+expense|net\s+interest\s+income|income\s+tax(?:es)?|effective\s+tax\s+rate"
    r"|pre[\s-]?tax"
    r"|restructuring|impairment|asset\s+turnover|inventory\s+turnover|interest\s+coverage"
    r"|days\s+(?:payable|inventory|sales)|\bdpo\b|\bdio\b|\bdso\b|cash\s+conversion\s+cycle"
    r"|return\s+on\s+(?:assets|equity|invested\s+capital)|\broa\b|\broe\b|\broic\b"
)
# How a question says what a cash flow statement prints as "Dividends paid".
_PAID_DIVIDENDS = r"\bpa(?:y|ys|id)\s+(?:out\s+)?(?:in\s+)?(?:cash\s+)?dividends"
PAID_DIVIDENDS_RE = re.compile(rf"{_PAID_DIVIDENDS}\b", re.I)
_CASH_FLOW = (
    r"cash\s+flows?\s+statements?|statements?\s+of\s+cash\s+flows?|cash\s+flows?"
    r"|capital\s+expenditures?|\bcapex\b|purchases?\s+of\s+property|free\s+cash"
    r"|\bfcf\b|cash\s+(?:from|provided\s+by|used\s+in)\s+(?:operat|invest|financ)"
    r"|operating\s+activities|investing\s+activities|financing\s+activities"
    r"|depreciation|amortization|\bd\s?&\s?a\b|\bebitda\b|dividends?\s+paid"
    rf"|{_PAID_DIVIDENDS}"
    r"|dividend\s+payout|(?:share|stock)\s+(?:repurchases?|buybacks?)|buybacks?"
    r"|repurchases?\s+of\s+(?:common\s+)?(?:stock|shares)|stock[\s-]based\s+compensation"
    r"|acquisitions?\s+(?:of\s+businesses|net\s+of\s+cash)"
)
# "Cash" held at a date is what a balance sheet prints as "Cash and cash equivalents":
# "cash on hand", "how much cash did it have", "its cash at the end of 2017". Cash that
# flows, is paid or is qualified ("free cash", "restricted cash") is another item.
CASH_HELD_RE = re.compile(
    r"(?<!\bfree )(?<!\boperating )(?<!\bnet )(?<!\brestricted )\bcash"
    r"(?:\s+(?:on\s+hand|balances?|positions?|holdings?)\b"
    r"|(?!\s*(?:and|&|flows?|from|provided|used|paid|dividends?|conversion|equivalents?)\b)"
    r"(?![^.?;]{0,80}\b(?:from|generat\w*|provided|used|spen[dt]|pa(?:y|id))\b)"
    r"(?=\s+(?:at|as\s+of)\b|[^.?;]{0,80}\b(?:have|has|had|hold|holds|held)\b))",
    re.I,
)
# "How much did Amazon earn in 2019?" asks its net income; earnings per share, earned on
# or from something, are other figures.
EARNED_RE = re.compile(
    r"\bhow\s+much(?:\s+money)?\s+(?:did|does|do|will)\s+(?:[\w&.'’-]+\s+){1,5}?earn\b"
    r"(?!\s+(?:per|on|from|in\s+interest))",
    re.I,
)
_PATTERNS = {
    "balance_sheet": re.compile(_BALANCE, re.I),
    "income": re.compile(_INCOME, re.I),
    "cash_flow": re.compile(_CASH_FLOW, re.I),
}


# A figure guided or forecast ("guidance for fiscal 2023 net sales") is in the outlook a
# release or report states, not in a statement, which reports what happened.
FORWARD_RE = re.compile(
    r"\b(?:guidance|guided|outlook|forecast(?:s|ed)?|projections?|projected)\b", re.I
)


def asked_statements(question: str) -> tuple[str, ...]:
    """The statement kinds holding the figures ``question`` names, in ``KINDS`` order;
    empty when it names none (a question about strategy or litigation) or asks a figure
    guided or forecast."""
    if FORWARD_RE.search(question):
        return ()
    found = {k for k, pattern in _PATTERNS.items() if pattern.search(question)}
    if CASH_HELD_RE.search(question):
        found.add("balance_sheet")
    if EARNED_RE.search(question):
        found.add("income")
    return tuple(k for k in KINDS if k in found)
