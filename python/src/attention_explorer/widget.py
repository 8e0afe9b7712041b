"""The explorer as a Jupyter widget: the page's ``<attention-explorer>`` element, every parameter a synced traitlet."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import warnings
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ._params import PARAMS, clamp, kept
from ._result import TextNotSplitYet, run_snippet
from ._snippet import numpy_snippet

_STATIC = Path(__file__).parent / "static"
_SITE = _STATIC / "site"
# The files the element needs, besides the engine's .wasm (sent as bytes).
_TEXT_SUFFIXES = (".js", ".css", ".json")


class ParamNotice(UserWarning):
    """A value was changed to fit (clamped, snapped, cut): the page's notice says how."""


@functools.cache
def _site() -> tuple[bytes, bytes, str]:
    """The site's text files (a JSON object, path → text) and its engine, each gzipped, and an id of both: made once per kernel.

    Gzip makes what each widget sends the browser about a third (the front
    end inflates it with the browser's own DecompressionStream).
    """
    files = json.dumps(_site_files(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    wasm = (_SITE / "pkg" / "attention_wasm_bg.wasm").read_bytes()
    digest = hashlib.sha256(wasm)
    digest.update(files)
    return gzip.compress(files, mtime=0), gzip.compress(wasm, mtime=0), digest.hexdigest()[:16]


def _site_files() -> dict[str, str]:
    files = {}
    for path in sorted(_SITE.rglob("*")):
        if path.suffix in _TEXT_SUFFIXES and path.is_file():
            files[path.relative_to(_SITE).as_posix()] = path.read_text(encoding="utf-8")
    if "attention-explorer.js" not in files:
        raise RuntimeError(f"the explorer's files are missing from {_SITE}: build the wheel with `cargo xtask wheel`")
    return files


class Param(traitlets.TraitType):
    """One of the page's parameters, validated exactly as the page validates it.

    A value that had to change to fit (out of range, not on the step, text
    too long) is used changed, with a :class:`ParamNotice` warning that says
    so; a value the page would refuse raises :class:`traitlets.TraitError`
    with the page's notice, and the previous value stays.
    """

    def __init__(self, name: str, **kwargs: Any) -> None:
        spec = PARAMS[name]
        super().__init__(default_value=self._typed(spec, spec["fallback"]), **kwargs)
        self.param = name
        self.info_text = _describe(spec)

    @staticmethod
    def _typed(spec: dict[str, Any], value: Any) -> Any:
        if spec["kind"] == "int":
            return int(value)
        if spec["kind"] == "number":
            return float(value)
        return value

    def validate(self, obj: Any, value: Any) -> Any:
        result = clamp(self.param, value)
        if result.rejected:
            raise traitlets.TraitError(kept(result.notice, obj._trait_values.get(self.name, self.default_value)))
        if result.notice:
            warnings.warn(result.notice, ParamNotice, stacklevel=4)
        return self._typed(PARAMS[self.param], result.value)


def _describe(spec: dict[str, Any]) -> str:
    kind = spec["kind"]
    if kind in ("int", "number"):
        return f"a number from {spec['min']} to {spec['max']}" + (f" in steps of {spec['step']}" if spec.get("step", 1) != 1 else "")
    if kind == "scale":
        return f"one of {', '.join(spec['choices'])}, or a factor from {spec['min']} to {spec['max']}"
    if kind in ("choice", "lang"):
        return f"one of {', '.join(spec['choices'])}"
    if kind == "list":
        return f"a comma-separated list of {', '.join(spec['choices'])}"
    return f"text of at most {spec['maxChars']} characters"


class Lesson(traitlets.Unicode):
    """A lesson for the explorer to open: the element's ``lesson`` attribute.

    A built-in lesson's name (``"notebook-03"``), a lesson as a dict or as
    JSON text, or the path of a lesson's JSON file next to the notebook (read
    here and sent as its text: the notebook's page has no address for the
    kernel's files). ``""`` closes the lesson. The explorer validates the
    lesson as the page does and says in the widget why one cannot open.
    """

    info_text = "a built-in lesson's name, a lesson (dict or JSON text), or a lesson's .json file"

    def validate(self, obj: Any, value: Any) -> str:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, os.PathLike) or (isinstance(value, str) and value.strip().endswith(".json")):
            path = Path(value).expanduser()
            if not path.is_file():
                raise traitlets.TraitError(f"no lesson file {str(value)!r} (looked from {Path.cwd()})")
            return path.read_text(encoding="utf-8")
        return super().validate(obj, value)


class _ExplorerBase(anywidget.AnyWidget):
    _esm = _STATIC / "widget.js"
    # The site's files (gzipped JSON, path → text) and engine (gzipped), sent
    # once per widget; `_site_id` lets a page that shows several widgets build
    # the files' modules once.
    _site = traitlets.Bytes().tag(sync=True)
    _wasm = traitlets.Bytes().tag(sync=True)
    _site_id = traitlets.Unicode().tag(sync=True)
    # The words of the widget's own text (`{"text": …, "keys": […]}`), split
    # by the front end as the page splits them (Intl.Segmenter).
    _words = traitlets.Dict().tag(sync=True)
    lesson = Lesson("").tag(sync=True)
    #: The guided explanation under the explorer (the maths, and "Set this up" buttons).
    guide = traitlets.Bool(False).tag(sync=True)

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(PARAMS) - {"lesson", "guide"})
        if unknown:
            raise TypeError(f"Explorer() got unknown parameters {', '.join(unknown)}; it takes {', '.join(PARAMS)}, lesson and guide")
        files, wasm, site_id = _site()
        super().__init__(_site=files, _wasm=wasm, _site_id=site_id, **params)

    @property
    def state(self) -> dict[str, Any]:
        """Every parameter's value, as the page's URL would hold them."""
        return {name: getattr(self, name) for name in PARAMS}

    def _shown(self) -> tuple[dict[str, Any], list[str]]:
        """The state the explorer shows for this widget's values, as its snippet names it, and the keys of its text's words.

        The page's rules: with own text, T is its number of words (at least
        two, at most 64), and the row stays within T. The words come from the
        browser, which splits text as the page does; until it has split this
        text (the widget not shown yet, or the text set in the same cell)
        this raises ``TextNotSplitYet``.
        """
        state = self.state
        keys: list[str] = []
        if state["text"] != "":
            if self._words.get("text") != state["text"]:
                raise TextNotSplitYet(
                    "the browser splits the text into words (as the page does, for any language) and has not split "
                    "this text yet: show the widget (its last line in a cell, or display(w)), then ask in a later cell"
                )
            keys = list(self._words["keys"])
        t = len(keys) or int(state["t"])
        return {**state, "t": t, "row": min(int(state["row"]), t - 1)}, keys

    def numpy_snippet(self) -> str:
        """The NumPy code that recomputes the view: the page's "Copy NumPy snippet", for the widget's values now."""
        return numpy_snippet(*self._shown())

    def result(self) -> dict[str, Any]:
        """The view's Q, K, scores and weights as float32 NumPy arrays, and its statistics.

        Keys: ``q``, ``k`` (T × d_k), ``scores_unscaled``, ``scores_scaled``,
        ``weights_unscaled``, ``weights_scaled`` (T × T) and ``stats`` (each
        panel's score std and largest weight over the cells a mask leaves
        visible, and its count of NaN weights): what :meth:`numpy_snippet`
        computes, run here, for the widget's values now (no browser needed,
        but for the words of own text), and ``state``, the values it is of.
        The explorer's own changes (a drag, a lesson's step) reach the kernel
        between cells: a result asked in the same cell as ``Explorer(...)``
        is of the values given there.
        """
        state, keys = self._shown()
        return {**run_snippet(numpy_snippet(state, keys)), "state": state}


def _param_traits() -> dict[str, Param]:
    return {name: Param(name).tag(sync=True) for name in PARAMS}


# The parameters are made from the page's own table, so none is missing or extra.
Explorer = type(
    "Explorer",
    (_ExplorerBase,),
    {
        **_param_traits(),
        "__module__": __name__,
        "__doc__": """The attention-scaling explorer in a notebook.

    ``Explorer(dk=64, qk="independent")`` shows the same explorer as the web
    page; every URL parameter (``dk``, ``t``, ``seed``, ``qk``, ``scale``,
    ``tau``, ``softmax``, ``precision``, ``mask``, … see ``PARAMS``) is a
    traitlet synced both ways: dragging the slider changes ``w.dk``, and
    ``w.dk = 128`` redraws. Values are validated as the page validates them.
    ``lesson="notebook-03"`` (or a lesson of your own: a dict, JSON text or a
    .json file) opens a lesson, ``guide=True`` adds the guided explanation.
    """,
    },
)
