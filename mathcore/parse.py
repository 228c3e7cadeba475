"""A user's function of x, parsed safely, with its derivatives and its singular points.

``mathcore._syntax`` turns the text into a sympy expression without ever evaluating it as code;
evaluation walks the sympy tree with numpy, torch or mpmath functions (``mathcore._evaluate``),
so no code is generated either.

f is evaluated in floating point, as a user's own code would: its rounding is what finite
differences are about. Derivatives are the reference those differences are measured against, so
they are correctly rounded: evaluated in mpmath at increasing precision until the float64 result
is settled (no cancellation in sympy's formula can cost accuracy), then rounded once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ._evaluate import exact_evaluator, float_evaluator
from ._syntax import CONSTANTS, FUNCTIONS, MAX_EXPONENT, MAX_LENGTH, MAX_NODES, _shown, _to_sympy
from .elementary import stable_forms
from .singular import PointClass, Singularity, classify, one_sided_limits, singular_points

__all__ = ["CONSTANTS", "FUNCTIONS", "MAX_EXPONENT", "MAX_LENGTH", "MAX_NODES", "ParsedFunction",
           "parse_function"]

MAX_DERIVATIVE_ORDER = 8
"""Highest derivative ``ParsedFunction.derivative`` gives."""
MAX_DERIVATIVE_NODES = 50_000
"""Largest derivative expression, in sympy nodes, that is evaluated (bounds swell in high orders)."""


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
    f_torch: Callable[[Any], Any]
    df_torch: Callable[[Any], Any]
    variable: Any = field(repr=False)
    _higher: dict[int, tuple[Any, Callable[[Any], Any]]] = field(
        default_factory=dict, repr=False, compare=False)

    @property
    def df(self) -> Callable[[Any], Any]:
        """The first derivative as a numpy callable, correctly rounded: ``derivative(1)``."""
        return self.derivative(1)

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
            patch = None if n == 0 else (lambda x0, n=n: self._where_formula_fails(n, x0))
            domain = None if n == 0 else self.expression
            self._higher[n] = (expr, exact_evaluator(expr, self.variable, patch, domain))
        return self._higher[n]

    def _where_formula_fails(self, n: int, x0: float) -> float | None:
        """f^(n)(x0) where sympy's formula for it is undefined but the derivative exists.

        That needs f^(n-1) defined at x0 and continuous there, and f^(n) with one finite limit
        from both sides; by the mean value theorem f^(n)(x0) is then that limit.
        """
        below = float(self.derivative(n - 1)(x0))
        if not math.isfinite(below):
            return None
        lower_left, lower_right = one_sided_limits(self._order(n - 1)[0], self.variable, x0)
        left, right = one_sided_limits(self._order(n)[0], self.variable, x0)
        if None in (lower_left, lower_right, left, right) or not math.isfinite(left):
            return None
        close = (math.isclose(lower_left, below, rel_tol=1e-9, abs_tol=1e-300)
                 and math.isclose(lower_right, below, rel_tol=1e-9, abs_tol=1e-300)
                 and math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-300))
        return left if close else None

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
                        _shown(self.text), self.df)

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
    if not math.isfinite(b - a):
        raise ValueError(f"the interval [{a:g}, {b:g}] is too wide to search; its width must be a finite float.")
    return a, b


def _latex(expr: Any) -> str:
    """LaTeX with every number to 15 significant digits (0.1 rather than its 50-digit double)."""
    import sympy

    return sympy.latex(expr.xreplace({f: sympy.Float(f, 15) for f in expr.atoms(sympy.Float)}))


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
        latex=_latex(expr),
        derivative_latex=_latex(derivative),
        f=float_evaluator(expr, x, "numpy"),
        f_torch=float_evaluator(expr, x, "torch"),
        df_torch=float_evaluator(derivative, x, "torch"),
        variable=x,
    )
