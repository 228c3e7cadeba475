r"""What the error scene says about a scheme's best step, as TeX that is literally true.

No manim here: the statements are built from mathcore's scheme records and numbers, so the
tests can rebuild each one and evaluate its equation against the number shown beside it.

A scheme's model is :math:`a h^p + b/h + c` (``mathcore.Scheme.model_terms``). Where it
subtracts values of f and f(x0) is not zero (b > 0), the optimum is the record's own closed form
(``Scheme.optimum_tex``, e.g. :math:`h^* = \sqrt{\varepsilon|f/f''|}`). Where nothing cancels
(complex step, or f(x0) = 0) the error falls to the floor :math:`c = \varepsilon|f'|` and h* is
the step below which it stays there, :math:`(c/a)^{1/p}`; its TeX is built here from the same
record. Where the truncation term vanishes there is no optimum, and without a model (a kink, a
derivative that does not exist) there is nothing to state but that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

import mathcore

OPTIMUM = "optimum"
"""The closed form of the record, a real minimum of the model."""
FLOOR = "floor"
"""Nothing cancels: h* is where truncation meets the floor eps |f'|."""
NO_TRUNCATION = "no-truncation"
"""f^(k)(x0) = 0: the model has no truncation term, so no best step."""
NO_MODEL = "no-model"
"""The model cannot be had at x0."""
MODEL_ONLY = "model-only"
"""No exact f^(k): the model (from mathcore's local fit) gives h*, with no formula to show."""


@dataclass(frozen=True)
class OptimumStatement:
    r"""One scheme's best step as the scene states it.

    ``equation`` is TeX with no number in it (``h^* = \sqrt{...}``), true of ``value`` for the
    ``inputs`` (eps, x, f, df, dk and k, the order of the derivative in the truncation term).
    ``value`` is the closed form, not clipped to the swept steps; ``inside`` says whether it lies
    among them, and so whether the scene may draw it as a marker.
    """

    scheme: str
    kind: str
    equation: str
    value: float
    scaling: str
    inside: bool
    inputs: dict[str, float] = field(default_factory=dict)
    reason: str = ""
    """For NO_MODEL and NO_TRUNCATION: why there is no best step, as TeX."""

    @property
    def number(self) -> str:
        """The value as TeX, two significant digits, or empty when there is none."""
        return sci_tex(self.value) if math.isfinite(self.value) else ""

    def lines(self) -> list[str]:
        """The statement in full, as TeX lines for the side panel."""
        if self.kind in (OPTIMUM, FLOOR):
            second = rf"\approx {self.number}\ \ ({self.scaling})"
            return [self.equation, second] + ([] if self.inside else [r"\text{(off the chart)}"])
        if self.kind == MODEL_ONLY:
            return [rf"h^* \approx {self.number}", r"\text{(model from a local fit of } f')"]
        if self.kind == NO_TRUNCATION:
            return [r"\text{no best step: } " + self.equation, self.reason]
        return [r"\text{no error model here:}", self.reason]

    def compact(self) -> str:
        """One line that keeps the result once the next scheme has the panel."""
        if self.kind in (OPTIMUM, FLOOR, MODEL_ONLY):
            return rf"h^* \approx {self.number}"
        return r"\text{no best step}" if self.kind == NO_TRUNCATION else r"\text{no model}"

    def record(self) -> dict[str, object]:
        """What a test needs to evaluate the equation against the number shown."""
        return {"scheme": self.scheme, "kind": self.kind, "equation": self.equation, "value": self.value,
                "number": self.number, "scaling": self.scaling, "inside": self.inside, "reason": self.reason,
                **self.inputs}


def derivative_tex(k: int, of: str = "f") -> str:
    """f', f'', f''' for k up to 3, then f^{(k)}.

    Examples
    --------
    >>> derivative_tex(2), derivative_tex(5)
    ("f''", 'f^{(5)}')
    """
    return of + "'" * k if k <= 3 else f"{of}^{{({k})}}"


def _coefficient_tex(value: float) -> str:
    r"""A positive rational coefficient as TeX: 2, 6, 480, or \tfrac{3}{2}."""
    q = Fraction(value).limit_denominator(1000)
    if q == 1:
        return ""
    return str(q.numerator) if q.denominator == 1 else rf"\tfrac{{{q.numerator}}}{{{q.denominator}}}"


def _root_tex(p: int, body: str) -> str:
    return body if p == 1 else (rf"\sqrt{{{body}}}" if p == 2 else rf"\sqrt[{p}]{{{body}}}")


def floor_optimum_tex(scheme: mathcore.Scheme) -> str:
    r"""h* where the truncation term meets the floor eps|f'|: :math:`(\varepsilon|f'| / C|f^{(k)}|)^{1/p}`.

    Examples
    --------
    >>> floor_optimum_tex(mathcore.SCHEMES["forward"])
    "h^* = 2\\varepsilon\\,|f'/f''|"
    >>> floor_optimum_tex(mathcore.SCHEMES["central"])
    "h^* = \\sqrt{6\\varepsilon\\,|f'/f'''|}"
    """
    coefficient = _coefficient_tex(1 / scheme.truncation_coefficient)
    body = rf"{coefficient}\varepsilon\,|f'/{derivative_tex(scheme.derivative)}|"
    return "h^* = " + _root_tex(scheme.order, body)


def _eps_power_tex(power: Fraction) -> str:
    if power == 1:
        return r"\propto \varepsilon"
    if power == Fraction(1, 2):
        return r"\propto \sqrt{\varepsilon}"
    return rf"\propto \varepsilon^{{{power.numerator}/{power.denominator}}}"


def optimum_statement(scheme_name: str, precision: str, x: float, fx: float, dfx: float, dk: float | None,
                      h_range: tuple[float, float], model_h: float | None = None) -> OptimumStatement:
    r"""What to say about ``scheme_name``'s best step at x.

    ``dk`` is the exact :math:`f^{(k)}(x)` (None when there is none to be had); ``model_h`` is
    mathcore's model optimum from the sweep (NaN or None when the sweep has no model).

    Examples
    --------
    >>> import numpy as np
    >>> s = optimum_statement("forward", "float64", 1.0, np.e, np.e, np.e, (1e-16, 1.0))
    >>> s.kind, s.equation, s.number
    ('optimum', "h^* = \\sqrt{\\varepsilon\\,|f/f''|}", '1.5\\times10^{-8}')
    """
    scheme = mathcore.SCHEMES[scheme_name]
    eps = float(np.finfo(precision).eps)  # machine epsilon of the precision named
    k = scheme.derivative
    lo, hi = h_range
    inputs = {"eps": eps, "x": x, "f": fx, "df": dfx, "k": k}

    def none(reason: str) -> OptimumStatement:
        return OptimumStatement(scheme_name, NO_MODEL, "", math.nan, "", False, inputs, reason)

    if dk is not None and not math.isfinite(dk):
        return none(rf"{derivative_tex(k)}(x_0)\ \text{{is not finite}}")
    if dk is None:
        if model_h is None or not math.isfinite(model_h):
            return none(r"f'\ \text{is not smooth at}\ x_0")
        return OptimumStatement(scheme_name, MODEL_ONLY, "h^*", model_h, "", lo < model_h < hi, inputs)
    inputs["dk"] = dk
    a, b, c = scheme.model_terms(eps, x, fx, dfx, dk)
    if a == 0 and (b or c):
        return OptimumStatement(scheme_name, NO_TRUNCATION, rf"{derivative_tex(k)}(x_0) = 0", math.inf, "",
                                False, inputs, r"\text{the largest step is best}")
    value = scheme.optimum(eps, x, fx, dfx, dk)
    if not math.isfinite(value):
        return none(rf"f,\ f'\ \text{{and}}\ {derivative_tex(k)}\ \text{{vanish at}}\ x_0")
    if b > 0:  # round-off falls like 1/h: the record's closed form is a real minimum
        kind, equation, scaling = OPTIMUM, scheme.optimum_tex, scheme.scaling_tex
    elif not scheme.subtracts:  # the complex step: the record's closed form is its floor step
        kind, equation, scaling = FLOOR, scheme.optimum_tex, scheme.scaling_tex
    else:  # f(x0) = 0: a subtracting scheme cancels nothing here, and falls to the floor
        kind, equation = FLOOR, floor_optimum_tex(scheme)
        scaling = _eps_power_tex(Fraction(1, scheme.order))
    return OptimumStatement(scheme_name, kind, equation, value, scaling, lo < value < hi, inputs)


def sci_tex(value: float, digits: int = 2) -> str:
    r"""A number as TeX for its magnitude: ``3.0\times10^{-8}``; plain from 0.01 to 9999.

    Examples
    --------
    >>> sci_tex(3.0e-8), sci_tex(0.25), sci_tex(12345.0), sci_tex(0.0)
    ('3.0\\times10^{-8}', '0.25', '1.2\\times10^{4}', '0')
    """
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return r"\infty" if value > 0 else r"-\infty"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    exponent_i = int(exponent)
    if -2 <= exponent_i <= 3:
        return f"{float(f'{value:.{digits}g}'):g}" if abs(value) < 1e4 else mantissa
    return rf"{mantissa}\times10^{{{exponent_i}}}"


def slope_note(scheme_name: str) -> tuple[str, str]:
    r"""The two lines that say how the scheme's model terms scale with h.

    Examples
    --------
    >>> slope_note("central")
    ('\\text{truncation} \\propto h^{2}', '\\text{round-off} \\propto \\varepsilon / h')
    >>> slope_note("complex-step")[1]
    "\\text{round-off} \\approx \\varepsilon\\,|f'|"
    """
    scheme = mathcore.SCHEMES[scheme_name]
    power = "h" if scheme.order == 1 else f"h^{{{scheme.order}}}"
    roundoff = r"\text{round-off} \propto \varepsilon / h" if scheme.subtracts \
        else r"\text{round-off} \approx \varepsilon\,|f'|"
    return rf"\text{{truncation}} \propto {power}", roundoff
