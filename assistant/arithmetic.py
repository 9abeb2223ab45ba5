"""A safe arithmetic evaluator: numbers, named operands, + - * / ( ), unary minus, and
``abs``, ``min``, ``max``, ``round``, ``avg``. Nothing else is ever run.

Expressions come from rules or from a language model, so the text is parsed with
``ast.parse(mode="eval")`` and every node is checked against a whitelist before anything
is computed; ``eval`` is never called. Arithmetic is exact ``Decimal`` (no float drift in
"15,000 / 23,000"); division by zero, absurd magnitudes, over-long or deeply nested input
and anything outside the whitelist raise ``ComputationError`` with the reason.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from decimal import Context, Decimal, DecimalException, InvalidOperation

MAX_EXPRESSION_CHARS = 500
MAX_NODES = 200
MAX_DEPTH = 24
MAX_MAGNITUDE = Decimal("1e18")  # beyond any balance sheet: a unit or parsing mistake
_CONTEXT = Context(prec=34, Emin=-999, Emax=999, traps=[InvalidOperation])


class ComputationError(ValueError):
    """The expression cannot be evaluated safely; ``str(exc)`` says why."""


def _avg(*values: Decimal) -> Decimal:
    return _CONTEXT.divide(sum(values, Decimal(0)), Decimal(len(values)))


def _round(value: Decimal, digits: Decimal = Decimal(0)) -> Decimal:
    if digits != digits.to_integral_value() or not 0 <= digits <= 12:
        raise ComputationError("round() takes 0 to 12 whole digits")
    return value.quantize(Decimal(1).scaleb(-int(digits)), context=_CONTEXT)


_FUNCTIONS: dict[str, tuple[Callable[..., Decimal], int, int]] = {
    # name: (function, fewest arguments, most arguments)
    "abs": (abs, 1, 1),
    "min": (min, 1, 50),
    "max": (max, 1, 50),
    "avg": (_avg, 1, 50),
    "round": (_round, 1, 2),
}
FUNCTIONS = frozenset(_FUNCTIONS)


def parse_number(text: str) -> Decimal:
    """A number as a person writes it: "1,234.5", "(35)" (negative), "−2", "48.0%" (48.0)."""
    raw = text.strip().replace("\u2212", "-").replace(",", "").replace("$", "").rstrip("%")
    negative = raw.startswith("(") and raw.endswith(")")
    raw = raw.strip("()").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ComputationError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ComputationError(f"not a finite number: {text!r}")
    return _checked(-value if negative else value)


def _checked(value: Decimal) -> Decimal:
    if not value.is_finite() or abs(value) > MAX_MAGNITUDE:
        raise ComputationError(f"magnitude out of range (over {MAX_MAGNITUDE:.0E})")
    return value


def evaluate(expression: str, operands: Mapping[str, Decimal] | None = None) -> Decimal:
    """The value of ``expression``; names must be keys of ``operands``."""
    if not isinstance(expression, str) or not expression.strip():
        raise ComputationError("empty expression")
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise ComputationError(f"expression longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) else type(exc).__name__
        raise ComputationError(f"malformed expression: {reason}") from None
    nodes = sum(1 for _ in ast.walk(tree))
    if nodes > MAX_NODES:
        raise ComputationError(f"expression has {nodes} parts, over {MAX_NODES}")
    return _Evaluator(dict(operands or {})).run(tree.body, 0)


class _Evaluator:
    def __init__(self, operands: dict[str, Decimal]) -> None:
        for name, value in operands.items():
            if not name.isidentifier() or name in _FUNCTIONS:
                raise ComputationError(f"invalid operand name {name!r}")
            if not isinstance(value, Decimal):
                raise ComputationError(f"operand {name!r} is not a Decimal")
            _checked(value)
        self.operands = operands

    def run(self, node: ast.AST, depth: int) -> Decimal:
        if depth > MAX_DEPTH:
            raise ComputationError(f"expression nested deeper than {MAX_DEPTH}")
        try:
            return _checked(self._node(node, depth + 1))
        except (DecimalException, OverflowError) as exc:
            raise ComputationError(f"arithmetic error: {type(exc).__name__}") from None

    def _node(self, node: ast.AST, depth: int) -> Decimal:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise ComputationError(f"only numbers are allowed, not {node.value!r}")
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            if node.id not in self.operands:
                raise ComputationError(f"unknown operand {node.id!r}")
            return self.operands[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            value = self.run(node.operand, depth)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            return self._binary(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        raise ComputationError(f"not allowed in an expression: {type(node).__name__}")

    def _binary(self, node: ast.BinOp, depth: int) -> Decimal:
        left, right = self.run(node.left, depth), self.run(node.right, depth)
        if isinstance(node.op, ast.Add):
            return _CONTEXT.add(left, right)
        if isinstance(node.op, ast.Sub):
            return _CONTEXT.subtract(left, right)
        if isinstance(node.op, ast.Mult):
            return _CONTEXT.multiply(left, right)
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise ComputationError("division by zero")
            return _CONTEXT.divide(left, right)
        raise ComputationError(f"operator not allowed: {type(node.op).__name__}")

    def _call(self, node: ast.Call, depth: int) -> Decimal:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            shown = node.func.id if isinstance(node.func, ast.Name) else type(node.func).__name__
            raise ComputationError(
                f"function not allowed: {shown}; allowed: {', '.join(sorted(_FUNCTIONS))}"
            )
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ComputationError("functions take plain positional arguments")
        function, fewest, most = _FUNCTIONS[node.func.id]
        if not fewest <= len(node.args) <= most:
            raise ComputationError(
                f"{node.func.id}() takes {fewest} to {most} arguments, got {len(node.args)}"
            )
        values: Sequence[Decimal] = [self.run(a, depth) for a in node.args]
        return function(*values)
