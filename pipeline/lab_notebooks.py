"""The lab's student and solutions notebooks, both generated from one jupytext source.

``lab/source/derivatives_in_practice.py`` is a percent-format script. Every exercise appears
there twice: a cell tagged ``stub`` (what students get: the signature, the docstring and
``raise NotImplementedError``) followed by a cell tagged ``solution``. jupytext reads the
script into a notebook and nbconvert's TagRemovePreprocessor drops the solution cells for the
student notebook and the stub cells for the solutions notebook; nothing here edits cell text.

Run ``python -m pipeline.lab_notebooks`` (``make notebooks``) after editing the source; a test
fails while the committed notebooks differ from what the source generates.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "lab" / "source" / "derivatives_in_practice.py"
STUDENT = ROOT / "lab" / "derivatives_in_practice.ipynb"
SOLUTIONS = ROOT / "lab" / "derivatives_in_practice_solutions.ipynb"

STUB_TAG = "stub"
SOLUTION_TAG = "solution"

_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def _without(nb, tag: str):  # noqa: ANN001, ANN202  (nbformat's NotebookNode)
    from nbconvert.preprocessors import TagRemovePreprocessor

    kept, _ = TagRemovePreprocessor(remove_cell_tags={tag}, enabled=True).preprocess(copy.deepcopy(nb), {})
    for cell in kept.cells:  # ids from the text, so a rebuild of an unchanged cell keeps its id
        cell.id = hashlib.sha1(cell.source.encode()).hexdigest()[:12]
    seen: dict[str, int] = {}
    for cell in kept.cells:
        seen[cell.id] = seen.get(cell.id, 0) + 1
        if seen[cell.id] > 1:
            cell.id = f"{cell.id}-{seen[cell.id]}"
    return kept


def build_notebooks(source_text: str) -> tuple[str, str]:
    """The student and the solutions notebook, as .ipynb text, from the percent-format source.

    Examples
    --------
    >>> source = '''# %% tags=["stub"]
    ... def f(x):
    ...     raise NotImplementedError
    ...
    ... # %% tags=["solution"]
    ... def f(x):
    ...     return 2 * x
    ... '''
    >>> student, solutions = build_notebooks(source)
    >>> "NotImplementedError" in student, "2 * x" in student, "2 * x" in solutions
    (True, False, True)
    """
    import jupytext
    import nbformat

    nb = jupytext.reads(source_text, fmt="py:percent")
    tags = {tag for cell in nb.cells for tag in cell.metadata.get("tags", [])}
    if not {STUB_TAG, SOLUTION_TAG} <= tags:
        raise ValueError(f"the lab source must tag its exercise cells '{STUB_TAG}' and "
                         f"'{SOLUTION_TAG}'; found the tags {sorted(tags) or 'none'}.")
    nb.metadata = copy.deepcopy(_METADATA)  # no jupytext pairing: students' saves stay one file
    return (nbformat.writes(_without(nb, SOLUTION_TAG)) + "\n",
            nbformat.writes(_without(nb, STUB_TAG)) + "\n")


def write_notebooks(source: Path = SOURCE, student: Path = STUDENT, solutions: Path = SOLUTIONS) -> None:
    """Regenerate both notebooks from the source, each written whole or not at all."""
    from .files import atomic_target

    student_text, solutions_text = build_notebooks(source.read_text(encoding="utf-8"))
    for path, text in ((student, student_text), (solutions, solutions_text)):
        with atomic_target(path) as tmp:
            tmp.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_notebooks()
    print(f"{STUDENT.relative_to(ROOT)}\n{SOLUTIONS.relative_to(ROOT)}")
