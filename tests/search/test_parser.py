"""The search box parser: grammar, repairs and errors (engine fuzzing: contracts/test_parser_fuzz)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mogao.search.parser import MAX_LENGTH, QueryError, parse
from mogao.search.types import And, MatchAll, Not, Or, Phrase, Term


def test_plain_words_form_one_term_run() -> None:
    p = parse("jin gang jing")
    assert p.root == Term("jin gang jing")
    assert p.terms == ("jin gang jing",)
    assert p.warnings == ()


def test_quoted_phrases_and_fields() -> None:
    p = parse('金剛 "般若 波羅蜜" title:心經 alias:"Heart Sutra"')
    assert p.root == And(
        (
            Term("金剛"),
            Phrase("般若 波羅蜜"),
            Term("心經", field="title"),
            Phrase("Heart Sutra", field="alias"),
        )
    )
    assert p.terms == ("金剛", "心經")
    assert p.phrases == ("般若 波羅蜜", "Heart Sutra")


def test_curly_and_cjk_quotes() -> None:
    assert parse("“金剛經”").root == Phrase("金剛經")
    assert parse("「金剛經」").root == Phrase("金剛經")


def test_field_aliases_and_case() -> None:
    assert parse("Author:Kumarajiva").root == Term("Kumarajiva", field="names")
    assert parse("TITLE:lotus").root == Term("lotus", field="title")


def test_filter_fields_go_to_filters() -> None:
    p = parse("金剛 institution:BL institution:BnF dynasty:Tang")
    assert p.root == Term("金剛")
    assert p.filters == {"institution": ("BL", "BnF"), "period": ("Tang",)}
    only = parse("collection:Stein")
    assert only.root == MatchAll() and only.filters == {"collection": ("Stein",)}


def test_exclusion() -> None:
    p = parse("般若 -心經 NOT 大乘 -institution:BL")
    assert p.root == And(
        (
            Term("般若"),
            Not(Term("心經")),
            Not(Term("大乘")),
            Not(Term("BL", field="institution")),
        )
    )
    assert p.excluded == ("心經", "大乘", "BL")
    assert parse("-心經").root == And((MatchAll(), Not(Term("心經"))))


def test_or_binds_tighter_than_and() -> None:
    p = parse("a b OR c d")
    assert p.root == And((Term("a"), Or((Term("b"), Term("c"))), Term("d")))
    assert parse("金剛經 | 心經 OR 法華經").root == Or((Term("金剛經"), Term("心經"), Term("法華經")))
    assert parse("x AND y").root == Term("x y")


def test_dangling_operators_are_ignored_with_a_warning() -> None:
    p = parse("OR 金剛 OR")
    assert p.root == Term("金剛")
    assert len(p.warnings) == 2
    assert parse("金剛 OR -心經").root == And((Term("金剛"), Not(Term("心經"))))


def test_unbalanced_quote_is_closed() -> None:
    p = parse('金剛 "般若 波羅')
    assert p.root == And((Term("金剛"), Phrase("般若 波羅")))
    assert p.warnings == ("an unclosed quote was closed at the end of the query",)


def test_control_characters_are_stripped() -> None:
    p = parse("金\x00剛\x07經\t心經")
    assert p.root == Term("金剛經 心經")
    assert p.warnings == ("control characters were removed",)


def test_unknown_field_is_an_error_naming_it() -> None:
    with pytest.raises(QueryError) as err:
        parse("colour:red")
    assert err.value.field == "colour"
    assert "colour" in str(err.value)


@pytest.mark.parametrize("q", ["P:3532", "12:30", "http://example.org", "Or:8210", "S.3326", "a:1"])
def test_colons_that_belong_to_the_text(q: str) -> None:
    assert parse(q).root == Term(q)


def test_too_long_and_empty() -> None:
    with pytest.raises(QueryError, match="too long"):
        parse("金" * (MAX_LENGTH + 1))
    parse("金" * MAX_LENGTH)
    for empty in ("", "   ", "\x00\x01", '""', "OR", "-"):
        with pytest.raises(QueryError):
            parse(empty)
        assert parse(empty, allow_empty=True).match_all


def test_non_string_is_a_query_error() -> None:
    with pytest.raises(QueryError):
        parse(None)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(q=st.text(max_size=700))
def test_fuzz_any_text_parses_or_raises_query_error(q: str) -> None:
    try:
        parse(q)
    except QueryError as exc:
        assert exc.field
