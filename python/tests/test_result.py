"""``w.result()``: the page's snippet, written and run in the kernel, against NumPy's own reference.

The weights and statistics must be those of the fixtures that
tests/fixtures/generate.py computed with NumPy, independently of the page, the
engine and the snippet (test_snippet.py holds the snippet to the page's text).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from attention_explorer import Explorer, TextNotSplitYet

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "tests/fixtures/numpy_reference.json").read_text(encoding="utf-8"))

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


def widget_of(query: str) -> Explorer:
    """A widget with the query's values, set as a person sets them (text, as in a URL)."""
    w = Explorer()
    for part in query.split("&"):
        name, value = part.split("=", 1)
        setattr(w, name, value)
    return w


@pytest.mark.parametrize("index", range(len(MODE_CASES)), ids=[query_of(REFERENCE["modes"][i]) for i in MODE_CASES])
def test_result_is_numpys_reference_for_each_mode(index):
    case = REFERENCE["modes"][MODE_CASES[index]]
    w = widget_of(query_of(case))
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


def test_result_follows_the_widget_at_once_with_no_browser():
    """`w.dk = 128; w.result()` in one cell (or under Run All, or in an autograder) is of d_k = 128."""
    w = Explorer(dk=16, t=8, qk="independent")
    before = w.result()
    w.dk = 128
    after = w.result()
    assert before["q"].shape == (8, 16) and after["q"].shape == (8, 128)
    assert after["state"] == {**w.state, "row": 0}
    # The arrays are of d_k = 128 through and through: the scores are Q Kᵀ and Q Kᵀ/√128 of the Q and K returned.
    q, k = after["q"].astype(np.float64), after["k"].astype(np.float64)
    np.testing.assert_allclose(after["scores_unscaled"], q @ k.T, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(after["scores_scaled"], q @ k.T / math.sqrt(128), rtol=1e-5, atol=1e-5)
    assert after["stats"]["std_unscaled"] == pytest.approx(float((q @ k.T).std()), rel=1e-5)


def test_own_text_needs_the_browsers_words_and_then_uses_them():
    w = Explorer(text="the cat sat on the mat", seed=7)
    with pytest.raises(TextNotSplitYet, match="has not split this text yet"):
        w.result()
    # What the front end sends: the words' keys (here as the page's readText gives them).
    w._words = {"text": "the cat sat on the mat", "keys": ["the", "cat", "sat", "on", "the", "mat"]}
    got = w.result()
    assert got["q"].shape == (6, 16)
    np.testing.assert_array_equal(got["q"][0], got["q"][4])  # "the" twice: one word, one vector
    w.text = "a different text"
    with pytest.raises(TextNotSplitYet):
        w.numpy_snippet()
    w.text = ""
    assert w.result()["q"].shape == (10, 16)  # no text: T random tokens again
