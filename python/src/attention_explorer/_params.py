"""The explorer's parameters and their one validator, as the page has them.

``static/params.json`` is written by ``cargo xtask wheel`` from the page's
own table (``web/state.js``'s ``PARAMS``) and English words
(``web/i18n/en.js``), so a parameter accepts here exactly what it accepts in
the URL, an attribute or a form field. :func:`clamp` follows ``clampParam``
step for step; a test runs both on the same values and compares the results,
notices included.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

_TABLE = json.loads((Path(__file__).parent / "static" / "params.json").read_text(encoding="utf-8"))

#: Every parameter's kind, range or choices and fallback, in URL order.
PARAMS: dict[str, dict[str, Any]] = _TABLE["params"]
_WORDS: dict[str, str] = _TABLE["words"]
#: The parameters the matrices depend on (the page's MODES, and T, d_k, the seed and the text).
NUMBERS: list[str] = _TABLE["numbers"]

# The page's pattern, ASCII digits only (Python's \d takes any script's).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MAX_VALUE_CHARS = 200
# JavaScript's String.prototype.trim: its whitespace, the byte-order mark among it.
_JS_SPACE = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_ISOLATE = ("\u2068", "\u2069")


@dataclass(frozen=True)
class Clamped:
    """What a raw value becomes: the value used, a notice when it was changed or refused, and whether it was refused."""

    value: Any
    notice: str | None
    rejected: bool


def t(key: str, **values: Any) -> str:
    """The page's English string ``key`` with its ``{name}`` places filled."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]) if m[1] in values else m[0], _WORDS[key])


def js_text(value: Any) -> str:
    """A value as JavaScript's ``String()`` writes it (numbers without a needless ``.0``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return _js_float(value)
    return str(value)


def _js_float(value: float) -> str:
    # Both languages write the shortest digits that read back the same
    # (repr's); they differ in where the exponent starts and how it looks.
    sign = "-" if value < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    point = len(digit_tuple) + int(exponent)  # where the decimal point falls after the first digit's place
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    power = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _quote(raw: Any) -> str:
    """User text in a notice: cut to 40 UTF-16 units as the page cuts it, and isolated."""
    text = re.sub("[\u2066-\u2069]", "\ufffd", js_text(raw))
    if _utf16_len(text) > 40:
        units = text.encode("utf-16-le", "surrogatepass")[: 39 * 2]
        text = units.decode("utf-16-le", "surrogatepass") + "…"
    return f'"{_ISOLATE[0]}{text}{_ISOLATE[1]}"'


def _number(n: int) -> str:
    """A whole number as the page writes it in English (grouped: 2,000)."""
    return f"{n:,}"


def _reject(name: str, raw: Any, expected: str) -> Clamped:
    label = t(f"param.{name}")
    empty = js_text(raw).strip(_JS_SPACE) == ""
    notice = t("notice.empty", label=label) if empty else t("notice.not", label=label, raw=_quote(raw), expected=expected)
    return Clamped(PARAMS[name]["fallback"], notice, True)


def _clamp_number(name: str, raw: Any, number: float) -> Clamped:
    spec = PARAMS[name]
    if "off" in spec and number == spec["off"]:
        return Clamped(_typed(spec, spec["off"]), None, False)
    step = spec.get("step")
    # Math.round: halves go up.
    value = spec["min"] + math.floor((number - spec["min"]) / step + 0.5) * step if step else number
    reason = None
    if number < spec["min"]:
        value = spec["min"]
        reason = t("notice.below", min=js_text(spec["min"]))
    elif number > spec["max"]:
        value = spec["max"]
        reason = t("notice.above", max=js_text(spec["max"]))
    elif value != number:
        value = min(value, spec["max"])
        reason = t("notice.notWhole") if step == 1 else t("notice.notMultiple", step=js_text(step))
    value = _typed(spec, value)
    notice = t("notice.fixed", label=t(f"param.{name}"), raw=_quote(raw), reason=reason, value=js_text(value)) if reason else None
    return Clamped(value, notice, False)


def _typed(spec: dict[str, Any], value: float) -> int | float:
    return int(value) if spec["kind"] == "int" else float(value)


def _hide_list(name: str, text: str) -> Clamped:
    choices = PARAMS[name]["choices"]
    names = [n.strip(_JS_SPACE).lower() for n in text.split(",")]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in choices]
    known = list(dict.fromkeys(n for n in names if n in choices))
    more = t("notice.andMore", n=_number(len(unknown) - 5)) if len(unknown) > 5 else ""
    named = ", ".join(_quote(n) for n in unknown[:5]) + more
    notice = None
    if unknown:
        form = "one" if len(unknown) == 1 else "other"
        notice = t(f"notice.notHideable.{form}", n=len(unknown), label=t(f"param.{name}"), named=named, choices=", ".join(choices))
    return Clamped(",".join(known), notice, False)


def _text_value(name: str, raw: Any) -> Clamped:
    limit = PARAMS[name]["maxChars"]
    # Lone surrogates become U+FFFD, as String.prototype.toWellFormed makes them.
    whole = re.sub("[\ud800-\udfff]", "\ufffd", js_text(raw))
    if len(whole) <= limit:
        return Clamped(whole, None, False)
    notice = t("notice.textLimit", max=_number(limit), cut=_number(len(whole) - limit))
    return Clamped(whole[:limit], notice, False)


def clamp(name: str, raw: Any) -> Clamped:
    """Validates one raw value for parameter ``name``, as the page does.

    A number is snapped to its step and clamped into range, with a notice
    when that changed it; a known name is used as it is; anything else is
    refused: ``rejected`` is true and ``value`` is the fallback, so a caller
    can keep the value it had instead.
    """
    spec = PARAMS[name]
    if raw is None:
        return Clamped(spec["fallback"], None, False)
    text = js_text(raw).strip(_JS_SPACE)
    kind = spec["kind"]
    if kind != "text" and _utf16_len(text) > _MAX_VALUE_CHARS:
        return _reject(name, raw, t("expect.short", n=_number(_utf16_len(text))))
    if kind == "text":
        return _text_value(name, raw)
    if kind == "list":
        return _hide_list(name, text)
    one_of = t("expect.oneOf", choices=", ".join(spec.get("choices", [])))
    if kind == "lang":
        language = re.split("[-_]", text.lower())[0]
        return Clamped(language, None, False) if language in spec["choices"] else _reject(name, raw, one_of)
    if kind == "choice":
        lower = text.lower()
        return Clamped(lower, None, False) if lower in spec["choices"] else _reject(name, raw, one_of)
    if kind == "scale":
        lower = text.lower()
        if lower in spec["choices"]:
            return Clamped(lower, None, False)
        if not _NUMBER.fullmatch(text):
            return _reject(name, raw, t("expect.ruleOrNumber", choices=", ".join(spec["choices"])))
        clamped = _clamp_number(name, raw, float(text))
        return Clamped(js_text(clamped.value), clamped.notice, False)
    if not _NUMBER.fullmatch(text):
        expected = t("expect.whole" if kind == "int" else "expect.number", min=js_text(spec["min"]), max=js_text(spec["max"]))
        return _reject(name, raw, expected)
    return _clamp_number(name, raw, float(text))


def kept(notice: str, value: Any) -> str:
    """A refused value's notice, with the value still in use (the page's "Still showing …")."""
    return t("notice.stillShowing", notice=notice, value=js_text(value))
