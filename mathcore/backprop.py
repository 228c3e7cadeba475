r"""What ``.backward()`` does: the graph torch records for a function of x, and the chain rule on it.

Autograd is neither symbolic differentiation nor a finite difference. Evaluating f on a tensor
that requires a gradient records each operation as a node (``SinBackward0``,
``PowBackward0``, ...), linked through ``next_functions`` to the nodes that made its inputs.
``.backward()`` walks that graph from the output to x, and each node multiplies the gradient
reaching it by its exact local derivative:

.. math:: \bar v_{\text{input}} \mathrel{+}= \bar v_{\text{node}} \cdot
   \frac{\partial\, \text{node}}{\partial\, \text{input}}, \qquad \bar v_{\text{output}} = 1,

so at x it holds :math:`\sum_{\text{paths}} \prod_{\text{edges}} \partial(\text{local})`, which is
f'(x0) up to the rounding of each product: a few ULPs from the analytic derivative, where a
central difference is off by about 1e-10.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .autograd import ulp_distance
from .differences import central_difference
from .parse import _shown, parse_function
from .rules import principled_step

MAX_GRAPH_NODES = 8
"""The most nodes a graph may have (x's leaf included) to be drawn legibly: the backprop scene
gives each node a row of text at least 3 % of the frame high, under a title and above three
lines of results, in a frame 8 units high."""
BACKPROP_ULP_TOLERANCE = 16
"""Most ULPs between autograd and the analytic derivative for a check to pass (four bits).

Both are products of a few rounded factors, taken in different orders and by different
formulas: torch's SigmoidBackward0 computes sigma (1 - sigma), whose 1 - sigma cancels, where
parse_function writes sigma(u) sigma(-u); at u = 2 they already sit 9 ULPs apart."""


@dataclass(frozen=True)
class GraphNode:
    """One recorded operation, or x's leaf (``AccumulateGrad``).

    ``value`` is the operation's output in the forward pass (x0 for the leaf); ``gradient`` is
    d f / d(value), the gradient torch delivered to this node in the backward pass (1 at the
    output).
    """

    index: int
    name: str
    value: float
    gradient: float


@dataclass(frozen=True)
class GraphEdge:
    """An input of a node: ``source`` feeds ``target`` through the target's input ``slot``.

    ``local_derivative`` is d target / d source, got by calling the target node with a
    gradient of 1; ``gradient`` is what the target passed back along this edge in the real
    backward pass, the target's ``gradient`` times ``local_derivative``.
    """

    source: int
    target: int
    slot: int
    local_derivative: float
    gradient: float


@dataclass(frozen=True)
class BackwardGraph:
    """The recorded graph of f at x0, both passes through it, and how the result compares.

    ``nodes`` are in topological order, x's leaf first and f's output last. ``gradient`` is
    what ``.backward()`` stored in x.grad; ``replayed_gradient`` redoes the backward pass in
    Python from the local derivatives alone (sums over paths of products along them).
    """

    function: str
    x0: float
    value: float
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    gradient: float
    replayed_gradient: float
    replay_ulps: int
    analytic: float
    analytic_ulps: int
    central_difference: float
    central_step: float
    central_error: float


def _topological(root: Any) -> list[Any]:
    """The nodes reachable from root, each after all of its inputs (post-order, no repeats)."""
    order: list[Any] = []
    seen: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child, _ in reversed(node.next_functions):
            if child is not None and id(child) not in seen:
                stack.append((child, False))
    return order


def _recorded_values(f_torch: Any, x: Any) -> tuple[Any, dict[int, float]]:
    """f(x) and each recorded node's forward output, caught as every torch operation returns."""
    import torch
    from torch.overrides import TorchFunctionMode

    values: dict[int, float] = {}
    nodes: list[Any] = []  # kept alive so that the ids stay theirs

    class Recorder(TorchFunctionMode):
        def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
            out = func(*args, **(kwargs or {}))
            if isinstance(out, torch.Tensor) and out.grad_fn is not None and out.numel() == 1:
                nodes.append(out.grad_fn)
                values[id(out.grad_fn)] = float(out.detach())
            return out

    with Recorder():
        y = f_torch(x)
    return y, values


def backward_graph(function: str, x0: float) -> BackwardGraph:
    r"""Record f at x0 with torch in float64, walk ``grad_fn`` and run ``.backward()`` through it.

    Every node's local derivatives come from calling the node itself with a gradient of 1
    (the leaf is never called: that would add to x.grad). Hooks record the gradient each node
    receives and passes on during the real ``.backward()``.

    Parameters
    ----------
    function : str
        f(x) as ``parse_function`` accepts it.
    x0 : float
        A point where f and f' are finite.

    Raises
    ------
    ValueError
        For a function that does not depend on x, a point outside its domain, or a graph of
        more than ``MAX_GRAPH_NODES`` nodes.

    Examples
    --------
    >>> g = backward_graph("sin(x**2)", 1.5)
    >>> [n.name for n in g.nodes]
    ['AccumulateGrad', 'PowBackward0', 'SinBackward0']
    >>> g.analytic_ulps <= BACKPROP_ULP_TOLERANCE, g.central_error < 1e-8
    (True, True)
    """
    import torch

    parsed = parse_function(function)
    x0 = _checked_point(x0)
    parsed.check_point(x0)
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y, values = _recorded_values(parsed.f_torch, x)
    if not (isinstance(y, torch.Tensor) and y.requires_grad):
        raise ValueError(f"'{_shown(function)}' does not depend on x, so torch records no graph; "
                         "write a function of x such as sin(x**2).")
    leaf = torch.autograd.graph.get_gradient_edge(x).node
    order = _topological(y.grad_fn if y.grad_fn is not None else leaf)
    if len(order) > MAX_GRAPH_NODES:
        raise ValueError(f"the graph of '{_shown(function)}' has {len(order)} nodes; at most "
                         f"{MAX_GRAPH_NODES} can be drawn, so choose a shorter function.")
    index = {id(node): i for i, node in enumerate(order)}
    values[id(leaf)] = x0
    locals_ = _local_derivatives(order, leaf)
    received, passed = _hooked_backward(y, order, leaf)
    edges = tuple(
        GraphEdge(index[id(child)], index[id(node)], slot, locals_[id(node)][slot],
                  passed[id(node)][slot])
        for node in order if node is not leaf
        for slot, (child, _) in enumerate(node.next_functions) if child is not None)
    nodes = tuple(GraphNode(i, node.name().split("::")[-1], values.get(id(node), math.nan),
                            received[id(node)]) for i, node in enumerate(order))
    gradient = float(x.grad)
    if not math.isfinite(gradient):
        raise ValueError(f"torch's gradient of '{_shown(function)}' at x0 = {x0:g} is {gradient}; "
                         "choose a point where f is differentiable.")
    replayed = _replay(len(nodes), edges)
    analytic = float(parsed.df(np.float64(x0)))
    step = principled_step(x0)
    fd = float(central_difference(parsed.f, x0, step))
    return BackwardGraph(
        function=function.strip(), x0=x0, value=float(y.detach()), nodes=nodes, edges=edges,
        gradient=gradient, replayed_gradient=replayed, replay_ulps=ulp_distance(gradient, replayed),
        analytic=analytic, analytic_ulps=ulp_distance(gradient, analytic),
        central_difference=fd, central_step=step, central_error=abs(fd - gradient),
    )


def _checked_point(x0: Any) -> float:
    try:
        value = float(x0)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be a real number; got {x0!r}.") from None
    if isinstance(x0, bool) or not math.isfinite(value):
        raise ValueError(f"x0 must be a finite real number; got {x0!r}.")
    return value


def _local_derivatives(order: list[Any], leaf: Any) -> dict[int, tuple[float, ...]]:
    """The local derivative d node / d input per input slot: the node called on a gradient of 1."""
    import torch

    one = torch.ones((), dtype=torch.float64)
    out = {}
    with torch.no_grad():
        for node in order:
            if node is leaf:
                continue
            grads = node(one)
            grads = grads if isinstance(grads, tuple) else (grads,)
            out[id(node)] = tuple(math.nan if g is None else float(g) for g in grads)
    return out


def _hooked_backward(
    y: Any, order: list[Any], leaf: Any,
) -> tuple[dict[int, float], dict[int, tuple[float, ...]]]:
    """Run y.backward() with hooks: the gradient each node receives and what it passes on."""
    received: dict[int, float] = {}
    passed: dict[int, tuple[float, ...]] = {}

    def keep_received(node: Any) -> Any:
        return lambda grad_outputs: received.__setitem__(id(node), float(grad_outputs[0]))

    def keep_passed(node: Any) -> Any:
        return lambda grad_inputs, grad_outputs: passed.__setitem__(
            id(node), tuple(math.nan if g is None else float(g) for g in grad_inputs))

    for node in order:
        node.register_prehook(keep_received(node))
        if node is not leaf:
            node.register_hook(keep_passed(node))
    y.backward()
    return received, passed


def _replay(count: int, edges: tuple[GraphEdge, ...]) -> float:
    """The backward pass from the local derivatives alone.

    The output's gradient is 1; down each edge goes the target's gradient times the edge's
    local derivative, summed where paths meet.
    """
    gradient = [0.0] * count
    gradient[-1] = 1.0
    for edge in sorted(edges, key=lambda e: (-e.target, e.slot)):
        gradient[edge.source] += gradient[edge.target] * edge.local_derivative
    return gradient[0]


@dataclass(frozen=True)
class BackpropCheck:
    """``.backward()`` on one function at one point against its analytic derivative."""

    function: str
    x0: float
    nodes: int
    autograd: float
    analytic: float
    ulps: int
    central_error: float
    passed: bool


DEFAULT_CASES = (("sin(x**2)", 1.5), ("sigmoid(2*x + 1)", 0.5), ("x*sin(x)", 2.0),
                 ("exp(-x**2)", -0.5), ("log(x)/x", 3.0))
"""The functions and points ``check_backprop`` walks by default."""


def check_backprop(cases: tuple[tuple[str, float], ...] = DEFAULT_CASES) -> list[BackpropCheck]:
    """Walk each function's graph and check that ``.backward()`` lands within
    ``BACKPROP_ULP_TOLERANCE`` ULPs of the analytic derivative.

    Examples
    --------
    >>> [(r.function, r.nodes, r.passed) for r in check_backprop((("sin(x**2)", 1.5),))]
    [('sin(x**2)', 3, True)]
    """
    rows = []
    for function, x0 in cases:
        g = backward_graph(function, x0)
        rows.append(BackpropCheck(g.function, g.x0, len(g.nodes), g.gradient, g.analytic,
                                  g.analytic_ulps, g.central_error,
                                  g.analytic_ulps <= BACKPROP_ULP_TOLERANCE))
    return rows
