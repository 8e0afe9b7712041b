"""The widget validates each parameter exactly as the page does.

The page's own validator (``clampParam`` in web/state.js) is run by Node on
the same values, and its results (value, notice, refused or not) must be the
Python port's, notices word for word.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from attention_explorer import PARAMS, clamp

ROOT = Path(__file__).resolve().parents[2]

# Values a person or a program might set: in range, out of it, off the step,
# not numbers, empty, long, with direction marks, in other cases and forms.
CASES = [
    ("dk", 64), ("dk", "64"), ("dk", 13), ("dk", 14), ("dk", 4097), ("dk", 2), ("dk", "abc"), ("dk", ""), ("dk", "  "), ("dk", 64.0), ("dk", "1e3"),
    ("dk", "1" * 250), ("dk", "\u202eevil\u2069"), ("dk", True), ("dk", "x" * 60),
    ("t", 2.5), ("t", "1024"), ("t", -3), ("seed", -1), ("seed", 4294967296), ("seed", "+7"), ("seed", ".5"),
    ("qk", "Independent"), ("qk", "nope"), ("x", "keep"), ("dist", "rademacher"), ("dist", "cauchy"),
    ("sigma", 0.01), ("sigma", "1e-3"), ("sigma", 2), ("sigma", 0.3), ("mu", -7), ("mu", 1.5), ("ln", 1), ("ln", "2"),
    ("rho", 1.5), ("rho", 0.25), ("score", "cosine"), ("score", "COSINE"),
    ("scale", "sqrt"), ("scale", "SSMax"), ("scale", 0.5), ("scale", "0.0001"), ("scale", 11), ("scale", "half"),
    ("ssmax_s", 0.01), ("qknorm", "l2"), ("g", 1000), ("cap", 0), ("cap", 0.05), ("cap", 50), ("cap", "0"),
    ("mask", "causal"), ("pad", 3.5), ("pad", 2000), ("fill", "min"), ("fill", "zero"),
    ("tau", 0.01), ("tau", 21), ("tau", 1.5e-7), ("softmax", "naive"), ("precision", "bf16"), ("precision", "fp8"),
    ("trials", 0), ("xscale", "log"), ("dkscale", "Log"), ("row", 1023.5), ("row", 5),
    ("text", "The cat sat on the mat"), ("text", "é" * 2001), ("text", "a\U0001F600b" * 700),
    ("cmap", "grey"), ("cmap", "jet"), ("shade", "row"), ("theme", "dark"), ("type", "large"),
    ("lang", "es-MX"), ("lang", "zh_CN"), ("lang", "fr"), ("lang", "AR"),
    ("hide", "seed, temperature"), ("hide", "seed,seed,SEED"), ("hide", "bogus"), ("hide", "a,b,c,d,e,f,g,seed"), ("hide", ""),
]

NODE_SCRIPT = """
import { clampParam } from './web/state.js';
const cases = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; }).on('end', () => resolve(text));
}));
console.log(JSON.stringify(cases.map(([name, raw]) => clampParam(name, raw))));
"""


@pytest.fixture(scope="module")
def page_results():
    done = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_SCRIPT],
        input=json.dumps(CASES),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{n}={str(r)[:20]!r}" for n, r in CASES])
def test_each_value_is_validated_as_the_page_validates_it(index, page_results):
    name, raw = CASES[index]
    ours = clamp(name, raw)
    page = page_results[index]
    assert ours.rejected == page["rejected"]
    assert ours.notice == page["notice"]
    if PARAMS[name]["kind"] in ("int", "number"):
        assert ours.value == pytest.approx(page["value"], rel=0, abs=0)
    else:
        assert ours.value == page["value"]


def test_every_case_kind_is_covered():
    # So that a new parameter of a new kind cannot slip past the comparison.
    assert {PARAMS[name]["kind"] for name, _ in CASES} == {spec["kind"] for spec in PARAMS.values()}
    assert {name for name, _ in CASES} == set(PARAMS)
