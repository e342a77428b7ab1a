"""What the voices are given: numbers, signs and symbols spelled out per language."""

import pytest

from gdengine.voice.spoken import spoken, zh_integer


@pytest.mark.parametrize(
    "n, words",
    [(0, "零"), (10, "十"), (12, "十二"), (105, "一百零五"), (112, "一百一十二"), (1005, "一千零五"),
     (1050, "一千零五十"), (2026, "两千零二十六"), (10005, "一万零五"), (20000, "两万"),
     (120000, "十二万"), (300000005, "三亿零五")],
)  # fmt: skip
def test_chinese_whole_numbers_read_as_a_speaker_says_them(n, words):
    assert zh_integer(n) == words


def test_chinese_decimals_signs_and_symbols_become_words():
    said = spoken("η = 0.06，从 −1 出发，120 步后 x ≈ 1.05。", "zh")
    assert said == "伊塔 等于 零点零六，从 负一 出发，一百二十 步后 x 约等于 一点零五。"
    assert spoken("误差 1e-06，5% 的点", "zh") == "误差 一乘以十的负六次方，百分之五 的点"


def test_english_minus_signs_and_symbols_are_spoken():
    assert spoken("Start at −1 and at -0.5, η = 0.06.", "en") == "Start at minus 1 and at minus 0.5, eta equals 0.06."
    assert spoken("x ≈ 1.5 after 1e-06", "en") == "x is about 1.5 after 1 times 10 to the minus 6"
    assert spoken("a well-known x-1", "en") == "a well-known x-1"  # a hyphen inside a word is not a sign


def test_unknown_languages_pass_through():
    assert spoken("η = −1", "fr") == "η = −1"
