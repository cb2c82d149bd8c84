"""The "show this question only if…" language (surveys/conditions.py): what it reads, what it
refuses with a reason, how it evaluates on answers so far, and that writing it back reads the
same (the XLSForm round trip depends on it)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from impactlog.surveys.conditions import (
    Both,
    Compare,
    ConditionError,
    Not,
    Selected,
    holds,
    names,
    parse,
    write,
)

pytestmark = pytest.mark.pure

ANSWERS = {"club": "yes", "age": Decimal(15), "likes": ["music", "sport"], "empty": None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${club} = 'yes'", True),
        ('${club} = "no"', False),
        ("${club} != 'no'", True),
        ("${age} >= 15", True),
        ("${age} > 15", False),
        ("${age} < 15.5", True),
        ("${age} <= 14", False),
        ("selected(${likes}, 'music')", True),
        ("selected(${likes}, 'art')", False),
        ("not(selected(${likes}, 'art'))", True),
        ("${club} = 'yes' and ${age} < 13", False),
        ("${club} = 'yes' and ${age} < 13 or ${age} = 15", True),  # and binds tighter
        ("${club} = 'yes' and (${age} < 13 or ${age} = 15)", True),
        ("${club} = 'no' and (${age} < 13 or ${age} = 15)", False),
        # not answered: never equal, never greater or less, always "not equal"
        ("${empty} = ''", True),
        ("${empty} != ''", False),
        ("${missing} > 3", False),
        ("${missing} < 3", False),
        ("${missing} != 3", True),
        ("selected(${missing}, 'x')", False),
    ],
)
def test_an_expression_holds_on_the_answers_given(text: str, expected: bool) -> None:
    assert holds(parse(text), ANSWERS) is expected


@pytest.mark.parametrize(
    "text",
    [
        "${club} =",
        "club = 'yes'",
        "${club} > 'yes'",
        "${club} = 'yes' ${age}",
        "selected(${likes})",
        "(${club} = 'yes'",
        "${club} == 'yes'",
        "count-selected(${likes}) > 1",
        "${club} = 'yes' and",
        "x" * 600,
    ],
)
def test_what_it_cannot_read_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ConditionError) as refused:
        parse(text)
    assert str(refused.value)


def test_an_empty_condition_always_holds() -> None:
    assert parse("  ") is None
    assert holds(None, {}) is True
    assert names(None) == set()


def test_names_lists_every_question_read() -> None:
    text = "not(${a} = 'x') or selected(${b}, 'y') and ${c} > 2"
    assert names(parse(text)) == {"a", "b", "c"}


_names = st.sampled_from(["a", "b", "age"])
_leaf = st.one_of(
    st.builds(Compare, _names, st.sampled_from(["=", "!="]), st.sampled_from(["x", "yes", ""])),
    st.builds(
        Compare,
        _names,
        st.sampled_from(["=", "!=", ">", ">=", "<", "<="]),
        st.sampled_from([Decimal(0), Decimal(13), Decimal("2.5")]),
    ),
    st.builds(Selected, _names, st.sampled_from(["x", "y"])),
)
_expressions = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.builds(Not, inner), st.builds(Both, st.sampled_from(["and", "or"]), inner, inner)
    ),
    max_leaves=8,
)
_answers = st.fixed_dictionaries(
    {
        "a": st.sampled_from(["x", "yes", "", None]),
        "b": st.sampled_from([["x"], ["x", "y"], [], None]),
        "age": st.sampled_from([Decimal(0), Decimal(13), Decimal(20), None]),
    }
)


@given(_expressions, _answers)
def test_written_back_it_means_the_same(expression, answers) -> None:  # type: ignore[no-untyped-def]
    again = parse(write(expression))
    assert holds(again, answers) == holds(expression, answers)
    assert write(again) == write(parse(write(again)))
