"""The example notebook runs top to bottom with no browser (as "Run All" in nbconvert or an autograder would).

Its own cell recomputes the seed notebook's demo with plain NumPy; the
widget's numbers must agree with it.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "scaling-effect-demo.ipynb"


def printed(cell) -> str:
    return "".join(output.get("text", "") for output in cell["outputs"] if output["output_type"] == "stream")


def test_the_example_notebook_runs_headless_and_agrees_with_numpy():
    notebook = nbformat.read(EXAMPLE, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    widget, numpy = printed(code[2]), printed(code[3])
    assert "d_k: 64" in widget
    assert "same weights: True" in numpy
    for line in ("scores_unscaled std", "scores_scaled   std"):
        ours = float(re.search(rf"{line}: (\S+)", widget)[1])
        theirs = float(re.search(rf"{line}: (\S+)", numpy)[1])
        assert ours == pytest.approx(theirs, rel=1e-5), line
    assert "Q = K = X" not in printed(code[5]) and "K = np.random.randn" in printed(code[5])  # qk = independent
