"""The kernel writes the page's NumPy snippet, character for character.

Node runs the page's own code (web/export.js's ``numpySnippet``, the state
read from a query by ``readState``, the words split by ``readText``, T the
number of words as the view takes it) and the port in ``_snippet.py`` must
give the same text for the same query: every mode alone, and many drawn at
random together, with and without own text.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from attention_explorer import PARAMS, Explorer

ROOT = Path(__file__).resolve().parents[2]

NODE_SCRIPT = """
import { numpySnippet } from './web/export.js';
import { readState } from './web/state.js';
import { readText } from './web/tokens.js';
const queries = JSON.parse(process.argv[1]);
console.log(JSON.stringify(queries.map((query) => {
  const { state } = readState(`?${query}`);
  const keys = readText(state.text).tokens.map((token) => token.key);
  // The view's current(): T from the words, and the row kept within T (view.js's show()).
  const shown = { ...state, t: keys.length || state.t };
  shown.row = Math.min(shown.row, shown.t - 1);
  const factor = Number(state.scale);
  return { keys, text: numpySnippet(shown, keys, Number.isFinite(factor) ? factor : 0) };
})));
"""

# Values of each parameter the snippet depends on, defaults among them.
VALUES = {
    "t": ["2", "10", "37"],
    "dk": ["4", "16", "100", "4096"],
    "seed": ["0", "42", "4294967295"],
    "qk": ["self", "independent"],
    "x": ["fresh", "keep"],
    "dist": ["normal", "uniform", "rademacher"],
    "sigma": ["1", "0.1", "2.5", "10"],
    "mu": ["0", "-5", "0.25", "1"],
    "ln": ["0", "1"],
    "rho": ["0", "0.5", "1", "0.125"],
    "score": ["dot", "cosine"],
    "scale": ["sqrt", "dk", "none", "ssmax", "0.5", "0.001", "10", "0.3"],
    "ssmax_s": ["1", "0.05", "2.75"],
    "qknorm": ["none", "l2", "layernorm"],
    "g": ["1", "0.1", "12.5", "100"],
    "cap": ["0", "0.1", "30", "1000"],
    "mask": ["none", "causal", "padding"],
    "pad": ["0", "1", "3", "1024"],
    "fill": ["sdpa", "inf", "min"],
    "tau": ["1", "0.05", "0.5", "20"],
    "softmax": ["stable", "naive"],
    "precision": ["f32", "bf16", "f16"],
    # Parameters of the view only: they appear in the snippet's first line.
    "row": ["0", "5", "1023"],
    "cmap": ["viridis", "grey"],
    "lang": ["en", "ar"],
    "hide": ["", "seed,temperature"],
    "theme": ["auto", "dark"],
}
TEXTS = [
    "the cat sat on the mat",
    "القطة تجلس على السجادة والكلب ينظر إلى القطة",
    "注意力机制让模型关注句子中最相关的词语",
    'He said "don\'t" \\ then left: e.g. 3.14 ~ 50% & more',
    "one",
    "!!! ???",
    " ".join(f"w{i}" for i in range(70)),
]


def alone() -> list[str]:
    return [f"{name}={value}" for name, values in VALUES.items() for value in values[1:]]


def together(count: int) -> list[str]:
    draw = random.Random(19)
    queries = []
    for _ in range(count):
        chosen = {name: draw.choice(values) for name, values in VALUES.items()}
        chosen["t"] = draw.choice(["2", "7", "12"])
        chosen["dk"] = draw.choice(["4", "8", "16"])
        parts = [f"{name}={value}" for name, value in chosen.items()]
        queries.append("&".join(parts))
    return queries


def with_text() -> list[str]:
    from urllib.parse import quote

    return [f"text={quote(text)}&qk={qk}&seed=3" for text in TEXTS for qk in ("self", "independent")]


QUERIES = alone() + together(160) + with_text()


@pytest.fixture(scope="module")
def page_snippets():
    done = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_SCRIPT, json.dumps(QUERIES)], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(done.stdout)


def widget_of(query: str) -> Explorer:
    from urllib.parse import parse_qsl

    w = Explorer()
    for name, value in parse_qsl(query, keep_blank_values=True):
        setattr(w, name, value)
    return w


@pytest.mark.parametrize("index", range(len(QUERIES)), ids=QUERIES)
def test_the_kernels_snippet_is_the_pages(index, page_snippets):
    page = page_snippets[index]
    w = widget_of(QUERIES[index])
    if w.text:
        w._words = {"text": w.text, "keys": page["keys"]}  # what the front end sends
    assert w.numpy_snippet() == page["text"]


def test_every_parameter_of_the_numbers_is_varied():
    from attention_explorer._params import NUMBERS

    assert set(NUMBERS) - {"text"} <= set(VALUES)
    assert set(VALUES) <= set(PARAMS)
