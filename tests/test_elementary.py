"""The one table of elementary functions: every backend agrees with mpmath, and both the catalog
and the parser are built from it."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from mathcore import CATALOG, FUNCTIONS, parse_function
from mathcore.elementary import ELEMENTARY, USER_FUNCTIONS, backend, function_latex

REFERENCE = {  # written here for mpmath, not taken from the table
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "exp": mpmath.exp, "log": mpmath.log,
    "sqrt": mpmath.sqrt, "tanh": mpmath.tanh, "sigmoid": lambda u: 1 / (1 + mpmath.exp(-u)),
    "abs": abs, "sech": lambda u: 1 / mpmath.cosh(u), "sign": mpmath.sign,
    "sigmoid_prime": lambda u: mpmath.exp(u) / (1 + mpmath.exp(u)) ** 2,
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
@pytest.mark.parametrize("u", [0.3, 1.7, 25.0, -4.5])
def test_numpy_torch_and_mpmath_forms_agree_with_the_truth(name, u):
    import torch

    if name in ("log", "sqrt") and u < 0:  # outside the domain: NaN, and None from mpmath
        with np.errstate(invalid="ignore"):
            assert np.isnan(ELEMENTARY[name].numpy(np.float64(u)))
        assert ELEMENTARY[name].mpmath(mpmath.mpf(u)) is None
        return
    with mpmath.workdps(40):
        truth = float(REFERENCE[name](mpmath.mpf(u)))
        assert float(ELEMENTARY[name].mpmath(mpmath.mpf(u))) == pytest.approx(truth, rel=1e-30)
    with np.errstate(all="ignore"):
        assert float(ELEMENTARY[name].numpy(np.float64(u))) == pytest.approx(truth, rel=4e-15)
    assert float(ELEMENTARY[name].torch(torch.tensor(u, dtype=torch.float64))) == pytest.approx(truth, rel=4e-15)


def test_user_functions_come_from_the_table():
    assert FUNCTIONS == USER_FUNCTIONS == ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "abs")
    for name in USER_FUNCTIONS:
        p = parse_function(f"{name}(x)")
        assert type(p.expression) is ELEMENTARY[name].sympy() or name == "sqrt"
        assert float(p.f(0.7)) == float(ELEMENTARY[name].numpy(np.float64(0.7)))


def test_the_catalog_uses_the_same_table():
    m = backend("numpy")
    for name in ELEMENTARY:
        assert getattr(m, name) is ELEMENTARY[name].numpy
    fn = CATALOG["sigmoid(2x-1)"]
    assert float(fn.f(0.9)) == float(ELEMENTARY["sigmoid"].numpy(np.float64(2 * 0.9 - 1)))


def test_sech_and_sigmoid_forms_never_overflow():
    u = np.array([-800.0, -40.0, 40.0, 800.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is right
        sech = ELEMENTARY["sech"].numpy(u)
        prime = ELEMENTARY["sigmoid_prime"].numpy(u)
    np.testing.assert_allclose(sech[1:3], 2 * np.exp(-40.0), rtol=1e-15)
    np.testing.assert_allclose(prime[1:3], np.exp(-40.0) / (1 + np.exp(-40.0)) ** 2, rtol=1e-15)
    assert sech[0] == sech[3] == 0.0


def test_latex_and_backend_names():
    assert function_latex("abs", "x - 1") == r"\left|x - 1\right|"
    with pytest.raises(ValueError, match="unknown function 'foo'"):
        function_latex("foo", "x")
    with pytest.raises(ValueError, match="numpy, torch or mpmath"):
        backend("jax")
