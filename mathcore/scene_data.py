"""The numbers a scene draws, computed apart from the drawing and kept as plain JSON.

Scenes that need torch (autograd, scale, backprop, depth) would otherwise import it and run
their measurements inside Manim, a fixed cost of seconds before the first frame. The render
pipeline calls ``scene_data`` once per render command (and caches the file), hands the file to
the scene, and the scene reads it; a scene file run by Manim directly calls ``scene_data``
itself. Either way the numbers come from the same function.
"""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace
from typing import Any, Callable


def _autograd(params: dict[str, Any]) -> Any:
    from .autograd import check_autograd

    return {"checks": check_autograd()}


def _scale(params: dict[str, Any]) -> Any:
    from .scale import gradient_cost

    return gradient_cost(max_params=int(params.get("max_params", 10**6)))


def _backprop(params: dict[str, Any]) -> Any:
    from .backprop import backward_graph
    from .parse import parse_function

    parsed = parse_function(params["function"])
    return {"graph": backward_graph(params["function"], float(params["x0"])),
            "latex": parsed.latex, "derivative_latex": parsed.derivative_latex}


def activation_list(text: str | list[str] | tuple[str, ...]) -> list[str]:
    """The activations of a ``--activation`` value: comma-separated names, case and spaces ignored.

    Examples
    --------
    >>> activation_list(" Sigmoid, relu")
    ['sigmoid', 'relu']
    """
    parts = text.split(",") if isinstance(text, str) else list(text)
    return [a.strip().lower() for a in parts if a.strip()]


def _depth(params: dict[str, Any]) -> Any:
    from .depth import depth_profiles

    activations = activation_list(params.get("activation", "sigmoid,tanh,relu"))
    return {"profiles": depth_profiles(activations, layers=int(params.get("layers", 30)),
                                       seed=int(params.get("seed", 0)))}


PROVIDERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "autograd": _autograd, "scale": _scale, "backprop": _backprop, "depth": _depth,
}
"""Scene data by the name a scene's entry in scenes.toml gives as ``data``."""


def _check_backprop(params: dict[str, Any]) -> None:
    from .backprop import backward_graph

    backward_graph(params["function"], float(params["x0"]))


CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {"backprop": _check_backprop}
"""Checks a scene's entry in scenes.toml names as ``validate_with``: each raises ValueError, with
one sentence, for parameters the scene could not draw (a graph with more nodes than fit, say).
The render pipeline runs it before Manim starts."""


def check_params(name: str, params: dict[str, Any]) -> None:
    """Run the check called ``name`` on a scene's parameters; ValueError if they cannot be drawn.

    Examples
    --------
    >>> check_params("backprop", {"function": "sin(x**2)", "x0": 1.5}) is None
    True
    """
    if name not in CHECKS:
        raise ValueError(f"no parameter check called '{name}'; choose one of: {', '.join(CHECKS)}.")
    CHECKS[name](params)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    return value


def scene_data(name: str, params: dict[str, Any]) -> str:
    """The JSON text of scene ``name``'s numbers for ``params``.

    Examples
    --------
    >>> sorted(PROVIDERS)
    ['autograd', 'backprop', 'depth', 'scale']
    """
    if name not in PROVIDERS:
        raise ValueError(f"no scene data called '{name}'; choose one of: {', '.join(PROVIDERS)}.")
    return json.dumps(_plain(PROVIDERS[name](params)), allow_nan=True)


def as_namespace(text: str) -> Any:
    """JSON scene data with attribute access (``data.checks[0].ulps``), as the scenes read it.

    Examples
    --------
    >>> as_namespace('{"a": [{"b": 1}]}').a[0].b
    1
    """
    return json.loads(text, object_hook=lambda d: SimpleNamespace(**d))
