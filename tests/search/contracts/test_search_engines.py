"""The one contract every search engine passes: memory, tantivy and postgres alike."""

from __future__ import annotations

import pytest
from search_contract_kit import CORPUS, doc

from mogao.search.backends.base import SearchBackend
from mogao.search.types import And, Boost, MatchAll, Node, Not, Or, Phrase, SearchQuery, Term


def ids(engine: SearchBackend, root: Node, **kw: object) -> list[str]:
    return [h.id for h in engine.search(SearchQuery(root=root, limit=100, **kw)).hits]  # type: ignore[arg-type]


def idset(engine: SearchBackend, root: Node, **kw: object) -> set[str]:
    return set(ids(engine, root, **kw))


@pytest.fixture
def loaded(engine: SearchBackend) -> SearchBackend:
    assert engine.add(CORPUS) == len(CORPUS)
    engine.refresh()
    return engine


class TestEngineContract:
    """Every engine: writes, CJK matching, Latin stemming, ranking, filters, facets, paging."""

    # ---------------------------------------------------------------- writes

    def test_add_count_replace_delete_clear(self, engine: SearchBackend) -> None:
        assert engine.count() == 0
        engine.add(CORPUS)
        engine.refresh()
        assert engine.count() == len(CORPUS)
        engine.add([doc("item:p2", title="妙法蓮華經", institution="BnF")])
        engine.refresh()
        assert engine.count() == len(CORPUS)
        assert "item:p2" in idset(engine, Term("蓮華"))
        assert "item:p2" not in idset(engine, Term("金剛經"))
        engine.delete(["item:p2", "no-such-id"])
        engine.refresh()
        assert engine.count() == len(CORPUS) - 1
        assert idset(engine, Term("蓮華")) == set()
        engine.clear()
        engine.refresh()
        assert engine.count() == 0
        assert engine.search(SearchQuery()).total == 0

    def test_written_record_is_visible_without_refresh(self, engine: SearchBackend) -> None:
        engine.add([doc("item:a", title="敦煌遺書")])
        assert idset(engine, Term("敦煌")) == {"item:a"}
        engine.add([doc("item:a", title="吐魯番文書")])
        assert idset(engine, Term("敦煌")) == set()
        assert idset(engine, Term("吐魯番")) == {"item:a"}
        engine.delete(["item:a"])
        assert idset(engine, Term("吐魯番")) == set()

    def test_same_id_twice_in_one_batch_keeps_the_last(self, engine: SearchBackend) -> None:
        engine.add([doc("item:a", title="敦煌"), doc("item:a", title="吐魯番")])
        engine.refresh()
        assert engine.count() == 1
        assert idset(engine, Term("吐魯番")) == {"item:a"}

    def test_bulk_block_makes_everything_visible_at_the_end(self, engine: SearchBackend) -> None:
        with engine.bulk():
            engine.add(CORPUS[:3])
            engine.add(CORPUS[3:])
        assert engine.count() == len(CORPUS)

    # ---------------------------------------------------------------- CJK

    def test_cjk_term_matches_every_record_holding_its_bigrams(self, loaded: SearchBackend) -> None:
        assert idset(loaded, Term("般若")) == {"work:t0235", "work:t0251"}
        # simplified and traditional meet through folding
        assert idset(loaded, Term("般若波罗蜜")) == {"work:t0235", "work:t0251"}

    def test_cjk_phrase_is_exact_on_bigram_positions(self, loaded: SearchBackend) -> None:
        if not loaded.supports_phrase:
            pytest.skip(f"{loaded.name} has no phrase support")
        # 金剛經 is not a phrase inside 金剛般若波羅蜜經 ...
        assert idset(loaded, Phrase("金剛經")) == {"item:p2"}
        # ... but 般若 is, and so is a longer run
        assert idset(loaded, Phrase("般若")) == {"work:t0235", "work:t0251"}
        assert idset(loaded, Phrase("般若波羅蜜經")) == {"work:t0235"}
        assert idset(loaded, Phrase("波羅蜜多")) == {"work:t0251"}

    def test_one_character_queries_use_unigrams(self, loaded: SearchBackend) -> None:
        assert idset(loaded, Term("經")) == {"work:t0235", "item:p2", "work:t0251"}
        assert idset(loaded, Term("经")) == {"work:t0235", "item:p2", "work:t0251"}
        assert idset(loaded, Term("圖")) == {"item:s3326"}

    def test_phrase_never_spans_two_values(self, engine: SearchBackend) -> None:
        engine.add([doc("item:a", title="x", alias=["甲乙", "丙丁"])])
        engine.refresh()
        assert idset(engine, Term("乙丙")) == set()
        assert idset(engine, Phrase("甲乙")) == {"item:a"}

    # ---------------------------------------------------------------- Latin, fields, ranking

    def test_latin_words_are_stemmed_and_folded(self, loaded: SearchBackend) -> None:
        assert idset(loaded, Term("sutras")) == {"work:t0235", "work:t0251"}
        assert idset(loaded, Term("KUMARAJIVA")) == {"work:t0235"}
        assert idset(loaded, Term("charts")) == {"item:s3326"}

    def test_words_of_a_term_may_sit_in_different_fields(self, loaded: SearchBackend) -> None:
        assert idset(loaded, Term("diamond kumarajiva")) == {"work:t0235"}

    def test_named_field_restricts_the_match(self, loaded: SearchBackend) -> None:
        assert idset(loaded, Term("diamond", field="alias")) == {"work:t0235"}
        assert idset(loaded, Term("diamond", field="body")) == {"item:notes"}
        assert idset(loaded, Term("diamond", field="title")) == set()
        assert idset(loaded, Term("S.3326", field="shelfmark")) == {"item:s3326"}

    def test_unknown_field_matches_nothing_and_filter_field_matches_value(self, loaded: SearchBackend) -> None:
        assert idset(loaded, Term("diamond", field="nonsense")) == set()
        assert idset(loaded, Term("BnF", field="institution")) == {
            "item:p2",
            "item:notes",
            "item:html",
        }

    def test_title_beats_body(self, loaded: SearchBackend) -> None:
        assert ids(loaded, Term("lotus")) == ["item:lotus-title", "item:notes"]
        assert ids(loaded, Term("diamond"))[0] == "work:t0235"

    def test_boost_reorders_when_supported(self, loaded: SearchBackend) -> None:
        if not loaded.supports_boost:
            pytest.skip(f"{loaded.name} ranks without per-node boosts")
        root = Or((Term("lotus", field="title"), Boost(Term("lotus", field="body"), 100.0)))
        assert ids(loaded, root) == ["item:notes", "item:lotus-title"]

    def test_shelfmark_forms_meet(self, loaded: SearchBackend) -> None:
        for q in ("S.3326", "S 3326", "s3326", "Or.8210/S.3326"):
            assert idset(loaded, Term(q)) == {"item:s3326"}, q

    # ---------------------------------------------------------------- boolean

    def test_exclusion(self, loaded: SearchBackend) -> None:
        assert idset(loaded, And((Term("般若"), Not(Term("心經"))))) == {"work:t0235"}
        everything_but = idset(loaded, Not(Term("經")))
        assert everything_but == {d.id for d in CORPUS} - {"work:t0235", "item:p2", "work:t0251"}

    def test_or(self, loaded: SearchBackend) -> None:
        assert idset(loaded, Or((Term("星圖"), Term("論語")))) == {"item:s3326", "item:bamboo"}

    def test_match_all_and_empty_tree(self, loaded: SearchBackend) -> None:
        assert loaded.search(SearchQuery(root=MatchAll())).total == len(CORPUS)
        assert loaded.search(SearchQuery(root=Term("!!!"))).total == 0
        # a token-less node is neutral inside And/Or
        assert idset(loaded, And((Term("星圖"), Term("…")))) == {"item:s3326"}

    # ---------------------------------------------------------------- filters, years, facets

    def test_filters_or_within_and_across_fields(self, loaded: SearchBackend) -> None:
        one = idset(loaded, MatchAll(), filters={"institution": ("BL",)})
        assert one == {"item:s3326", "item:bamboo", "item:lotus-title"}
        two = idset(loaded, MatchAll(), filters={"institution": ("BL", "DILA"), "period": ("Tang",)})
        assert two == {"item:s3326", "work:t0251"}
        typed = idset(loaded, Term("經"), filters={"doc_type": ("work",)})
        assert typed == {"work:t0235", "work:t0251"}
        assert idset(loaded, MatchAll(), filters={"bogus": ("x",)}) == set()

    def test_year_range_overlap_with_bce(self, loaded: SearchBackend) -> None:
        assert idset(loaded, MatchAll(), year_from=-320, year_to=-280) == {"item:bamboo"}
        assert idset(loaded, MatchAll(), year_to=0) == {"item:bamboo"}
        assert idset(loaded, MatchAll(), year_from=410, year_to=650) == {
            "work:t0235",
            "item:s3326",
            "work:t0251",
        }
        assert idset(loaded, MatchAll(), year_from=868) == {"item:p2"}
        assert idset(loaded, MatchAll(), year_from=900, year_to=100) == set()

    def test_facet_counts(self, loaded: SearchBackend) -> None:
        if not loaded.supports_facets:
            pytest.skip(f"{loaded.name} has no facets")
        res = loaded.search(SearchQuery(root=MatchAll(), facets=("institution", "doc_type", "nope")))
        inst = [(f.value, f.count) for f in res.facets["institution"]]
        assert inst == [("BL", 3), ("BnF", 3), ("DILA", 2)]
        assert [(f.value, f.count) for f in res.facets["doc_type"]] == [("item", 6), ("work", 2)]
        assert "nope" not in res.facets
        narrowed = loaded.search(SearchQuery(root=Term("經"), facets=("period",)))
        assert [(f.value, f.count) for f in narrowed.facets["period"]] == [
            ("Tang", 2),
            ("Later Qin", 1),
        ]
        none = loaded.search(SearchQuery(root=Term("沒有"), facets=("period",)))
        assert none.facets == {"period": []}

    # ---------------------------------------------------------------- sorting and paging

    def test_sorts(self, loaded: SearchBackend) -> None:
        dated = ["item:bamboo", "work:t0235", "item:s3326", "work:t0251", "item:p2"]
        by_date = ids(loaded, MatchAll(), sort="date", filters={"doc_type": ("item", "work")})
        assert [i for i in by_date if i in dated][:2] == ["item:bamboo", "work:t0235"]
        assert by_date.index("item:p2") == 4  # undated records come after the dated ones
        newest = ids(loaded, MatchAll(), sort="-date")
        assert newest[:3] == ["item:p2", "item:s3326", "work:t0251"]
        assert set(newest[5:]) == {"item:notes", "item:lotus-title", "item:html"}
        shelf = ids(loaded, MatchAll(), sort="shelfmark")
        assert shelf == [
            "item:bamboo",
            "item:lotus-title",
            "item:p2",
            "item:s3326",
            "work:t0235",
            "work:t0251",
            "item:html",
            "item:notes",
        ]

    def test_paging(self, loaded: SearchBackend) -> None:
        full = ids(loaded, MatchAll(), sort="shelfmark")
        page = loaded.search(SearchQuery(root=MatchAll(), sort="shelfmark", offset=2, limit=3))
        assert page.total == len(CORPUS)
        assert [h.id for h in page.hits] == full[2:5]
        beyond = loaded.search(SearchQuery(root=MatchAll(), offset=50, limit=10))
        assert beyond.total == len(CORPUS) and beyond.hits == []
        zero = loaded.search(SearchQuery(root=MatchAll(), limit=0))
        assert zero.total == len(CORPUS) and zero.hits == []
        odd = loaded.search(SearchQuery(root=MatchAll(), offset=-5, limit=10**9))
        assert len(odd.hits) == len(CORPUS)

    def test_hits_carry_type_score_and_payload(self, loaded: SearchBackend) -> None:
        hit = loaded.search(SearchQuery(root=Term("星圖"))).hits[0]
        assert hit.id == "item:s3326" and hit.doc_type == "item"
        assert hit.payload == {"url": "/x/item:s3326", "label": "Dunhuang star chart 星圖"}
        assert hit.score > 0

    # ---------------------------------------------------------------- highlights

    def test_highlights_mark_hits_and_escape_html(self, loaded: SearchBackend) -> None:
        if not loaded.supports_highlight:
            pytest.skip(f"{loaded.name} has no highlights")
        res = loaded.search(SearchQuery(root=Term("金剛"), filters={"institution": ("BnF",)}))
        by_id = {h.id: h for h in res.hits}
        assert by_id["item:p2"].highlights["title"] == ["<mark>金剛</mark>經"]
        html = by_id["item:html"].highlights["title"][0]
        assert "<script>" not in html
        assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>金剛</mark> &amp; co"
        stem = loaded.search(SearchQuery(root=Term("seal"))).hits[0]
        assert "<mark>seals</mark>" in stem.highlights["body"][0]
        off = loaded.search(SearchQuery(root=Term("金剛"), highlight=False)).hits[0]
        assert off.highlights == {}

    def test_excluded_terms_are_not_highlighted(self, loaded: SearchBackend) -> None:
        res = loaded.search(SearchQuery(root=And((Term("般若"), Not(Term("心經"))))))
        assert res.hits[0].highlights["title"] == ["金剛<mark>般若</mark>波羅蜜經"]

    # ---------------------------------------------------------------- weird input

    @pytest.mark.parametrize(
        "text",
        ["", " ", "\x00\x01\x1f", "金" * 10_000, "a " * 5_000, "🙂🙃 emoji", "'\"\\;--", "<->|&!:*"],
    )
    def test_weird_input_never_raises(self, loaded: SearchBackend, text: str) -> None:
        for node in (Term(text), Phrase(text), Term(text, field="title"), Not(Term(text))):
            res = loaded.search(SearchQuery(root=node, facets=("institution",)))
            assert res.total >= 0

    def test_weird_documents_are_indexed(self, engine: SearchBackend) -> None:
        odd = [
            doc("item:empty"),
            doc("item:ctrl", title="金\x00剛\x1f經"),
            doc("item:emoji", title="🙂 金剛 🙂", institution="🙂"),
            doc("item:long", title="經" * 20_000, body=["x " * 20_000]),
            doc("item:quote", title="O'Brien's \\ 'manuscript'", institution="a'b"),
        ]
        engine.add(odd)
        engine.refresh()
        assert engine.count() == len(odd)
        assert "item:emoji" in idset(engine, Term("金剛"))
        assert idset(engine, Term("o'brien's")) == {"item:quote"}
        assert idset(engine, MatchAll(), filters={"institution": ("a'b",)}) == {"item:quote"}


def test_parallel_analysis_indexes_the_same(engine: SearchBackend) -> None:
    from mogao.search.backends.analysis import analyze_many

    with engine.bulk():
        assert engine.add_analyzed(analyze_many(CORPUS, processes=2, chunk=3)) == len(CORPUS)
    assert engine.count() == len(CORPUS)
    assert idset(engine, Phrase("金剛經")) == {"item:p2"}


def test_parallel_preparation_indexes_the_same(engine: SearchBackend) -> None:
    """What a rebuild does: the engine's own preparation runs in worker processes."""
    from mogao.search.backends.analysis import prepare_many

    with engine.bulk():
        prepared = prepare_many(CORPUS, engine.preparer(), processes=2, chunk=3)
        assert engine.add_prepared(prepared) == len(CORPUS)
    assert engine.count() == len(CORPUS)
    assert idset(engine, Phrase("金剛經")) == {"item:p2"}
    assert idset(engine, Term("sutras")) == {"work:t0235", "work:t0251"}
    assert idset(engine, Term("diamond kumarajiva")) == {"work:t0235"}


def test_phrase_positions_survive_script_changes(engine: SearchBackend) -> None:
    engine.add([doc("item:a", title="金剛經 Kumārajīva 譯"), doc("item:b", title="金剛 Kumarajiva")])
    engine.refresh()
    assert idset(engine, Phrase("金剛經 Kumarajiva")) == {"item:a"}
    assert idset(engine, Phrase("金剛 kumarajiva")) == {"item:b"}
    assert idset(engine, Phrase("kumarajiva 譯")) == {"item:a"}
    assert idset(engine, Term("譯")) == {"item:a"}
