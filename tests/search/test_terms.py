"""Words a search highlights, and the words two papers share (the reason beside a similar paper)."""

from __future__ import annotations

from dailypapers.search.terms import query_stems, shared_keywords
from dailypapers.web.templatetags.papertext import latex_text


def test_a_query_word_highlights_its_inflections_but_not_inside_math():
    html = latex_text(
        r"Weight quantization with $w_{quantized}$ weights at 97\% \emph{weighted}",
        query_stems("quantizing the weights"),
    )
    assert html == (
        "<mark>Weight</mark> <mark>quantization</mark> with $w_{quantized}$ <mark>weights</mark> at 97% "
        '<em class="tex-emph"><mark>weighted</mark></em>'
    )


def test_highlighting_escapes_the_text_around_the_marks():
    html = latex_text("<b>Diphoton</b> & diphotons", query_stems("diphoton"))
    assert html == "&lt;b&gt;<mark>Diphoton</mark>&lt;/b&gt; &amp; <mark>diphotons</mark>"
    assert latex_text("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"
    assert latex_text("AT&T", query_stems("amp")) == "AT&amp;T"  # never inside an entity


def test_stopwords_alone_highlight_nothing():
    assert query_stems("the of and with") == []


def test_shared_keywords_are_the_words_both_texts_use_most():
    a = "We quantize the weights of large language models; salient weights stay in high precision."
    b = "Quantization of language model weights keeps salient channels; weights of outliers matter."
    assert shared_keywords(a, b) == ["weights", "language", "quantization"]
    assert shared_keywords("graph neural networks", "protein folding") == []
