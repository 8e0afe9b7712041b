"""The widget's numbers in the kernel: the page's NumPy snippet, run.

The explorer computes in the browser; the kernel recomputes the same view
with the snippet the page gives (written here by ``_snippet.py``, which a
test holds to the page's text; a browser test runs the page's snippet against
the engine bit for bit) and collects its arrays and statistics.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np


class TextNotSplitYet(RuntimeError):
    """The widget's own text has not been split into words yet: the browser does that, as on the page."""


def run_snippet(snippet: str) -> dict[str, Any]:
    """Runs a snippet and returns its Q, K, scores and weights (float32) and statistics."""
    namespace: dict[str, Any] = {}
    # The snippet may switch NumPy's warnings off (np.seterr); errstate keeps that to the snippet.
    with contextlib.redirect_stdout(io.StringIO()), np.errstate():
        exec(compile(snippet, "<attention-explorer snippet>", "exec"), namespace)  # noqa: S102 - the page's own code
    arrays = {
        "q": namespace["Q"],
        "k": namespace["K"],
        "scores_unscaled": namespace["S_unscaled"],
        "scores_scaled": namespace["S_scaled"],
        "weights_unscaled": namespace["P_unscaled"],
        "weights_scaled": namespace["P_scaled"],
    }
    arrays = {name: np.asarray(value).astype(np.float32) for name, value in arrays.items()}
    visible = namespace.get("visible")
    return {**arrays, "stats": _statistics(arrays, visible)}


def _statistics(arrays: dict[str, np.ndarray], visible: np.ndarray | None) -> dict[str, float]:
    """Each panel's numbers as the page's readouts give them, over the cells a mask leaves visible."""
    stats: dict[str, float] = {}
    for panel in ("unscaled", "scaled"):
        scores = arrays[f"scores_{panel}"].astype(np.float64)
        weights = arrays[f"weights_{panel}"].astype(np.float64)
        cells = scores[visible] if visible is not None else scores
        seen = weights[visible] if visible is not None else weights
        stats[f"std_{panel}"] = float(cells.std())
        stats[f"max_weight_{panel}"] = float(np.nanmax(seen)) if not np.isnan(seen).all() else float("nan")
        stats[f"nan_weights_{panel}"] = int(np.isnan(weights).sum())
    return stats
