"""Exact higher derivatives of a parsed function, for the error model.

sympy differentiates the parsed expression and ``ParsedFunction.derivative(k)`` evaluates the
result correctly rounded (mpmath until the double is settled, by the parser's own tree walker,
so no code is generated). sympy is imported only when this is called.
"""

from __future__ import annotations

from typing import Any, Callable

from .parse import MAX_DERIVATIVE_ORDER, ParsedFunction

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
    if not isinstance(fn, ParsedFunction):
        raise ValueError(f"fn must be a ParsedFunction from parse_function; got {type(fn).__name__}.")
    if not orders or any(not isinstance(k, int) or not 2 <= k <= MAX_DERIVATIVE_ORDER for k in orders):
        raise ValueError(f"orders must be whole numbers of at least 2 and at most {MAX_DERIVATIVE_ORDER}; "
                         f"got {orders!r}.")
    return {k: fn.derivative(k) for k in orders}
