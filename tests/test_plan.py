"""Where a render goes: a render with its own parameters never replaces the default one."""

from __future__ import annotations

from pipeline.params import SceneParams
from pipeline.plan import plan
from pipeline.render import RENDERS, RenderOptions


def test_a_custom_function_gets_its_own_file_beside_the_default():
    options = RenderOptions()
    default = plan(["tangent"], SceneParams(), options)[0].output
    assert default == RENDERS / "tangent.mp4"
    custom = plan(["tangent"], SceneParams(function="sin(x)", x0=0.5), options)[0].output
    other = plan(["tangent"], SceneParams(function="cos(x)", x0=0.5), options)[0].output
    again = plan(["tangent"], SceneParams(function="sin(x)", x0=0.5), options)[0].output
    assert len({default, custom, other}) == 3 and custom == again
    assert custom.parent == RENDERS and custom.suffix == ".mp4" and custom.name.startswith("tangent-")
