"""Safe parsing of a user's function of x into numpy and torch callables and their derivative.

The text is parsed by Python's ``ast`` module and every node is checked against a short
allow-list before a sympy expression is built from it; nothing the user types is ever passed to
``eval``, ``exec`` or ``sympify``. Evaluation walks the sympy tree with numpy, torch or mpmath
functions (``mathcore._evaluate``), so no code is generated either.

f is evaluated in floating point, as a user's own code would: its rounding is what finite
differences are about. Derivatives are the reference those differences are measured against, so
they are correctly rounded: evaluated in mpmath at increasing precision until the float64 result
is settled (no cancellation in sympy's formula can cost accuracy), then rounded once.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ._evaluate import exact_evaluator, float_constant, float_evaluator
from .elementary import ELEMENTARY, USER_FUNCTIONS, stable_forms
from .singular import PointClass, Singularity, classify, singular_points

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
MAX_DERIVATIVE_ORDER = 8
"""Highest derivative ``ParsedFunction.derivative`` gives."""
MAX_DERIVATIVE_NODES = 50_000
"""Largest derivative expression, in sympy nodes, that is evaluated (bounds swell in high orders)."""


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



@dataclass(frozen=True)
class ParsedFunction:
    """A user's function of x: the expression, its derivative, and callables for both.

    ``f`` and ``f_torch`` evaluate f in floating point; ``df`` is f' correctly rounded to
    float64 (see the module docstring); ``df_torch`` evaluates f' in torch with the table's
    cancellation-free forms (sech^2 for tanh', sigma(u) sigma(-u) for sigma').
    ``derivative(n)`` gives f^(n) the way ``df`` gives f'.
    """

    text: str
    expression: Any
    derivative_expression: Any
    latex: str
    derivative_latex: str
    f: Callable[[Any], Any]
    df: Callable[[Any], Any]
    f_torch: Callable[[Any], Any]
    df_torch: Callable[[Any], Any]
    variable: Any = field(repr=False)
    _higher: dict[int, tuple[Any, Callable[[Any], Any]]] = field(
        default_factory=dict, repr=False, compare=False)

    def symbolic_derivative(self, n: int = 1) -> Any:
        """The sympy expression of the n-th derivative (n = 0 gives f itself).

        Examples
        --------
        >>> str(parse_function("tanh(x)").symbolic_derivative(2))
        '-2*tanh(x)*sech(x)**2'
        """
        return self._order(n)[0]

    def derivative(self, n: int = 1) -> Callable[[Any], Any]:
        r"""A numpy callable for :math:`f^{(n)}`, from sympy's ``diff``, correctly rounded.

        Each value is f^(n)(x) evaluated in mpmath at increasing precision until the float64
        result is settled, so it is exact to the last bit (at most half an ULP off) whatever
        cancellation sympy's formula holds. Where f^(n) has no real value the result is NaN or
        infinite. ``derivative(1)`` is ``df``; ``derivative(0)`` is f correctly rounded.

        Parameters
        ----------
        n : int
            The order, 0 to ``MAX_DERIVATIVE_ORDER``.

        Examples
        --------
        >>> p = parse_function("tanh(x)")
        >>> float(p.derivative(1)(20.0))  # 4 e^{-40} (1 - 2 e^{-40} ...): 1 - tanh^2 gives 0
        1.6993417021166355e-17
        >>> float(p.derivative(3)(0.0))  # tanh x = x - x^3/3 + ..., so the third derivative is -2
        -2.0
        """
        return self._order(n)[1]

    def _order(self, n: int) -> tuple[Any, Callable[[Any], Any]]:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= MAX_DERIVATIVE_ORDER:
            raise ValueError(f"the order of a derivative must be a whole number from 0 to "
                             f"{MAX_DERIVATIVE_ORDER}; got {n!r}.")
        n = int(n)
        if n not in self._higher:
            import sympy

            expr = self.expression if n == 0 else self.derivative_expression
            if n > 1:
                expr = stable_forms(sympy.diff(self._order(n - 1)[0], self.variable))
            size = sum(1 for _ in zip(range(MAX_DERIVATIVE_NODES + 1), sympy.preorder_traversal(expr)))
            if size > MAX_DERIVATIVE_NODES:
                raise ValueError(f"the derivative of order {n} of {_shown(self.text)} is too large to "
                                 f"evaluate (over {MAX_DERIVATIVE_NODES} terms); ask for a lower order.")
            self._higher[n] = (expr, exact_evaluator(expr, self.variable))
        return self._higher[n]

    def classify_point(self, x0: float, window: float = 1.0) -> PointClass:
        """Whether f'(x0) exists, and if not why: a kink, pole, jump, endpoint, ...

        Singular points are searched in [x0 - window, x0 + window]; x0 within 4 ULPs of one is
        that point (abs(sin(x)) at the double nearest pi is a kink). See ``mathcore.singular``.

        Examples
        --------
        >>> c = parse_function("abs(x)").classify_point(0.0)
        >>> c.kind, c.left_derivative, c.right_derivative
        ('kink', -1.0, 1.0)
        """
        x0 = _finite_number(x0, "x0")
        window = _finite_number(window, "window")
        if window <= 0:
            raise ValueError(f"window must be positive; got {window:g}.")
        return classify(self.expression, self.derivative_expression, self.variable, x0, window,
                        _shown(self.text))

    def singular_points(self, a: float, b: float) -> tuple[Singularity, ...]:
        """The poles, kinks, jumps, holes and domain endpoints of f in [a, b], in order.

        Examples
        --------
        >>> [(s.x, s.kind) for s in parse_function("log(abs(x - 1))").singular_points(-2, 2)]
        [(1.0, 'pole')]
        """
        a, b = _interval(a, b)
        return singular_points(self.expression, self.derivative_expression, self.variable, a, b,
                               _shown(self.text))

    def singularities(self, a: float, b: float) -> np.ndarray:
        """Sorted x of every singular point of f in [a, b]: where a plotted curve must be split.

        Examples
        --------
        >>> parse_function("tan(x)").singularities(0, 5) / np.pi
        array([0.5, 1.5])
        """
        return np.array([s.x for s in self.singular_points(a, b)], dtype=np.float64)

    def continuous_pieces(self, a: float, b: float) -> list[tuple[float, float]]:
        """The open subintervals of [a, b] on which f is defined and continuous, in order.

        Examples
        --------
        >>> parse_function("sqrt(x)/(x - 1)").continuous_pieces(-1, 2)
        [(0.0, 1.0), (1.0, 2.0)]
        """
        a, b = _interval(a, b)
        cuts = [a, *[float(s) for s in self.singularities(a, b) if a < s < b], b]
        pieces = []
        for lo, hi in zip(cuts, cuts[1:]):
            middle = np.asarray(self.f(np.float64(lo + (hi - lo) / 2)))
            if hi > lo and np.all(np.isfinite(middle)):
                pieces.append((lo, hi))
        return pieces

    def check_point(self, x0: float) -> None:
        """Raise ValueError unless f'(x0) exists: x0 in the domain, and no kink, pole or jump there.

        Examples
        --------
        >>> parse_function("log(x)").check_point(-1.0)
        Traceback (most recent call last):
        ...
        ValueError: x0 = -1 lies outside the domain of log(x): f has no real value there.
        """
        point = self.classify_point(x0)
        if not point.differentiable:
            raise ValueError(point.reason)


def _finite_number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {type(value).__name__}.") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {number!r}.")
    return number


def _interval(a: Any, b: Any) -> tuple[float, float]:
    a, b = _finite_number(a, "a"), _finite_number(b, "b")
    if not a < b:
        raise ValueError(f"the interval [a, b] needs a < b; got a = {a:g}, b = {b:g}.")
    return a, b


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
        derivative = stable_forms(sympy.diff(expr, x))
    except Exception as exc:  # sympy refusing is still the user's expression at fault
        raise ValueError(f"'{_shown(text)}' could not be differentiated: {exc}.") from None
    return ParsedFunction(
        text=text.strip(),
        expression=expr,
        derivative_expression=derivative,
        latex=sympy.latex(expr),
        derivative_latex=sympy.latex(derivative),
        f=float_evaluator(expr, x, "numpy"),
        df=exact_evaluator(derivative, x),
        f_torch=float_evaluator(expr, x, "torch"),
        df_torch=float_evaluator(derivative, x, "torch"),
        variable=x,
    )
