"""Narration text as a voice should say it: numbers, signs and symbols spelled out per language.

Lines in the strings tables keep digits and symbols (they are also the subtitles); the voices
read them badly — espeak-ng's Mandarin drops decimal points ("0.06" → "líng líng liù") and
reads "-1" in English; Piper drops an ASCII minus. ``spoken(text, language)`` is what the voice
is given; subtitles keep the written line.
"""

from __future__ import annotations

import re

NUMBER = re.compile(
    r"(?P<sign>(?<![\w.])[−-])?(?P<int>\d+)(?:\.(?P<frac>\d+))?(?:e(?P<exp>[−+-]?\d+))?(?P<pct>%)?"
)

_EN_SYMBOLS = {
    "η": " eta ", "β₁": " beta one ", "β₂": " beta two ", "β": " beta ", "ε": " epsilon ",
    "α": " alpha ", "γ": " gamma ", "λ": " lambda ", "∇": " gradient ", "≈": " is about ",
    "≠": " is not ", "≤": " at most ", "≥": " at least ", "×": " times ", "=": " equals ",
    "²": " squared", "³": " cubed", "→": " to ", "…": ", ", "·": " ",
}  # fmt: skip
_ZH_SYMBOLS = {
    "η": "伊塔", "β₁": "贝塔一", "β₂": "贝塔二", "β": "贝塔", "ε": "艾普西隆", "α": "阿尔法",
    "γ": "伽马", "λ": "兰姆达", "∇": "梯度", "≈": "约等于", "≠": "不等于", "≤": "小于等于",
    "≥": "大于等于", "×": "乘", "=": "等于", "²": "的平方", "³": "的立方", "→": "到", "·": "",
    "…": "，",
}  # fmt: skip

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_UNITS = ["", "十", "百", "千"]


def spoken(text: str, language: str) -> str:
    """``text`` rewritten for the ``language`` voice (unknown languages: unchanged)."""
    if language == "zh":
        return _collapse(_replace_symbols(NUMBER.sub(_zh_number, text), _ZH_SYMBOLS))
    if language == "en":
        return _collapse(_replace_symbols(NUMBER.sub(_en_number, text), _EN_SYMBOLS))
    return text


def _replace_symbols(text: str, table: dict[str, str]) -> str:
    for symbol, words in table.items():  # longest first where it matters (β₁ before β)
        text = text.replace(symbol, words)
    return text


def _collapse(text: str) -> str:
    return re.sub(r"\s+([,.;:?!，。；：？！])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()


# --- English -------------------------------------------------------------------------------
def _en_number(m: re.Match) -> str:
    words = m["int"] + (f".{m['frac']}" if m["frac"] else "")
    if m["sign"]:
        words = f"minus {words}"
    if m["exp"]:
        words += f" times 10 to the {'minus ' if m['exp'][0] in '−-' else ''}{int(m['exp'].lstrip('−+-'))}"
    if m["pct"]:
        words += " percent"
    return words


# --- Chinese -------------------------------------------------------------------------------
def _zh_number(m: re.Match) -> str:
    words = zh_integer(int(m["int"]))
    if m["frac"]:
        words += "点" + "".join(_ZH_DIGITS[int(d)] for d in m["frac"])
    if m["exp"]:
        exponent = int(m["exp"].lstrip("−+-"))
        sign = "负" if m["exp"][0] in "−-" else ""
        words += f"乘以十的{sign}{zh_integer(exponent)}次方"
    if m["pct"]:
        words = "百分之" + words
    if m["sign"]:
        words = "负" + words
    return words


def zh_integer(n: int) -> str:
    """A whole number as a Chinese speaker reads it: 10 → 十, 105 → 一百零五, 2000 → 两千."""
    if n == 0:
        return "零"
    if n >= 10**12:
        return "".join(_ZH_DIGITS[int(d)] for d in str(n))  # read digit by digit
    groups = []
    for unit in ("", "万", "亿"):
        n, group = divmod(n, 10_000)
        groups.append((group, unit))
        if n == 0:
            break
    words, need_zero = "", False
    for group, unit in reversed(groups):
        if group == 0:
            need_zero = bool(words)
            continue
        if words and (need_zero or group < 1000):
            words += "零"
        words += ("两" if group == 2 and unit else _zh_group(group, leading=not words)) + unit
        need_zero = False
    return words


def _zh_group(n: int, leading: bool) -> str:
    """0 < n < 10000, read with 十/百/千 and inner zeros (一千零五); 两 for a leading 2 of 百 and up."""
    digits = [int(d) for d in f"{n:04d}"]
    words, zero = "", False
    for place, d in zip((3, 2, 1, 0), digits):
        if d == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        if place == 1 and d == 1 and not words and leading:
            words += "十"  # 12 → 十二, but 112 → 一百一十二
        elif d == 2 and place >= 2 and not words:
            words += "两" + _ZH_UNITS[place]
        else:
            words += _ZH_DIGITS[d] + _ZH_UNITS[place]
    return words
