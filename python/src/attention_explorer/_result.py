"""The widget's numbers in the kernel: the page's NumPy snippet, run.

The explorer computes in the browser; what comes back to Python is the NumPy
snippet that recomputes its view (the page's "Copy NumPy snippet", which a
browser test runs against the engine bit for bit), sent by the widget after
each redraw together with the state it is of. :func:`snippet_for` hands it
out only when that state is the widget's current one, so a result is never
of an older view; :func:`run_snippet` runs it and collects the arrays.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np

from ._params import NUMBERS, PARAMS, js_text


class NotDrawnYet(RuntimeError):
    """The explorer has not drawn the widget's current state yet, so there is no snippet of it."""


def _same(name: str, a: Any, b: Any) -> bool:
    if PARAMS[name]["kind"] in ("int", "number"):
        try:
            return float(a) == float(b)
        except (TypeError, ValueError):
            return False
    return js_text(a) == js_text(b)


def snippet_for(snippet: str, drawn: dict[str, Any], wanted: dict[str, Any]) -> str:
    """``snippet`` if the state it was made for (``drawn``) is ``wanted`` in every parameter the numbers depend on."""
    if not snippet:
        raise NotDrawnYet(
            "the explorer has not drawn yet: display the widget (its last line in a cell, or display(w)), "
            "then ask again in a later cell"
        )
    differ = [name for name in NUMBERS if not _same(name, drawn.get(name), wanted[name])]
    if differ:
        shown = ", ".join(f"{name}={drawn.get(name)!r} (now {wanted[name]!r})" for name in differ[:4])
        raise NotDrawnYet(
            f"the explorer still shows an older view ({shown}): it redraws when this cell has finished, "
            "so ask in the next cell"
        )
    return snippet


def run_snippet(snippet: str) -> dict[str, Any]:
    """Runs a snippet and returns its Q, K, scores and weights (float32) and statistics."""
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()):
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
