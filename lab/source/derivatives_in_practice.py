# %% [markdown]
# # Lab 1: Derivatives in Practice
#
# You have seen the limit definition of the derivative and the rules for computing it
# analytically. In this lab (about 45 minutes) you implement derivative approximations from
# first principles, verify the differentiation rules numerically, and use PyTorch's autograd to
# see what a framework actually computes.
#
# Each section has a cell where **you write a function** (it starts as a stub that raises
# `NotImplementedError`), a **check** cell that tells you whether it is right and, if not, why,
# and a **plot** that appears once the check passes. The animations are the lecture's own scenes.
#
# Run the cells from top to bottom (Shift+Enter). The first cell sets up Google Colab; on your
# own machine it only finds the project folder.

# %%
# Set-up. In Google Colab this installs the project and the system libraries its animations
# need (cairo, pango, TeX), which takes a few minutes the first time; elsewhere it only finds
# the project folder.
import sys
from pathlib import Path

PROJECT_GIT = "https://github.com/OWNER/derivatives-in-practice"  # the course's copy of the project

if "google.colab" in sys.modules:
    import subprocess

    PROJECT = Path("/content/derivatives-in-practice")
    if not PROJECT.exists():
        subprocess.run(["git", "clone", "--depth", "1", PROJECT_GIT, str(PROJECT)], check=True)
    subprocess.run(["bash", str(PROJECT / "scripts" / "system-deps.sh")], check=True)
    # Colab's own numpy and torch stay: reinstalling them would need a restart and a large
    # download. The project itself, then the pinned renderer packages, from its requirements.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(PROJECT)],
                   check=True)
    wanted = ("manim==", "av==", "typer==", "rich==")
    pins = [line.split()[0] for line in (PROJECT / "requirements.txt").read_text().splitlines()
            if line.startswith(wanted)]
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *pins], check=True)
else:
    here = [Path.cwd(), *Path.cwd().parents]
    PROJECT = next((p for p in here if (p / "mathcore" / "lab.py").is_file()), None)
    if PROJECT is None:  # a copy of the notebook outside the project: use the installed mathcore
        import mathcore

        PROJECT = Path(mathcore.__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, Markdown, display

import mathcore
from mathcore import lab


def show_scene(name):
    """The lecture's own animation of a scene, rendered by the project (docs/gifs)."""
    gif = PROJECT / "docs" / "gifs" / f"{name}.gif"
    if gif.is_file():
        display(Image(filename=str(gif)))
    else:
        display(Markdown(f"*Scene `{name}`: render it with `python cli.py render {name} --format gif`.*"))


# %% [markdown]
# ## 1. Finite differences
#
# The derivative is the limit of a difference quotient:
# $f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}$. On a computer we cannot take the limit, so we
# pick a small $h$ and compute the **forward difference** $\frac{f(x+h) - f(x)}{h}$.
#
# Its error has two parts. Truncation: Taylor's theorem gives $f(x+h) = f(x) + hf'(x) +
# \tfrac{h^2}{2}f''(\xi)$, so the quotient is off by about $\tfrac{h}{2}|f''|$, which shrinks with
# $h$. Round-off: $f(x+h)$ and $f(x)$ each carry a relative rounding error of about
# $\epsilon \approx 2.2 \times 10^{-16}$; their difference is tiny, so that error, divided by
# $h$, grows like $\epsilon |f| / h$.
#
# **Write** `forward_difference(f, x, h)`. It must work when `h` is a numpy array of steps
# (one estimate per step): use numpy operations only.

# %% tags=["stub"]
def forward_difference(f, x, h):
    """Estimate f'(x) as (f(x + h) - f(x)) / h, for one step h or a numpy array of steps."""
    # YOUR CODE HERE
    raise NotImplementedError


# %% tags=["solution"]
def forward_difference(f, x, h):
    """Estimate f'(x) as (f(x + h) - f(x)) / h, for one step h or a numpy array of steps."""
    return (f(x + h) - f(x)) / h


# %%
fd_check = lab.check_forward_difference(forward_difference)
fd_check

# %% [markdown]
# **The plot:** the error of your forward difference for $f = e^x$ at $x = 1$ against $h$, on
# log-log axes, with the two parts of the error model.

# %%
if fd_check.passed:
    h = np.logspace(-16, 0, 161)
    error = np.abs(forward_difference(np.exp, 1.0, h) - np.e)
    model = mathcore.error_model(np.exp, np.exp, 1.0, h=h)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.loglog(h, np.maximum(error, 1e-18), ".", label="|your estimate - e|")
    ax.loglog(h, model.truncation, "--", label="truncation  h|f''|/2")
    ax.loglog(h, model.roundoff, ":", label="round-off  ~ eps|f|/h")
    ax.axvline(model.best_h, color="grey", lw=0.8)
    ax.set(xlabel="step h", ylabel="absolute error", ylim=(1e-12, 1e1),
           title=f"Forward difference of e^x at x = 1: best h near {model.best_h:.0e}")
    ax.legend()
    plt.show()
else:
    print("The plot appears once the check above passes.")

# %% [markdown]
# The error falls like $h$ until $h \approx 10^{-8} \approx \sqrt{\epsilon}$, then *rises*: below
# that, rounding in $f(x+h) - f(x)$ wins. At best the forward difference has about 8 correct
# digits. The lecture's `error` scene shows the same sweep, then the central difference and
# float32:

# %%
show_scene("error")

# %% [markdown]
# ## 2. Differentiation rules
#
# The power, product and chain rules give exact derivatives:
# $\frac{d}{dx}x^n = nx^{n-1}$, $(fg)' = f'g + fg'$, $(f \circ g)' = f'(g)\,g'$.
# A finite difference can check them: if your analytic derivative agrees with a numerical
# estimate at several points, it is very likely right.
#
# **Write** the derivatives of $x^5$ (power rule), $x^2 \sin x$ (product rule) and
# $\sin(x^2)$ (chain rule), each for an array of points, and `verify_rule(f, df, x)`, which
# returns one `True` or `False`: does `df` agree with a **central difference**
# $\frac{f(x+h) - f(x-h)}{2h}$ at every point of `x`? (Compare with a relative tolerance;
# `np.allclose` does that.)

# %% tags=["stub"]
def d_power(x):
    """The derivative of x**5."""
    # YOUR CODE HERE
    raise NotImplementedError


def d_product(x):
    """The derivative of x**2 * sin(x), by the product rule."""
    # YOUR CODE HERE
    raise NotImplementedError


def d_chain(x):
    """The derivative of sin(x**2), by the chain rule."""
    # YOUR CODE HERE
    raise NotImplementedError


def verify_rule(f, df, x, h=1e-5):
    """True when df(x) agrees with the central difference of f at every point of x."""
    # YOUR CODE HERE
    raise NotImplementedError


# %% tags=["solution"]
def d_power(x):
    """The derivative of x**5."""
    return 5 * x**4


def d_product(x):
    """The derivative of x**2 * sin(x), by the product rule."""
    return 2 * x * np.sin(x) + x**2 * np.cos(x)


def d_chain(x):
    """The derivative of sin(x**2), by the chain rule."""
    return np.cos(x**2) * 2 * x


def verify_rule(f, df, x, h=1e-5):
    """True when df(x) agrees with the central difference of f at every point of x."""
    numerical = (f(x + h) - f(x - h)) / (2 * h)
    return bool(np.allclose(df(x), numerical))


# %%
rules_check = lab.check_rules(verify_rule, d_power, d_product, d_chain)
rules_check

# %% [markdown]
# **The comparison:** your derivatives (lines) against central differences (dots), and your
# verifier run over the catalog of functions the lecture uses.

# %%
if rules_check.passed:
    cases = [("x^5", lambda x: x**5, d_power), ("x^2 sin x", lambda x: x**2 * np.sin(x), d_product),
             ("sin(x^2)", lambda x: np.sin(x**2), d_chain)]
    x, dots = np.linspace(-2, 2, 401), np.linspace(-2, 2, 17)
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.2))
    for ax, (name, f, df) in zip(axes, cases):
        ax.plot(x, df(x), label="your derivative")
        ax.plot(dots, (f(dots + 1e-5) - f(dots - 1e-5)) / 2e-5, "o", ms=4, label="central difference")
        ax.set_title(f"d/dx {name}")
    axes[0].legend()
    plt.show()
    for fn in mathcore.CATALOG.values():
        if fn.rule in ("power", "product", "chain"):
            ok = verify_rule(fn.f, fn.df, np.array(fn.points))
            print(f"{fn.rule:8} {fn.name:14} d/dx = {fn.derivative_latex:24} verified: {ok}")
else:
    print("The comparison appears once the check above passes.")

# %%
show_scene("rules")

# %% [markdown]
# ## 3. Secant to tangent
#
# The forward difference is the slope of a **secant**: the line through $(x_0, f(x_0))$ and
# $(x_0 + h, f(x_0 + h))$. As $h \to 0$ the secant turns into the **tangent**, whose slope is
# $f'(x_0)$. For $f(x) = x^2$ the secant's slope is exactly $\frac{(x_0+h)^2 - x_0^2}{h} = 2x_0 + h$:
# it is off by $h$ itself.
#
# **Write** `secant_line(f, x0, h)`, returning `(slope, intercept)` of the line
# $y = \text{slope}\cdot x + \text{intercept}$ through those two points, for one `h` or an array.

# %% tags=["stub"]
def secant_line(f, x0, h):
    """Slope and intercept of the line through (x0, f(x0)) and (x0 + h, f(x0 + h))."""
    # YOUR CODE HERE
    raise NotImplementedError


# %% tags=["solution"]
def secant_line(f, x0, h):
    """Slope and intercept of the line through (x0, f(x0)) and (x0 + h, f(x0 + h))."""
    slope = (f(x0 + h) - f(x0)) / h
    return slope, f(x0) - slope * x0


# %%
secant_check = lab.check_secant_line(secant_line)
secant_check

# %% [markdown]
# **The plot:** secants of $x^2$ at $x_0 = 1$ for shrinking $h$, converging to the tangent
# $y = 2x - 1$.

# %%
if secant_check.passed:
    x = np.linspace(-0.5, 2.5, 200)
    steps = np.array([1.0, 0.5, 0.25, 0.1, 0.01])
    slopes, intercepts = secant_line(lambda t: t**2, 1.0, steps)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(x, x**2, "k", lw=2, label="f(x) = x²")
    for h_i, m, b, shade in zip(steps, slopes, intercepts, np.linspace(0.25, 0.9, steps.size)):
        ax.plot(x, m * x + b, color=plt.cm.Blues(shade), label=f"h = {h_i:g}: slope {m:.2f}")
    ax.plot(x, 2 * x - 1, "r--", label="tangent: slope 2")
    ax.plot([1], [1], "ko")
    ax.set(ylim=(-1, 6), xlabel="x", ylabel="y", title="Secants through x0 = 1 and x0 + h")
    ax.legend(fontsize=8)
    plt.show()
else:
    print("The plot appears once the check above passes.")

# %%
show_scene("tangent")

# %% [markdown]
# ## 4. The sigmoid and its vanishing gradient
#
# The logistic sigmoid $\sigma(x) = \frac{1}{1 + e^{-x}}$ squashes any number into $(0, 1)$.
# Its derivative has a neat form, $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$, which peaks at
# $\sigma'(0) = 0.25$ and decays like $e^{-|x|}$: for large $|x|$ the gradient is effectively
# zero, and a network that learns through $\sigma'$ stops learning there.
#
# **Write** `sigmoid(x)` and `sigmoid_prime(x)` for arrays (they are checked out to
# $x = \pm 1000$), and `vanishing_edge(threshold)`: the $x^* > 0$ beyond which
# $\sigma'(x) <$ `threshold`, so the gradient vanishes where $|x| > x^*$ (a fine grid search
# is fine).

# %% tags=["stub"]
def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), for an array of x."""
    # YOUR CODE HERE
    raise NotImplementedError


def sigmoid_prime(x):
    """The derivative sigma(x) * (1 - sigma(x)), for an array of x."""
    # YOUR CODE HERE
    raise NotImplementedError


def vanishing_edge(threshold=0.01):
    """The x* > 0 such that sigma'(x) < threshold exactly when |x| > x*."""
    # YOUR CODE HERE
    raise NotImplementedError


# %% tags=["solution"]
def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), for an array of x."""
    return 1 / (1 + np.exp(-x))


def sigmoid_prime(x):
    """The derivative sigma(x) * (1 - sigma(x)), for an array of x."""
    s = sigmoid(x)
    return s * (1 - s)


def vanishing_edge(threshold=0.01):
    """The x* > 0 such that sigma'(x) < threshold exactly when |x| > x*."""
    x = np.linspace(0.0, 40.0, 400_001)  # sigma' decreases for x > 0: the first x below it
    return float(x[np.argmax(sigmoid_prime(x) < threshold)])


# %%
sigmoid_check = lab.check_sigmoid(sigmoid, sigmoid_prime, vanishing_edge)
sigmoid_check

# %% [markdown]
# **The plot:** $\sigma$ and $\sigma'$ side by side, with the zones where $\sigma' < 0.01$ shaded.

# %%
if sigmoid_check.passed:
    x = np.linspace(-10, 10, 801)
    edge = vanishing_edge(0.01)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5))
    left.plot(x, sigmoid(x))
    left.set_title("σ(x)")
    right.plot(x, sigmoid_prime(x), color="C1")
    right.axhline(0.25, color="grey", lw=0.8, ls="--")
    right.set_title(f"σ'(x): below 0.01 where |x| > {edge:.2f}")
    for ax in (left, right):
        ax.axvspan(-10, -edge, color="C3", alpha=0.15)
        ax.axvspan(edge, 10, color="C3", alpha=0.15)
        ax.set_xlabel("x")
    plt.show()
else:
    print("The plot appears once the check above passes.")

# %%
show_scene("sigmoid")

# %% [markdown]
# ## 5. Autograd
#
# PyTorch does not use finite differences. Each operation records itself as it runs, and
# `.backward()` applies each one's exact derivative rule (the rules of section 2) from the
# output back to the input: the chain rule, mechanised. So autograd agrees with a hand-written
# derivative to the last few bits, while a finite difference is off by about $10^{-10}$.
#
# **Write** `autograd_derivative(f, x)`: `f` takes and returns a torch tensor, `x` is a numpy
# array of points; return $f'(x)$ at every point as a numpy array. Make the tensor with
# `dtype=torch.float64` (a plain `torch.tensor(0.5)` is float32) and `requires_grad=True`.
# Since $y_i$ depends only on $x_i$, `f(t).sum().backward()` puts every derivative in `t.grad`.

# %% tags=["stub"]
import torch


def autograd_derivative(f, x):
    """f'(x) at every point of the numpy array x, computed by torch's .backward()."""
    # YOUR CODE HERE
    raise NotImplementedError


# %% tags=["solution"]
import torch


def autograd_derivative(f, x):
    """f'(x) at every point of the numpy array x, computed by torch's .backward()."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(t).sum().backward()
    return t.grad.numpy()


# %%
autograd_check = lab.check_autograd_derivative(autograd_derivative)
autograd_check

# %% [markdown]
# **The comparison:** autograd against *your* analytic derivatives from sections 2 and 4, in
# units in the last place (ULPs: 0 means bit-for-bit equal), beside a central difference.

# %%
if autograd_check.passed and rules_check.passed and sigmoid_check.passed:
    x = np.linspace(-2, 2, 9)
    cases = [("x^5", lambda t: t**5, d_power), ("x^2 sin x", lambda t: t**2 * torch.sin(t), d_product),
             ("sin(x^2)", lambda t: torch.sin(t**2), d_chain), ("sigmoid", torch.sigmoid, sigmoid_prime)]
    print(f"{'function':10} {'autograd vs yours (ULPs)':>26} {'central difference vs yours':>30}")
    for name, f, df in cases:
        by_autograd, yours = autograd_derivative(f, x), df(x)
        ulps = max(mathcore.ulp_distance(a, b) for a, b in zip(by_autograd, yours))
        f_plus, f_minus = f(torch.tensor(x + 1e-5)).numpy(), f(torch.tensor(x - 1e-5)).numpy()
        central = (f_plus - f_minus) / 2e-5
        print(f"{name:10} {ulps:>26} {np.max(np.abs(central - yours)):>30.1e}")
else:
    print("The comparison appears once the checks of sections 2, 4 and 5 pass.")

# %%
show_scene("autograd")

# %% [markdown]
# ## Key concepts
#
# Answer each in two or three sentences. The scene named after each question answers it;
# render any of them with `python cli.py render NAME` (the GIFs are in `docs/gifs/`).
#
# 1. **Why is the limit definition useful conceptually, but numerical differentiation
#    impractical at scale?** What limits the accuracy of a finite difference, and how many
#    evaluations of $f$ does a gradient with a million parameters need?
#    Scenes: [`error`](../docs/gifs/error.gif), [`tangent`](../docs/gifs/tangent.gif),
#    and the coming lesson scene `scale`.
# 2. **Why does autograd compute exact derivatives rather than finite differences?** What
#    does `.backward()` apply at each operation, and why does it agree with your hand-written
#    derivative to the last bits? Scenes: [`autograd`](../docs/gifs/autograd.gif),
#    [`rules`](../docs/gifs/rules.gif), and the coming lesson scene `backprop`.
# 3. **How does the vanishing gradient follow from $\sigma'(x) = \sigma(x)(1 - \sigma(x))$?**
#    What is the largest $\sigma'$ can be, and what happens to a gradient that passes through
#    ten sigmoids? Scenes: [`sigmoid`](../docs/gifs/sigmoid.gif), and the coming lesson
#    scene `depth`.
