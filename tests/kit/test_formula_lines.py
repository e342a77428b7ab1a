"""Where a long formula breaks: at + and − outside brackets, else between bracketed factors,
else one bracket deeper; shared by the race header (Typst) and the 3-D overlay (Unicode)."""

from gdengine.formula_lines import balanced_groups, break_lines, factors, terms, terms_at


def test_terms_prefer_the_outermost_signs():
    assert terms_at("a + (b - c) − d") == ["a", "+ (b - c)", "− d"]
    assert terms("a + (b - c) − d") == ["a", "+ (b - c)", "− d"]
    assert terms("(1 + x)(30 − y)") == ["(1 + x)", "(30 − y)"]  # a product: between its factors
    assert terms("[1 + x] · [30 − y]") == ["[1 + x]", "· [30 − y]"]
    assert factors("sin(x) cos(y)") == ["sin(x) cos(y)"]  # a function call is not a factor bracket
    assert terms("exp(−(x − 1) + y)") == ["exp(−(x − 1)", "+ y)"]  # one level in, as a last resort
    assert terms("x") == ["x"]


def test_fewest_lines_that_fit_and_balanced_groups():
    assert balanced_groups(["aaaa", "+ b", "+ c", "+ dddd"], 2) == [["aaaa", "+ b"], ["+ c", "+ dddd"]]
    assert break_lines("a + b + c + d", lambda ls: max(map(len, ls)) <= 20) == ["a + b + c + d"]
    assert break_lines("a + b + c + d", lambda ls: max(map(len, ls)) <= 6) == ["a + b", "+ c", "+ d"]
    # nothing fits: the max_lines split is returned for the caller to shrink
    assert break_lines("a + b + c + d", lambda ls: False, max_lines=2) == ["a + b", "+ c + d"]
