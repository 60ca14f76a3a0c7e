"""Rank fusion (pure functions)."""

from dailypapers.search.fusion import fuse, normalized, rrf


def test_it_puts_a_paper_ranked_well_by_both_lists_first():
    keyword = [("a", 9.0), ("b", 8.0), ("c", 1.0)]
    semantic = [("b", 0.9), ("d", 0.8), ("a", 0.7)]
    fused = [key for key, _ in fuse([keyword, semantic])]
    assert fused[:2] == ["b", "a"] and set(fused) == {"a", "b", "c", "d"}


def test_it_weights_one_ranking_over_the_other():
    keyword = [("k", 1.0), ("x", 0.5)]
    semantic = [("s", 1.0), ("y", 0.5)]
    assert fuse([keyword, semantic], weights=[2.0, 1.0])[0][0] == "k"
    assert fuse([keyword, semantic], weights=[1.0, 2.0])[0][0] == "s"


def test_it_handles_empty_rankings():
    assert fuse([[], []]) == []
    assert [k for k, _ in fuse([[("a", 1.0)], []])] == ["a"]
    assert normalized([]) == {}


def test_it_keeps_a_large_score_gap_when_blending():
    # "a" is far ahead in the keyword list; RRF alone would tie it with "b" (first in the other list).
    keyword = [("a", 50.0), ("c", 2.0), ("b", 1.0)]
    semantic = [("b", 0.51), ("a", 0.50), ("c", 0.10)]
    assert fuse([keyword, semantic], blend=0.8)[0][0] == "a"


def test_rrf_sums_reciprocal_ranks():
    scores = rrf([[("a", 1), ("b", 1)], [("b", 1)]], k=1)
    assert scores["a"] == 1 / 2 and scores["b"] == 1 / 3 + 1 / 2
