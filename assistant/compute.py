"""Computations with verified operands: a formula whose every input is quoted from a source.

A ``Computation`` names its operands (``a``, ``gross_profit``...), each a number as a source
writes it ("15,000", "$4.2 billion", "(35)") with the 1-based source it comes from. Rules
(``assistant.formulas``) or a language model propose one; ``check`` then evaluates the
expression with the safe evaluator (``assistant.arithmetic``, never ``eval``) and keeps it
only if every operand is a figure of its cited source, scale included and unrounded
(``assistant.quantities.source_has_number``). The result is always computed here, never taken from
the proposer, and shown with its formula: ``gross margin = 15,000 / 23,000 * 100 = 65.2% [1]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assistant.answer import Citation
from assistant.arithmetic import ComputationError, evaluate, parse_number
from assistant.quantities import SCALES, source_has_number
from retrieval.types import Passage

MAX_OPERANDS = 12
MAX_LABEL_CHARS = 80
# A result's unit: a percentage, a multiple, a plain number, or an amount in the scale
# its sources state (check() requires every operand's page to state that scale).
SCALE_UNITS = {"thousands": "thousand", "millions": "million", "billions": "billion"}
_SCALE_EXPONENT = {"thousand": 3, "million": 6, "billion": 9}
# A change of a percentage between two years ("gross margin 21.4% against 22.5%").
POINTS = " percentage points"
UNITS = ("%", "x", "", POINTS, *SCALE_UNITS.values())
_LETTER_RE = re.compile(r"[a-z]", re.I)
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")
_QUANTITY_RE = re.compile(
    r"^\s*(?P<neg>[-\u2212])?\s*(?P<open>\()?\s*(?P<cur>[$€£¥])?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<scale>%|thousand|million|billion|trillion|k|m|mn|bn|b|tn)?\s*(?P<close>\))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Operand:
    name: str  # the name the expression uses
    text: str  # the number as the source writes it: "15,000", "$4.2 billion", "48.0%"
    source: int  # 1-based index into the sources the answer was written from
    label: str = ""  # what the number is: "Revenue FY2025A"
    quote: str = ""  # the source's row or sentence holding it, when known


@dataclass(frozen=True, slots=True)
class Computation:
    """A proposed formula; ``check`` decides whether it may be shown."""

    label: str  # "gross margin FY2025A"
    expression: str  # over operand names: "gross_profit / revenue * 100"
    operands: tuple[Operand, ...]
    unit: str = ""  # "%", "x", "", or a scale ("million") the sources state
    # The question asked for amounts in that scale ("Answer in USD millions"): the label
    # says the scale once and the result is the bare number, as asked.
    scale_asked: bool = False
    # The scale the operands are stated in when the result is shown in another one (a
    # figure in thousands asked in millions): check() converts, the expression does not.
    converted_from: str = ""


@dataclass(frozen=True, slots=True)
class CheckedComputation:
    computation: Computation
    ok: bool
    reason: str  # why it was dropped; "" when ok
    result: Decimal | None = None

    def formula(self, markers: Mapping[int, int] | None = None) -> str:
        """``label = 15,000 / 23,000 * 100 = 65.2% [1][2]``; markers map source -> number."""
        if self.result is None:
            raise ValueError("a dropped computation has no formula to show")
        c = self.computation
        shown = {o.name: o.text for o in c.operands}
        body = re.sub(r"[A-Za-z_]\w*", lambda m: shown.get(m.group(), m.group()), c.expression)
        sources = list(dict.fromkeys(o.source for o in c.operands))
        numbers = sorted({markers.get(s, s) if markers else s for s in sources})
        cited = "".join(f"[{n}]" for n in numbers)
        label, unit = c.label, c.unit
        if c.scale_asked and unit in SCALE_UNITS.values():
            label, unit = f"{label} (in {unit}s)", ""
        body = " ".join(body.split()) + (f" {c.converted_from}" if c.converted_from else "")
        return f"{label} = {body} = {format_result(self.result, unit)} {cited}"


def quantity(text: str) -> Decimal:
    """The value of a number as written, scale applied: "$4.2 billion" -> 4200000000."""
    match = _QUANTITY_RE.match(text.replace("\u2212", "-"))
    if not match:
        raise ComputationError(f"not a single number: {text[:60]!r}")
    value = parse_number(match["num"])
    scale = (match["scale"] or "").lower()
    if scale in SCALES:
        value = value.scaleb(SCALES[scale])
    negative = bool(match["neg"]) or bool(match["open"] and match["close"])
    return parse_number(str(-value if negative else value))


# A table's scale stated in its passage's text where the page's statement scale is not
# known: "(amounts in millions)", "(In millions, except per share data)".
_TEXT_SCALE_RE = re.compile(
    r"\(\s*(?:amounts|dollars|\$)?\s*in\s+(thousands|millions|billions)\b", re.IGNORECASE
)


def stated_scale(passage: Passage) -> str:
    """The scale ``passage``'s amounts are stated in: its statement page's (ingest), else
    the one scale its own text states in brackets; "" when none or several are."""
    if passage.scale:
        return passage.scale
    found = {m.lower() for m in _TEXT_SCALE_RE.findall(passage.text)}
    return found.pop() if len(found) == 1 else ""


def has_own_scale(text: str) -> bool:
    """Whether a figure writes a scale of its own ("$4.2 billion", "12bn"): any letter."""
    return _LETTER_RE.search(text) is not None


def format_result(value: Decimal, unit: str) -> str:
    """65.2% / 1.52x / 1,234.57 / -1,561.00 million / -1.1 percentage points: one decimal
    for percentages and their changes, two otherwise."""
    places = Decimal("0.1") if unit in ("%", POINTS) else Decimal("0.01")
    rounded = value.quantize(places)
    return f"{rounded:,} {unit}" if unit in SCALE_UNITS.values() else f"{rounded:,}{unit}"


def check(computation: Computation, sources: Sequence[Passage]) -> CheckedComputation:
    """Evaluate ``computation`` if every operand is a number its cited source contains."""

    def dropped(reason: str) -> CheckedComputation:
        return CheckedComputation(computation, False, reason)

    if computation.unit not in UNITS:
        return dropped(f"unknown unit {computation.unit!r}; use one of {UNITS}")
    scales = tuple(SCALE_UNITS.values())
    stated_in = computation.converted_from or computation.unit
    if computation.converted_from and (
        computation.converted_from not in scales or computation.unit not in scales
    ):
        return dropped(f"a conversion is between two of {scales}")
    if not computation.operands or len(computation.operands) > MAX_OPERANDS:
        return dropped(f"a computation needs 1 to {MAX_OPERANDS} operands")
    values: dict[str, Decimal] = {}
    for operand in computation.operands:
        if not _NAME_RE.match(operand.name) or operand.name in values:
            return dropped(f"invalid or repeated operand name {operand.name!r}")
        if not 1 <= operand.source <= len(sources):
            return dropped(f"operand {operand.name} cites [{operand.source}]: no such source")
        try:
            values[operand.name] = quantity(operand.text)
        except ComputationError as exc:
            return dropped(f"operand {operand.name}: {exc}")
        if not source_has_number(operand.text, sources[operand.source - 1].text):
            return dropped(
                f"operand {operand.name} = {operand.text} is not in source [{operand.source}]"
            )
        stated = stated_scale(sources[operand.source - 1])
        if stated_in in scales and (
            SCALE_UNITS.get(stated) != stated_in or has_own_scale(operand.text)
        ):
            return dropped(
                f"source [{operand.source}] does not state {operand.name} in "
                f"{stated_in}s (its page states {stated or 'no scale'})"
            )
    try:
        result = evaluate(computation.expression, values)
    except ComputationError as exc:
        return dropped(str(exc))
    if computation.converted_from:
        shift = _SCALE_EXPONENT[computation.converted_from] - _SCALE_EXPONENT[computation.unit]
        result = result.scaleb(shift)
    return CheckedComputation(computation, True, "", result)


def from_json(payload: Any) -> Computation:
    """A model's structured proposal -> ``Computation``; bad shapes raise ComputationError.

    ``{"label": "gross margin 2023", "expression": "a / b * 100", "unit": "%",
    "operands": {"a": {"value": "15,000", "source": 1}, "b": {"value": "23,000", "source": 2}}}``
    """
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except json.JSONDecodeError as exc:
            raise ComputationError(f"computation is not valid JSON: {exc.msg}") from None
        except RecursionError:  # "[[[[..." deeper than the decoder's recursion limit
            raise ComputationError("computation is not valid JSON: nested too deeply") from None
    if not isinstance(payload, dict):
        raise ComputationError("computation must be a JSON object")
    label, expression = payload.get("label"), payload.get("expression")
    unit, raw = payload.get("unit", ""), payload.get("operands")
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL_CHARS:
        raise ComputationError(f"computation needs a label of 1 to {MAX_LABEL_CHARS} characters")
    if not isinstance(expression, str) or not isinstance(unit, str):
        raise ComputationError("computation needs an expression and a unit as strings")
    if not isinstance(raw, dict) or not raw or len(raw) > MAX_OPERANDS:
        raise ComputationError(f"computation needs 1 to {MAX_OPERANDS} operands as an object")
    operands = []
    for name, spec in raw.items():
        if not isinstance(spec, dict):
            raise ComputationError(f"operand {name!r} must be an object with value and source")
        value, source = spec.get("value"), spec.get("source")
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not isinstance(source, int) or isinstance(source, bool):
            raise ComputationError(f"operand {name!r} needs a value (string) and a source number")
        operands.append(Operand(str(name), value.strip(), source, str(spec.get("label", ""))[:80]))
    return Computation(" ".join(label.split()), expression, tuple(operands), unit.strip())


def attach(
    text: str,
    citations: Sequence[Citation],
    numbers: Mapping[int, int],
    checked: Sequence[CheckedComputation],
    sources: Sequence[Passage],
) -> tuple[str, list[Citation]]:
    """Add each verified computation's formula line to the answer, cited.

    ``numbers`` maps the original 1-based source index of each of ``citations`` to its
    number in ``text`` (``Verification.source_numbers``; numbers may have gaps where an
    unsupported quote was dropped); an operand's source that no sentence cited yet gets a
    number after all of them and a citation quoting the operand's row.
    """
    out = list(citations)
    # A source numbered in the text but whose sentences were all dropped has no citation:
    # its operands are cited anew.
    shown = {c.number for c in out}
    top = max(numbers.values(), default=0)  # new numbers follow every one the text used
    numbers = {source: n for source, n in numbers.items() if n in shown}
    lines = [text] if text else []
    for item in checked:
        if not item.ok:
            continue
        for operand in item.computation.operands:
            if operand.source in numbers:
                # Cited already: its row may stand on another page of the same chunk.
                at = next(i for i, c in enumerate(out) if c.number == numbers[operand.source])
                quote = operand.quote or operand.text
                out[at] = out[at].quoting_also(sources[operand.source - 1], [quote])
                continue
            top += 1
            number = numbers[operand.source] = top
            out.append(_operand_citation(number, operand, sources[operand.source - 1]))
        lines.append(item.formula(numbers))
    return "\n".join(lines), out


def _operand_citation(number: int, operand: Operand, passage: Passage) -> Citation:
    """An operand was found verbatim in its source (verified before this is called)."""
    quote = operand.quote or operand.text
    return Citation.quoting(number, passage, quote, support=1.0, lexical=1.0, numbers_ok=True)
