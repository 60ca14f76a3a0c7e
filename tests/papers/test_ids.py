import pytest

from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id


@pytest.mark.parametrize(
    "text, canonical, version",
    [
        ("2306.00978", "2306.00978", None),
        ("2306.00978v2", "2306.00978", 2),
        ("arXiv:2306.00978v3", "2306.00978", 3),
        ("https://arxiv.org/abs/2306.00978", "2306.00978", None),
        ("http://arxiv.org/pdf/2306.00978v1.pdf", "2306.00978", 1),
        ("https://arxiv.org/pdf/2306.00978v1", "2306.00978", 1),
        ("oai:arXiv.org:0704.0001", "0704.0001", None),
        ("hep-th/9901001", "hep-th/9901001", None),
        ("hep-th/9901001v2", "hep-th/9901001", 2),
        ("math.GT/0309136", "math/0309136", None),
        ("http://arxiv.org/abs/cs/9301101v1", "cs/9301101", 1),
        (" 1412.6980 ", "1412.6980", None),
    ],
)
def test_it_parses_every_common_spelling(text, canonical, version):
    parsed = parse_arxiv_id(text)
    assert (parsed.id, parsed.version) == (canonical, version)


@pytest.mark.parametrize(
    "text", ["", "abc", "0000.0000", "2313.00001", "1501.0001", "1312.00001", "2306.00978v0", "hep-th/9913001", "12345"]
)
def test_it_rejects_what_is_not_an_arxiv_id(text):
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(text)
