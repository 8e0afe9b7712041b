"""The widget's traitlets: one per parameter, validated as the page validates, observable."""

from __future__ import annotations

import gzip
import json
import warnings

import pytest
import traitlets

from attention_explorer import PARAMS, Explorer, ParamNotice


def test_every_parameter_is_a_synced_traitlet_with_the_page_default():
    w = Explorer()
    for name, spec in PARAMS.items():
        assert w.trait_metadata(name, "sync") is True, name
        assert getattr(w, name) == spec["fallback"], name
    assert w.state == {name: spec["fallback"] for name, spec in PARAMS.items()}


def test_values_given_at_creation_are_used():
    w = Explorer(dk=64, qk="independent", scale="0.5", sigma=2, mask="causal", pad=3, lang="es")
    assert (w.dk, w.qk, w.scale, w.sigma, w.mask, w.pad, w.lang) == (64, "independent", "0.5", 2.0, "causal", 3, "es")
    assert isinstance(w.sigma, float) and isinstance(w.dk, int)


def test_a_value_out_of_range_is_clamped_with_the_page_notice():
    w = Explorer()
    with pytest.warns(ParamNotice, match=r'd_k "\u206899999\u2069" is above the maximum 4096; using 4096\.'):
        w.dk = 99999
    assert w.dk == 4096
    with pytest.warns(ParamNotice, match="not a multiple of 4"):
        w.dk = 66
    assert w.dk == 68


def test_a_value_the_page_refuses_raises_and_the_previous_value_stays():
    w = Explorer(qk="independent")
    with pytest.raises(traitlets.TraitError, match=r"Q/K source .* is not one of self, independent\. Still showing independent\."):
        w.qk = "sideways"
    assert w.qk == "independent"
    with pytest.raises(traitlets.TraitError, match="is not a whole number from 4 to 4096"):
        w.dk = "lots"
    assert w.dk == 16


def test_a_valid_value_warns_nothing():
    w = Explorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w.dk = 128
        w.tau = 0.5
        w.hide = "seed,temperature"


def test_observers_hear_each_change():
    w = Explorer()
    heard = []
    w.observe(lambda change: heard.append((change["name"], change["old"], change["new"])), names=["dk", "qk"])
    w.dk = 256
    w.qk = "independent"
    w.dk = 256  # the same value: no change
    assert heard == [("dk", 16, 256), ("qk", "self", "independent")]


def test_an_unknown_parameter_is_refused_by_name():
    with pytest.raises(TypeError, match="unknown parameters dkk"):
        Explorer(dkk=64)


def test_the_site_travels_with_the_widget():
    w = Explorer()
    assert gzip.decompress(w._wasm)[:4] == b"\0asm"
    files = json.loads(gzip.decompress(w._site))
    for needed in ("attention-explorer.js", "site.js", "state.js", "engine-worker.js", "pkg/attention_wasm.js", "explorer.css", "lessons/notebook-03.json", "i18n/ar.js"):
        assert needed in files, needed
    assert not any(name.endswith(".map") or name == "index.html" for name in files)
    # Gzipped, what a widget sends is less than half of the files (about a third).
    assert len(w._site) + len(w._wasm) < (sum(len(text.encode()) for text in files.values()) + len(gzip.decompress(w._wasm))) / 2


LESSON = {
    "format": "attention-explorer-lesson", "version": 1, "id": "mine", "title": "Scaling in one step",
    "steps": [{"state": "dk=64", "prompt": "What is the std of the unscaled scores?", "predict": {"kind": "number", "answer": 8},
               "observe": "unscaled.std", "explain": "√64 = 8."}],
}


def test_a_lesson_is_a_name_a_dict_json_text_or_a_file(tmp_path, monkeypatch):
    assert Explorer(lesson="notebook-03", guide=True).lesson == "notebook-03"
    assert json.loads(Explorer(lesson=LESSON).lesson) == LESSON
    text = json.dumps(LESSON)
    assert Explorer(lesson=text).lesson == text
    (tmp_path / "mine.json").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert Explorer(lesson="mine.json").lesson == text  # read in the kernel: the notebook's page has no address for it
    assert Explorer(lesson=tmp_path / "mine.json").lesson == text
    with pytest.raises(traitlets.TraitError, match="no lesson file 'missing.json'"):
        Explorer(lesson="missing.json")
    w = Explorer(lesson="notebook-03")
    w.lesson = ""  # closes it
    assert (w.lesson, w.guide) == ("", False)
    assert w.trait_metadata("lesson", "sync") and w.trait_metadata("guide", "sync")
