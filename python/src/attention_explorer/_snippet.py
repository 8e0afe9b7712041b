"""The page's NumPy snippet, written in the kernel.

A port of ``numpySnippet`` (web/export.js) and the NumPy half of
web/mask-code.js, line for line, so that ``w.result()`` needs no browser:
it works in the cell that changed the widget, under "Run All", and where no
front end runs at all (nbconvert, an autograder). A test has Node write the
page's snippet for the same states and requires the same text, character for
character; the page's snippet is itself run against the engine in a browser
test, so what this module writes is what the page shows.

The one thing the kernel cannot do is split a visitor's own text into words
as the browser does (``Intl.Segmenter``, which knows Chinese, Japanese and
Thai): those words come from the widget's front end.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote_plus

from ._params import PARAMS, js_text


def _py(text: str) -> str:
    # A JSON string is a valid Python string literal (the page uses JSON.stringify).
    return json.dumps(text, ensure_ascii=False)


def _number(value: Any) -> float:
    """JavaScript's ``Number(value)`` for the values a state holds."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _pad_of(state: dict[str, Any]) -> int:
    return 0 if state["mask"] == "none" else min(int(_number(state["pad"])), int(state["t"]))


def _empty_rows_of(state: dict[str, Any]) -> int:
    pad = _pad_of(state)
    if state["mask"] == "causal":
        return pad
    return int(state["t"]) if pad >= int(state["t"]) else 0


def _masked(state: dict[str, Any]) -> bool:
    return state["mask"] == "causal" or (state["mask"] == "padding" and _pad_of(state) > 0)


def _query(state: dict[str, Any]) -> str:
    """``new URLSearchParams(state).toString()`` without the empty values."""
    pairs = [(name, js_text(state[name])) for name in PARAMS if js_text(state[name]) != ""]
    # URLSearchParams keeps * and encodes ~; quote_plus does the reverse.
    encode = lambda text: quote_plus(text, safe="*").replace("~", "%7E")  # noqa: E731
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)


# ---- mask-code.js ---------------------------------------------------------


def _needs_visible(state: dict[str, Any]) -> bool:
    return _masked(state) or state["scale"] == "ssmax"


def _visible_lines(state: dict[str, Any]) -> list[str]:
    if not _needs_visible(state):
        return []
    pad = _pad_of(state)
    first = (
        "visible = np.tril(np.ones((T, T), dtype=bool))  # causal: query i sees keys 0..i"
        if state["mask"] == "causal"
        else "visible = np.ones((T, T), dtype=bool)  # which keys each query sees"
    )
    return ["", first, *([f"visible[:, :{pad}] = False  # the first {pad} keys are padding"] if pad > 0 else [])]


def _ssmax_factor(state: dict[str, Any], rounded: bool) -> str:
    f = f"{js_text(state['ssmax_s'])} * np.log(np.maximum(visible.sum(axis=1), 1)) / np.sqrt(d_k)"
    return f"({f}).astype(np.float32).astype(D)[:, None]" if rounded else f"({f})[:, None]"


def _numpy_fill(state: dict[str, Any]) -> str:
    if state["fill"] != "min":
        return "-np.inf"
    if state["precision"] == "f32":
        return "np.finfo(np.float32).min"
    return "D(ml_dtypes.finfo(D).min)" if state["precision"] == "bf16" else "D(np.finfo(D).min)"


class _Mask:
    """The masked softmax's definitions, how a softmax's argument is masked, and what follows it."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.on = _masked(state)
        if not self.on:
            self.defs: list[str] = []
            self.zeroes = False
            return
        empty = _empty_rows_of(state) > 0
        self.zeroes = state["fill"] == "sdpa" and empty
        fill_name = "torch.finfo(dtype).min" if state["fill"] == "min" else "float('-inf')"
        self.defs = [
            "",
            *(["np.seterr(invalid='ignore')  # -inf - (-inf) in a row that sees no key is NaN"] if empty and state["fill"] != "min" else []),
            f"def masked_fill(L):  # masked logits, as scores.masked_fill(~mask, {fill_name})",
            f"    return np.where(visible, L, {_numpy_fill(state)})",
        ]

    def apply(self, expr: str) -> str:
        return f"masked_fill({expr})" if self.on else expr

    def after(self, name: str) -> list[str]:
        return [f"{name}[~visible.any(axis=1)] = 0  # rows that see no key: zeros, as PyTorch SDPA"] if self.zeroes else []


def _visible_cells(state: dict[str, Any], name: str) -> str:
    return f"{name}[visible]" if _masked(state) else name


# ---- export.js ------------------------------------------------------------

_DRAWS: dict[str, Callable[[str, str], str]] = {
    "normal": lambda rs, shape: f"{rs}.randn({shape})",
    "uniform": lambda rs, shape: f"{rs}.uniform(-np.sqrt(3), np.sqrt(3), ({shape}))",
    "rademacher": lambda rs, shape: f"np.where({rs}.random_sample(({shape})) < 0.5, -1.0, 1.0)",
}


def _input_lines(state: dict[str, Any], token_keys: Sequence[str]) -> list[str]:
    """The lines that make Q and K (the core's inputs.rs, in its order)."""
    draw = _DRAWS.get(state["dist"], _DRAWS["normal"])
    independent = state["qk"] == "independent"
    lines: list[str] = []
    if token_keys:
        lines += [
            "",
            "# Each word has its own NumPy stream, seeded from the word and the seed.",
            "def token_seed(text, seed, role):",
            "    h = 0xCBF29CE484222325",
            "    for byte in seed.to_bytes(4, 'little') + bytes([role]) + text.encode('utf-8'):",
            "        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF",
            "    return (h & 0xFFFFFFFF) ^ (h >> 32)",
            "",
            f"words = [{', '.join(_py(key) for key in token_keys)}]  # NFC, lower case",
            f"Q = np.stack([{draw('np.random.RandomState(token_seed(w, seed, 0))', 'd_k')} for w in words])",
            *([f"K = np.stack([{draw('np.random.RandomState(token_seed(w, seed, 1))', 'd_k')} for w in words])"] if independent else []),
        ]
    else:
        # Kept tokens: the first d_k columns of one draw 4096 wide.
        keep = state["x"] == "keep"
        matrix = draw("np.random", "T, 4096" if keep else "T, d_k") + ("[:, :d_k]" if keep else "")
        lines += [
            "np.random.seed(seed)",
            f"Q = {matrix}" + ("  # the same tokens at every d_k" if keep else ""),
            *([f"K = {matrix}  # drawn after Q"] if independent else []),
        ]

    def both(step: Callable[[str], str]) -> list[str]:
        return [f"Q = {step('Q')}", *([f"K = {step('K')}"] if independent else [])]

    if _number(state["sigma"]) != 1 or _number(state["mu"]) != 0:
        lines += [f"mu, sigma = {js_text(state['mu'])}, {js_text(state['sigma'])}  # each component's mean and standard deviation", *both(lambda m: f"mu + sigma * {m}")]
    if state["ln"] == "1":
        lines += [
            "def layer_norm(X, eps=1e-5):  # torch.nn.functional.layer_norm over each row, no gain",
            "    mean = X.mean(axis=-1, keepdims=True)",
            "    var = ((X - mean) ** 2).mean(axis=-1, keepdims=True)",
            "    return (X - mean) / np.sqrt(var + eps)",
            *both(lambda m: f"layer_norm({m})"),
        ]
    if independent and _number(state["rho"]) != 0:
        m = 0 if state["ln"] == "1" else _number(state["mu"])
        lines += [
            f"rho, m = {js_text(state['rho'])}, {js_text(m)}  # each key leans towards its own query, around the rows' mean",
            "K = m + rho * (Q - m) + np.sqrt(1 - rho * rho) * (K - m)",
        ]
    if not independent:
        lines.append("K = Q  # Q = K = X, as in the notebook")
    return lines


def _qk_norm_lines(state: dict[str, Any], apply: Callable[[str], str]) -> list[str]:
    if state["qknorm"] in ("none", ""):
        return []
    if state["qknorm"] == "l2":
        body = [
            "def qk_norm(X):  # QK-norm, as torch.nn.functional.normalize",
            "    return X / np.maximum(np.linalg.norm(X, axis=-1, keepdims=True), 1e-12)",
        ]
    else:
        body = [
            "def qk_norm(X):  # QK-norm, as torch.nn.functional.layer_norm without gain",
            "    mean = X.mean(axis=-1, keepdims=True)",
            "    return (X - mean) / np.sqrt(((X - mean) ** 2).mean(axis=-1, keepdims=True) + 1e-5)",
        ]
    return ["", *body, f"Q = {apply('Q')}", "K = Q" if state["qk"] == "self" else f"K = {apply('K')}"]


def _cap_lines(state: dict[str, Any], capped: Callable[[str], str], set_c: str) -> list[str]:
    if not _number(state["cap"]) > 0:
        return []
    return [
        f"{set_c.replace('CAP', js_text(state['cap']))}  # the soft cap, as Gemma 2: c * tanh(z / c)",
        f"S_unscaled = {capped('S_unscaled')}",
        f"S_scaled = {capped('S_scaled')}",
    ]


def _low_precision_lines(state: dict[str, Any], scale: str) -> list[str]:
    """The rest of a float16 or bfloat16 view's snippet: every step rounded to the format."""
    bf16 = state["precision"] == "bf16"
    self_qk = state["qk"] == "self"
    lines = [
        "",
        f"# The page computes in {'bfloat16' if bf16 else 'float16'}, rounding every step; so does this.",
        *(["import ml_dtypes"] if bf16 else []),
        f"D = {'ml_dtypes.bfloat16  # pip install ml_dtypes' if bf16 else 'np.float16'}",
        "def rounded_matmul(A, B):",
        "    # A @ B.T: products and sums rounded; d_k split over eight lanes in order,",
        "    # then ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)).",
        "    lanes = np.zeros((8, A.shape[0], B.shape[0]), dtype=D)",
        "    for i in range(A.shape[1]):",
        "        lanes[i % 8] = lanes[i % 8] + np.outer(A[:, i], B[:, i])",
        "    l = lanes",
        "    return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))",
        "",
        "def rounded_softmax(L, stable):",
        "    with np.errstate(over='ignore', invalid='ignore'):",
        "        e = np.exp(L - L.max(axis=1, keepdims=True) if stable else L)",
        "        total = np.zeros(L.shape[0], dtype=D)",
        "        for j in range(L.shape[1]):  # the row sum, one rounded addition at a time",
        "            total = total + e[:, j]",
        "        return e / total[:, None]",
        "",
        "Q = Q.astype(np.float32).astype(D)",
        f"K = {'Q' if self_qk else 'K.astype(np.float32).astype(D)'}",
        # QK-norm from the format's values in float64, rounded once, as the engine does it.
        *_qk_norm_lines(state, lambda m: f"qk_norm({m}.astype(np.float64)).astype(np.float32).astype(D)"),
    ]
    if state["score"] == "cosine":
        lines += [
            "",
            "# The notebook's cosine_sim, eps = 1e-9 (0 in float16), each step rounded",
            "def normalise(A):",
            "    norm = np.sqrt(np.diagonal(rounded_matmul(A, A)).astype(np.float32)).astype(D)",
            "    return A / (norm + D(np.float32(1e-9)))[:, None]",
            "Q = normalise(Q)",
            f"K = {'Q' if self_qk else 'normalise(K)'}",
        ]
    mask = _Mask(state)
    stable = "True" if state["softmax"] == "stable" else "False"
    lines += [
        *_visible_lines(state),
        *mask.defs,
        "",
        "S_unscaled = rounded_matmul(Q, K)",
        *([f"S_unscaled = S_unscaled * D(np.float32({js_text(state['g'])}))  # the gain g"] if _number(state["g"]) != 1 else []),
        f"S_scaled = S_unscaled * {_ssmax_factor(state, True)}  # SSMax: s ln n / sqrt(d_k), n the keys each query sees"
        if state["scale"] == "ssmax"
        else f"S_scaled = S_unscaled * D(np.float32({scale}))",
        *_cap_lines(state, lambda m: f"c * np.tanh(({m} / c).astype(np.float32)).astype(D)", "c = D(np.float32(CAP))"),
        f"tau = D(np.float32({js_text(state['tau'])}))",
        f"P_unscaled = rounded_softmax({mask.apply('S_unscaled / tau')}, {stable})",
        *mask.after("P_unscaled"),
        f"P_scaled = rounded_softmax({mask.apply('S_scaled / tau')}, {stable})",
        *mask.after("P_scaled"),
        f"print('std of scores:', {_visible_cells(state, 'S_unscaled')}.astype(np.float64).std(), "
        f"{_visible_cells(state, 'S_scaled')}.astype(np.float64).std())",
        "print('NaN weights:', int(np.isnan(P_unscaled.astype(np.float64)).sum()), int(np.isnan(P_scaled.astype(np.float64)).sum()))",
    ]
    return lines


def numpy_snippet(state: dict[str, Any], token_keys: Sequence[str] = ()) -> str:
    """The page's snippet for ``state`` (every parameter, as the page holds it) and its words' keys (own text only)."""
    lines = [
        "# Recomputes the attention-scaling explorer view with NumPy.",
        f"# {_query(state)}",
        "import numpy as np",
        "",
        "def softmax(x, axis=-1):",
        "    x = x - np.max(x, axis=axis, keepdims=True)",
        "    e = np.exp(x)",
        "    return e / np.sum(e, axis=axis, keepdims=True)",
        "",
    ]
    if state["softmax"] == "naive":
        lines += [
            "def naive_softmax(x, axis=-1):",
            "    # No max subtraction: in float32, exp overflows above 88.72 and rows turn to NaN.",
            "    with np.errstate(over='ignore', invalid='ignore'):",
            "        e = np.exp(x.astype(np.float32))",
            "        return e / np.sum(e, axis=axis, keepdims=True)",
            "",
        ]
    lines += [f"T, d_k, seed = {js_text(state['t'])}, {js_text(state['dk'])}, {js_text(state['seed'])}", *_input_lines(state, token_keys)]
    if state["precision"] == "f32":
        lines += _qk_norm_lines(state, lambda m: f"qk_norm({m})")
    named = {"sqrt": "1 / np.sqrt(d_k)", "dk": "1 / d_k", "none": "1.0"}
    scale = named.get(state["scale"]) if isinstance(state["scale"], str) else None
    if scale is None:
        scale = js_text(0.0 if state["scale"] == "ssmax" else _number(state["scale"]))
    if state["precision"] != "f32":
        return "\n".join(lines + _low_precision_lines(state, scale)) + "\n"
    if state["score"] == "cosine":
        lines += [
            "",
            "# The notebook's cosine_sim, eps = 1e-9",
            "Q = Q / (np.linalg.norm(Q, axis=-1, keepdims=True) + 1e-9)",
            "K = K / (np.linalg.norm(K, axis=-1, keepdims=True) + 1e-9)",
        ]
    soft = "naive_softmax" if state["softmax"] == "naive" else "softmax"
    mask = _Mask(state)
    lines += [
        *_visible_lines(state),
        *mask.defs,
        "",
        "S_unscaled = Q @ K.T",
        *([f"S_unscaled = {js_text(state['g'])} * S_unscaled  # the gain g"] if _number(state["g"]) != 1 else []),
        f"S_scaled = S_unscaled * {_ssmax_factor(state, False)}  # SSMax: s ln n / sqrt(d_k), n the keys each query sees"
        if state["scale"] == "ssmax"
        else f"S_scaled = S_unscaled * ({scale})",
        *_cap_lines(state, lambda m: f"c * np.tanh({m} / c)", "c = CAP"),
        f"tau = {js_text(state['tau'])}",
        f"P_unscaled = {soft}({mask.apply('S_unscaled / tau')}, -1)",
        *mask.after("P_unscaled"),
        f"P_scaled = {soft}({mask.apply('S_scaled / tau')}, -1)",
        *mask.after("P_scaled"),
        f"print('std of scores:', {_visible_cells(state, 'S_unscaled')}.std(), {_visible_cells(state, 'S_scaled')}.std())",
    ]
    return "\n".join(lines) + "\n"
