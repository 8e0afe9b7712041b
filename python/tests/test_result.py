"""``w.result()`` and ``w.numpy_snippet()``: the page's snippet, run in the kernel, against NumPy's own reference.

The snippets are written by the page's code (web/export.js, run by Node on
the state the page reads from a URL), as the widget's front end sends them;
the weights and statistics they give must be those of the fixtures that
tests/fixtures/generate.py computed with NumPy, independently of the page and the engine.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from attention_explorer import Explorer, NotDrawnYet

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "tests/fixtures/numpy_reference.json").read_text(encoding="utf-8"))

NODE_SCRIPT = """
import { numpySnippet } from './web/export.js';
import { readState } from './web/state.js';
const queries = JSON.parse(process.argv[1]);
console.log(JSON.stringify(queries.map((query) => {
  const { state } = readState(`?${query}`);
  const factor = Number(state.scale);
  return { state, text: numpySnippet(state, [], Number.isFinite(factor) ? factor : 0) };
})));
"""

PARAM_OF_CASE = {"tokens": "t", "d_k": "dk", "columns": "x"}
MODE_CASES = [2, 3, 12, 18, 30, 37, 41, 43, 46, 47, 49, 52, 53, 54]


def query_of(case: dict) -> str:
    parts = []
    for key, value in case.items():
        if isinstance(value, (dict, list)) or key.endswith("_f32"):
            continue
        if isinstance(value, bool):
            value = int(value)
        parts.append(f"{PARAM_OF_CASE.get(key, key)}={value}")
    return "&".join(parts)


@pytest.fixture(scope="module")
def snippets():
    queries = [query_of(REFERENCE["modes"][i]) for i in MODE_CASES]
    done = subprocess.run(["node", "--input-type=module", "-e", NODE_SCRIPT, json.dumps(queries)], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


def drawn(widget: Explorer, made: dict) -> None:
    """What the front end does after a redraw: the snippet and the state it is of."""
    widget._snippet = made["text"]
    widget._snippet_state = made["state"]


@pytest.mark.parametrize("index", range(len(MODE_CASES)), ids=[query_of(REFERENCE["modes"][i]) for i in MODE_CASES])
def test_result_is_numpys_reference_for_each_mode(index, snippets):
    case = REFERENCE["modes"][MODE_CASES[index]]
    made = snippets[index]
    w = Explorer(**{name: made["state"][name] for name in ("t", "dk", "seed")})
    for name, value in made["state"].items():
        setattr(w, name, value)
    drawn(w, made)
    got = w.result()
    t = case["tokens"]
    assert got["q"].shape == (t, case["d_k"]) and got["q"].dtype == np.float32
    for panel in ("unscaled", "scaled"):
        weights = got[f"weights_{panel}"]
        assert weights.shape == (t, t) and weights.dtype == np.float32
        expected = np.array([math.nan if v is None else v for v in case[panel]["probs"]]).reshape(t, t)
        np.testing.assert_allclose(weights, expected, rtol=0, atol=2e-6, equal_nan=True)
        assert got["stats"][f"std_{panel}"] == pytest.approx(case[panel]["std"], rel=1e-5)
        assert got["stats"][f"nan_weights_{panel}"] == int(np.isnan(expected).sum())


def test_a_snippet_of_an_older_view_is_never_given(snippets):
    made = snippets[0]
    w = Explorer(**{name: made["state"][name] for name in ("t", "dk", "seed")})
    for name, value in made["state"].items():
        setattr(w, name, value)
    with pytest.raises(NotDrawnYet, match="has not drawn yet"):
        w.numpy_snippet()
    drawn(w, made)
    assert w.numpy_snippet() == made["text"]
    w.cmap = "grey"  # a colour map changes no number
    assert w.numpy_snippet() == made["text"]
    w.dk = made["state"]["dk"] + 4
    with pytest.raises(NotDrawnYet, match=r"older view \(dk="):
        w.result()
