"""From a user's text to a sympy expression, safely.

The text is parsed by Python's ``ast`` module and every node is checked against a short
allow-list before a sympy expression is built from it; nothing the user types is ever passed to
``eval``, ``exec`` or ``sympify``. Sizes are bounded: the text, its syntax tree, exponents and
the constants they fold to, so no input makes sympy work without end.
"""

from __future__ import annotations

import ast
import math
import warnings
from typing import Any

from ._evaluate import float_constant
from .elementary import ELEMENTARY, USER_FUNCTIONS, stable_forms

MAX_LENGTH = 200
"""Longest expression accepted, in characters."""
MAX_NODES = 120
"""Most syntax-tree nodes accepted: bounds the work of parsing and differentiating."""
MAX_EXPONENT = 1000
"""Largest |exponent| of a power: keeps constant folding and derivative growth bounded."""
MAX_CONSTANT_DIGITS = 400
"""Largest constant, in decimal digits, that a power of numbers may fold to."""

FUNCTIONS = USER_FUNCTIONS
"""The functions a user may call (from the one table in ``mathcore.elementary``)."""
CONSTANTS = ("pi", "e")
"""The named constants a user may write, besides the variable x."""
FLOAT_DIGITS = 50
"""Precision, in digits, of the numbers a user types (exact doubles) and of what sympy folds."""


def _sympy_namespace() -> dict[str, Any]:
    import sympy

    names = {name: ELEMENTARY[name].sympy() for name in FUNCTIONS}
    return {**names, "pi": sympy.pi, "e": sympy.E}


class _Builder(ast.NodeVisitor):
    """Turns an allowed syntax tree into a sympy expression, refusing everything else."""

    def __init__(self, text: str) -> None:
        import sympy

        self.sp = sympy
        self.x = sympy.Symbol("x", real=True)
        self.names = _sympy_namespace()
        self.text = text

    def build(self, node: ast.AST) -> Any:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise ValueError(f"'{self._snippet(node)}' is not allowed in a function of x; "
                             "use numbers, x, + - * / ** and " + ", ".join(FUNCTIONS) + ".")
        return method(node)

    def _snippet(self, node: ast.AST) -> str:
        return _shown(ast.get_source_segment(self.text, node) or type(node).__name__)

    def visit_Expression(self, node: ast.Expression) -> Any:
        return self.build(node.body)

    def visit_Constant(self, node: ast.Constant) -> Any:
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ValueError(f"{node.value!r} is not a number; only numbers, x, pi and e may appear.")
        if isinstance(node.value, float) and not math.isfinite(node.value):
            raise ValueError(f"the number {self._snippet(node)} is too large to be finite.")
        if isinstance(node.value, int):
            return self.sp.Integer(node.value)
        # The double typed, held to 50 digits: sympy folds exp(x + 0.5) into e^0.5 e^x at the
        # precision of its Float, and a 15-digit e^0.5 would cost the derivatives their last bit.
        return self.sp.Float(node.value, FLOAT_DIGITS)

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id == "x":
            return self.x
        if node.id in CONSTANTS:
            return self.names[node.id]
        if node.id in FUNCTIONS:
            raise ValueError(f"'{node.id}' is a function; call it on an argument, like {node.id}(x).")
        raise ValueError(f"unknown name '{node.id}'; the variable is x and the constants are pi and e.")

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ValueError(f"the operator in '{self._snippet(node)}' is not allowed; use + - * / **.")

    def _bounded(self, value: Any, node: ast.AST) -> Any:
        """Refuse a constant sub-expression that does not fit a float.

        sympy would otherwise evaluate towers like exp(exp(exp(9))) in arbitrary precision,
        without end, whenever it asks a question of them.
        """
        if value.is_number:
            try:
                number = float_constant(value)
            except (TypeError, ValueError, OverflowError):
                number = math.nan
            if not math.isfinite(number):
                raise ValueError(f"'{self._snippet(node)}' is undefined or too large a number to work with.")
        return value

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        return self._bounded(self._binop(node), node)

    def _binop(self, node: ast.BinOp) -> Any:
        left, right = self.build(node.left), self.build(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div):
            if right == 0:
                raise ValueError(f"'{self._snippet(node)}' divides by zero.")
            return left / right
        if isinstance(op, ast.Pow):
            return self._power(left, right, node)
        raise ValueError(f"the operator in '{self._snippet(node)}' is not allowed; use + - * / **.")

    def _power(self, base: Any, exponent: Any, node: ast.AST) -> Any:
        if exponent.is_number:
            value = float_constant(exponent)
            if not abs(value) <= MAX_EXPONENT:  # also catches inf and nan
                raise ValueError(f"the exponent in '{self._snippet(node)}' is too large; "
                                 f"exponents are limited to {MAX_EXPONENT} in size.")
        if base.is_number and exponent.is_number:
            size = abs(float_constant(exponent)) * math.log10(max(abs(float_constant(base)), 1.0) + 1)
            if not size <= MAX_CONSTANT_DIGITS:
                raise ValueError(f"'{self._snippet(node)}' is too large a number to work with.")
        if base == 0 and exponent.is_number and float_constant(exponent) <= 0:
            raise ValueError(f"'{self._snippet(node)}' divides by zero.")
        return base**exponent

    def visit_Call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name):
            raise ValueError(f"'{self._snippet(node.func)}' cannot be called; "
                             "only " + ", ".join(FUNCTIONS) + " can.")
        name = node.func.id
        if name not in FUNCTIONS:
            raise ValueError(f"unknown function '{name}'; choose one of: " + ", ".join(FUNCTIONS) + ".")
        if node.keywords or len(node.args) != 1:
            raise ValueError(f"{name}() takes exactly one argument, like {name}(x).")
        return self._bounded(self.names[name](self.build(node.args[0])), node)


def _shown(text: str, limit: int = 60) -> str:
    """User text as it appears in an error message: on one line, and not too long."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _to_sympy(text: str) -> tuple[Any, Any]:
    if not isinstance(text, str):
        raise ValueError(f"the function must be given as text; got {type(text).__name__}.")
    text = text.strip()
    if not text:
        raise ValueError("the function is empty; write an expression in x, such as x**2.")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"the function is {len(text)} characters long; at most {MAX_LENGTH} are accepted.")
    # People write x^2 for x**2. Python would read ^ as xor, with a lower precedence than
    # unary minus and *, so -x^2 would become (-x)**2: the swap happens on the text instead.
    text = text.replace("^", "**")
    try:
        with warnings.catch_warnings():
            # Python prints a SyntaxWarning for text such as 1if or 0x1for before accepting it;
            # raised instead, it becomes this function's one-sentence refusal, not a second line.
            warnings.simplefilter("error", SyntaxWarning)
            tree = ast.parse(text, mode="eval")
    except (SyntaxError, SyntaxWarning) as exc:
        raise ValueError(f"'{_shown(text)}' is not a valid expression ({getattr(exc, 'msg', exc)}); "
                         "write it like x**2*sin(x).") from None
    except (ValueError, RecursionError, MemoryError):
        raise ValueError(f"'{_shown(text)}' could not be parsed as an expression in x.") from None
    nodes = sum(1 for _ in ast.walk(tree))
    if nodes > MAX_NODES:
        raise ValueError(f"the function has {nodes} parts; at most {MAX_NODES} are accepted.")
    builder = _Builder(text)
    try:
        expr = builder.build(tree)
    except RecursionError:
        raise ValueError("the function is nested too deeply to work with.") from None
    _check_bounded(expr, _shown(text))
    return stable_forms(expr), builder.x


def _check_bounded(expr: Any, text: str) -> None:
    """Refuse what sympy folded into infinities or into a power too large to differentiate."""
    import sympy

    if expr.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise ValueError(f"'{text}' is undefined or infinite (it divides by zero).")
    for node in sympy.preorder_traversal(expr):
        if node.is_number and node.is_extended_real is False:
            raise ValueError(f"'{text}' contains {node}, which is not a real number.")
    for power in expr.atoms(sympy.Pow):
        exponent = power.args[1]
        if exponent.is_number and not abs(float_constant(exponent)) <= MAX_EXPONENT:
            raise ValueError(f"'{text}' has a power too large; exponents are limited to "
                             f"{MAX_EXPONENT} in size.")
