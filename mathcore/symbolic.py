"""Exact higher derivatives of a parsed function, for the error model.

sympy differentiates the parsed expression; the result is evaluated by the parser's own tree
walker, so no code is generated. sympy is imported only when this is called.
"""

from __future__ import annotations

from typing import Any, Callable

from .parse import ParsedFunction, _evaluator

MODEL_ORDERS = (2, 3, 5)
"""The derivatives the error models use: f'' (forward, backward), f''' (central, complex step)
and f^(5) (Richardson)."""


def higher_derivatives(fn: ParsedFunction, orders: tuple[int, ...] = MODEL_ORDERS
                       ) -> dict[int, Callable[[Any], Any]]:
    r"""Numpy callables for :math:`f^{(k)}`, k in ``orders`` (each at least 2), by order.

    Pass the result as ``derivatives=`` to ``error_sweep`` or ``error_model``.

    Examples
    --------
    >>> from mathcore import parse_function
    >>> d = higher_derivatives(parse_function("x**3"))
    >>> float(d[2](2.0)), float(d[3](2.0)), float(d[5](2.0))  # 6 x, 6, 0
    (12.0, 6.0, 0.0)
    """
    import sympy

    if not isinstance(fn, ParsedFunction):
        raise ValueError(f"fn must be a ParsedFunction from parse_function; got {type(fn).__name__}.")
    if not orders or any(not isinstance(k, int) or k < 2 for k in orders):
        raise ValueError(f"orders must be whole numbers of at least 2; got {orders!r}.")
    symbols = sorted(fn.expression.free_symbols, key=str)
    x = symbols[0] if symbols else sympy.Symbol("x", real=True)
    out: dict[int, Callable[[Any], Any]] = {}
    current = fn.derivative
    for k in range(2, max(orders) + 1):
        current = sympy.diff(current, x)
        if k in orders:
            out[k] = _evaluator(current, x, "numpy")
    return out
