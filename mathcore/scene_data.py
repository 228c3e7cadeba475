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

    return backward_graph(params["function"], float(params["x0"]))


def _depth(params: dict[str, Any]) -> Any:
    from .depth import depth_profiles

    activations = params.get("activation", "sigmoid,tanh,relu")
    if isinstance(activations, str):
        activations = [a.strip() for a in activations.split(",") if a.strip()]
    return {"profiles": depth_profiles(activations, layers=int(params.get("layers", 30)),
                                       seed=int(params.get("seed", 0)))}


PROVIDERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "autograd": _autograd, "scale": _scale, "backprop": _backprop, "depth": _depth,
}
"""Scene data by the name a scene's entry in scenes.toml gives as ``data``."""


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
