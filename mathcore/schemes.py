r"""One record per difference scheme: everything else (the CLI, the scenes, the sweeps) derives
from it. The precisions are named once too, in ``mathcore.precision``.

A scheme's error model is a truncation term plus a round-off term,

.. math:: E(h) = C\,|f^{(k)}(x)|\,h^p + \frac{\varepsilon\,(c_f |f(x)| + c_x |x f'(x)|)}{h},

and its optimum :math:`h^* = (b / p a)^{1/(p+1)}` with :math:`a = C|f^{(k)}|` and
:math:`b = \varepsilon(c_f|f| + c_x|x f'|)`. The complex step subtracts nothing, so its round-off
is flat, :math:`\varepsilon |f'(x)|`, and its :math:`h^*` is where the truncation term meets that
floor, :math:`\sqrt{6\varepsilon|f'/f'''|}`. The schemes divide by the step actually taken,
:math:`\operatorname{fl}(x+h) - x`, so the rounding of x + h costs nothing (:math:`c_x = 0`);
``forward-naive`` divides by h as written and pays :math:`\varepsilon|x f'|/2h` for it.

The differences take the typical (root-mean-square) rounding of the values they subtract, a
quarter of the worst-case bound most texts use (:math:`\varepsilon|f|/2` instead of
:math:`2\varepsilon|f|` for the forward difference). Their optimum is then
:math:`\sqrt{\varepsilon|f/f''|}`, half the textbook's :math:`2\sqrt{\varepsilon|f/f''|}`
(central: :math:`\sqrt[3]{3\varepsilon|f/f'''|/4}`, 0.63 of the textbook's), and lies where the
measured error curve is lowest: with the bound, the measured best step sat 2 to 6 times below
the model's for x from 1e-3 to 1e6.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import differences as d


@dataclass(frozen=True)
class Scheme:
    """A difference scheme: its estimator, its error model and the labels that state them.

    ``sides`` are the sides of x its stencil reaches (+1 right, -1 left); the model's higher
    derivative is taken only there. ``optimum_tex`` is the closed form :meth:`optimum`
    computes when f(x) is not zero, written as a scene may show it.
    """

    name: str
    title: str
    estimate: Callable[..., np.ndarray]
    kernel: Callable[..., np.ndarray]
    order: int
    derivative: int
    truncation_coefficient: float
    roundoff_coefficient: float
    step_rounding_coefficient: float
    sides: tuple[int, ...]
    optimum_tex: str
    scaling_tex: str

    @property
    def subtracts(self) -> bool:
        """Whether the scheme subtracts values of f (and so has a round-off term in 1/h)."""
        return self.roundoff_coefficient > 0

    def model_terms(self, eps: float, x: float, fx: float, dfx: float, dk: float
                    ) -> tuple[float, float, float]:
        r"""(a, b, c) of the model :math:`a h^p + b / h + c`, with dk = :math:`|f^{(k)}(x)|`.

        Where f(x) = 0 a difference cancels nothing either, and its round-off falls to the
        rounding of the result, :math:`c = \varepsilon|f'(x)|`, as for the complex step.

        Examples
        --------
        >>> SCHEMES["forward"].model_terms(0.5, 0.0, 2.0, 1.0, 4.0)  # a = 4/2, b = eps |f| / 2
        (2.0, 0.5, 0.0)
        """
        a = self.truncation_coefficient * abs(dk)
        b = eps * (self.roundoff_coefficient * abs(fx) + self.step_rounding_coefficient * abs(x * dfx))
        c = eps * abs(dfx) if b == 0 else 0.0
        return a, b, c

    def optimum(self, eps: float, x: float, fx: float, dfx: float, dk: float) -> float:
        r"""The model's optimal step in closed form, unclipped.

        :math:`(b / p a)^{1/(p+1)}` where round-off falls like 1/h, else :math:`(c / a)^{1/p}`,
        the step below which the error stays at its floor. inf where the truncation term
        vanishes (a linear f); NaN where both vanish and the model has no minimum at all.

        Examples
        --------
        >>> eps = float(np.finfo(float).eps)
        >>> h = SCHEMES["central"].optimum(eps, 1.0, np.e, np.e, np.e)
        >>> bool(np.isclose(h, (3 / 4 * eps) ** (1 / 3)))
        True
        """
        a, b, c = self.model_terms(eps, x, fx, dfx, dk)
        p = self.order
        if a == 0:
            return math.inf if (b or c) else math.nan
        if b:
            return (b / (p * a)) ** (1 / (p + 1))
        return (c / a) ** (1 / p) if c else math.nan


def _scheme(name: str, title: str, estimate: Callable[..., Any], kernel: Callable[..., Any], order: int,
            derivative: int, truncation: float, roundoff: float, sides: tuple[int, ...],
            optimum_tex: str, scaling_tex: str, step_rounding: float = 0.0) -> Scheme:
    return Scheme(name, title, estimate, kernel, order, derivative, truncation, roundoff, step_rounding,
                  sides, optimum_tex, scaling_tex)


SCHEMES: dict[str, Scheme] = {
    s.name: s
    for s in (
        _scheme("forward", "forward difference", d.forward_difference, d._forward, 1, 2, 1 / 2, 1 / 2, (1,),
                r"h^* = \sqrt{\varepsilon\,|f/f''|}", r"\propto \sqrt{\varepsilon}"),
        _scheme("backward", "backward difference", d.backward_difference, d._backward, 1, 2, 1 / 2, 1 / 2,
                (-1,), r"h^* = \sqrt{\varepsilon\,|f/f''|}", r"\propto \sqrt{\varepsilon}"),
        _scheme("central", "central difference", d.central_difference, d._central, 2, 3, 1 / 6, 1 / 4,
                (-1, 1), r"h^* = \sqrt[3]{\tfrac{3}{4}\varepsilon\,|f/f'''|}", r"\propto \varepsilon^{1/3}"),
        _scheme("complex-step", "complex step", d.complex_step, d._complex_step, 2, 3, 1 / 6, 0.0, (-1, 1),
                r"h^* = \sqrt{6\varepsilon\,|f'/f'''|}", r"\propto \sqrt{\varepsilon}"),
        _scheme("richardson", "central difference with Richardson extrapolation", d.richardson,
                d._richardson, 4, 5, 1 / 480, 3 / 4, (-1, 1),
                r"h^* = \sqrt[5]{90\,\varepsilon\,|f/f^{(5)}|}", r"\propto \varepsilon^{1/5}"),
        _scheme("forward-naive", "forward difference divided by h as written", d.naive_forward_difference,
                d._naive_forward, 1, 2, 1 / 2, 1 / 2, (1,),
                r"h^* = \sqrt{\varepsilon\,(|f| + |x f'|)\,/\,|f''|}", r"\propto \sqrt{\varepsilon}",
                step_rounding=1 / 2),
    )
}
"""Every scheme, by the name error_sweep, the CLI and the scenes use."""
