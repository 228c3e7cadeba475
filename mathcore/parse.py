"""Safe parsing of a user's function of x into numpy and torch callables and their derivative.

The text is parsed by Python's ``ast`` module and every node is checked against a short
allow-list before a sympy expression is built from it; nothing the user types is ever passed to
``eval``, ``exec`` or ``sympify``. Evaluation walks the sympy tree with numpy or torch
functions, so no code is generated either.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

MAX_LENGTH = 200
"""Longest expression accepted, in characters."""
MAX_NODES = 120
"""Most syntax-tree nodes accepted: bounds the work of parsing and differentiating."""
MAX_EXPONENT = 1000
"""Largest |exponent| of a power: keeps constant folding and derivative growth bounded."""
MAX_CONSTANT_DIGITS = 400
"""Largest constant, in decimal digits, that a power of numbers may fold to."""

FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "abs")
"""The functions a user may call."""
CONSTANTS = ("pi", "e")
"""The named constants a user may write, besides the variable x."""


def _sympy_namespace() -> dict[str, Any]:
    import sympy

    class sigmoid(sympy.Function):  # noqa: N801 - the name users type
        """The logistic function, kept as one node so its derivative stays sigma(u) sigma(-u)."""

        def fdiff(self, argindex: int = 1) -> Any:
            u = self.args[0]
            return sigmoid(u) * sigmoid(-u)

        def _latex(self, printer: Any) -> str:
            return r"\sigma\left(%s\right)" % printer._print(self.args[0])

    return {
        "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp,
        "log": sympy.log, "sqrt": sympy.sqrt, "tanh": sympy.tanh, "abs": sympy.Abs,
        "sigmoid": sigmoid, "pi": sympy.pi, "e": sympy.E,
    }


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
        return self.sp.Float(node.value)

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
        """A constant sub-expression must fit a float: sympy would otherwise evaluate towers
        like exp(exp(exp(9))) in arbitrary precision, without end, whenever it asks a question
        of them."""
        if value.is_number:
            try:
                number = _constant(value)
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
            value = _constant(exponent)
            if not abs(value) <= MAX_EXPONENT:  # also catches inf and nan
                raise ValueError(f"the exponent in '{self._snippet(node)}' is too large; "
                                 f"exponents are limited to {MAX_EXPONENT} in size.")
        if base.is_number and exponent.is_number:
            size = abs(_constant(exponent)) * math.log10(max(abs(_constant(base)), 1.0) + 1)
            if not size <= MAX_CONSTANT_DIGITS:
                raise ValueError(f"'{self._snippet(node)}' is too large a number to work with.")
        if base == 0 and exponent.is_number and _constant(exponent) <= 0:
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
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"'{_shown(text)}' is not a valid expression ({exc.msg}); "
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
    return expr, builder.x


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
        if exponent.is_number and not abs(_constant(exponent)) <= MAX_EXPONENT:
            raise ValueError(f"'{text}' has a power too large; exponents are limited to "
                             f"{MAX_EXPONENT} in size.")


def _table(backend: str) -> dict[str, Any]:
    """The functions of one backend, by sympy class. torch is imported on first use only."""
    import sympy

    if backend == "numpy":
        return {"mod": np, "sigmoid": _np_sigmoid, "funcs": {
            sympy.sin: np.sin, sympy.cos: np.cos, sympy.tan: np.tan, sympy.exp: np.exp,
            sympy.log: np.log, sympy.tanh: np.tanh, sympy.Abs: np.abs, sympy.sign: np.sign}}
    import torch

    return {"mod": torch, "sigmoid": torch.sigmoid, "funcs": {
        sympy.sin: torch.sin, sympy.cos: torch.cos, sympy.tan: torch.tan, sympy.exp: torch.exp,
        sympy.log: torch.log, sympy.tanh: torch.tanh, sympy.Abs: torch.abs, sympy.sign: torch.sign}}


def _number(e: Any) -> float:
    """A sympy number atom as a float; too large for a float is infinity, not an error."""
    try:
        return float(e)
    except OverflowError:
        return math.copysign(math.inf, 1 if e > 0 else -1)


def _walk(e: Any, x: Any, x_symbol: Any, t: dict[str, Any]) -> Any:
    """Evaluate a sympy tree node by node in floating point.

    Constants are computed the same way, never by sympy's arbitrary-precision evalf, which can
    run without end on towers such as exp(exp(exp(exp(9)))).
    """
    if x_symbol is not None and e == x_symbol:
        return x
    if e.is_Number:
        return _number(e)
    if e.is_NumberSymbol:
        return float(e)  # pi and e
    if e.is_Add or e.is_Mul:
        out = _walk(e.args[0], x, x_symbol, t)
        for a in e.args[1:]:
            value = _walk(a, x, x_symbol, t)
            out = out + value if e.is_Add else out * value
        return out
    if e.is_Pow:
        base, exponent = e.args
        if exponent.is_Rational and exponent.p == 1 and exponent.q == 2:
            return t["mod"].sqrt(_walk(base, x, x_symbol, t))
        base_value = _walk(base, x, x_symbol, t)
        if isinstance(base_value, float):  # numpy, not Python, for overflow and negative bases
            base_value = np.float64(base_value)
        return base_value ** _walk(exponent, x, x_symbol, t)
    if type(e).__name__ == "sigmoid":
        return t["sigmoid"](_walk(e.args[0], x, x_symbol, t))
    fn = t["funcs"].get(type(e))
    if fn is None:
        raise ValueError(f"cannot evaluate {e}; this is a bug in mathcore.parse.")
    return fn(_walk(e.args[0], x, x_symbol, t))


def _constant(e: Any) -> float:
    """The float64 value of a constant expression (inf or nan where it has none)."""
    with np.errstate(all="ignore"):
        return float(np.real(_walk(e, None, None, _table("numpy"))))


def _evaluator(expr: Any, x_symbol: Any, backend: str) -> Callable[[Any], Any]:
    """A callable that evaluates ``expr`` by walking its tree with numpy or torch functions.

    torch is imported on the first torch call, not here: parsing stays fast for the scenes and
    the CLI, which only need numpy.
    """
    table: dict[str, Any] = {}

    def call(x: Any) -> Any:
        if not table:
            table.update(_table(backend))
        if backend == "numpy":
            x = np.asarray(x)
            with np.errstate(all="ignore"):
                out = _walk(expr, x, x_symbol, table)
            return np.broadcast_to(out, np.shape(x)) + np.zeros_like(x)  # constant f gives an array
        out = _walk(expr, x, x_symbol, table)
        mod = table["mod"]
        return out if isinstance(out, mod.Tensor) else mod.full_like(x, float(out))

    return call


def _np_sigmoid(u: Any) -> Any:
    from .sigmoid import sigmoid

    if np.iscomplexobj(u):  # the complex step evaluates f off the real axis
        return 1 / (1 + np.exp(-u))
    return sigmoid(u)


@dataclass(frozen=True)
class ParsedFunction:
    """A user's function of x: the expression, its derivative, and callables for both."""

    text: str
    expression: Any
    derivative: Any
    latex: str
    derivative_latex: str
    f: Callable[[Any], Any]
    df: Callable[[Any], Any]
    f_torch: Callable[[Any], Any]
    df_torch: Callable[[Any], Any]

    def check_point(self, x0: float) -> None:
        """Raise ValueError unless f and f' are finite at x0 (x0 lies in the domain).

        Examples
        --------
        >>> parse_function("log(x)").check_point(-1.0)
        Traceback (most recent call last):
        ...
        ValueError: x0 = -1 lies outside the domain of log(x): f or f' is not finite there.
        """
        if not math.isfinite(x0):
            raise ValueError(f"x0 must be a finite number; got {x0!r}.")
        values = [np.asarray(self.f(np.float64(x0))), np.asarray(self.df(np.float64(x0)))]
        if not all(np.all(np.isfinite(v)) and not np.iscomplexobj(v) for v in values):
            raise ValueError(f"x0 = {x0:g} lies outside the domain of {self.text}: "
                             "f or f' is not finite there.")


def parse_function(text: str) -> ParsedFunction:
    r"""Parse a function of x and differentiate it symbolically.

    Accepts numbers, ``x``, ``+ - * / **`` (and ``^`` for power), the functions sin cos tan
    exp log sqrt tanh sigmoid abs, and the constants pi and e. Anything else (other names,
    attributes, other calls, huge powers such as ``x**9**9**9``) raises ValueError with the
    reason.

    Examples
    --------
    >>> p = parse_function("x**2*sin(x)")
    >>> float(p.f(np.pi / 2)), p.derivative_latex
    (2.4674011002723395, 'x^{2} \\cos{\\left(x \\right)} + 2 x \\sin{\\left(x \\right)}')
    """
    import sympy

    expr, x = _to_sympy(text)
    if expr.free_symbols - {x}:
        raise ValueError("the function may only depend on x.")
    try:
        derivative = sympy.diff(expr, x)
    except Exception as exc:  # sympy refusing is still the user's expression at fault
        raise ValueError(f"'{_shown(text)}' could not be differentiated: {exc}.") from None
    return ParsedFunction(
        text=text.strip(),
        expression=expr,
        derivative=derivative,
        latex=sympy.latex(expr),
        derivative_latex=sympy.latex(derivative),
        f=_evaluator(expr, x, "numpy"),
        df=_evaluator(derivative, x, "numpy"),
        f_torch=_evaluator(expr, x, "torch"),
        df_torch=_evaluator(derivative, x, "torch"),
    )
