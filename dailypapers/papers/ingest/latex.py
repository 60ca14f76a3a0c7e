"""Turn the TeX accents arXiv metadata uses in names (``Bal\\'azs``, ``{\\"o}``, ``\\c{c}``) into Unicode."""

from __future__ import annotations

import re
import unicodedata

_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
}
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
}
_ACCENT = re.compile(
    r"\{?\\(?P<cmd>['`^\"~=.]|[uvHckrd](?=[\s{]))\s*(?:\{\s*(?P<braced>\\?[A-Za-z])\s*\}|(?P<bare>\\?[A-Za-z]))\}?"
)
_LETTER = re.compile(r"\{?\\(?P<name>ss|aa|AA|ae|AE|oe|OE|dh|DH|th|TH|[oOlLij])(?![A-Za-z])\s*\}?")


def _accent(match: re.Match) -> str:
    base = match["braced"] or match["bare"]
    if base.startswith("\\"):
        base = _LETTERS.get(base[1:], base[1:])
    return unicodedata.normalize("NFC", base + _COMBINING[match["cmd"]])


def latex_to_unicode(text: str) -> str:
    if "\\" not in text:
        return text
    text = _ACCENT.sub(_accent, text)
    text = _LETTER.sub(lambda m: _LETTERS[m["name"]], text)
    return text.replace("{", "").replace("}", "") if "\\" not in text else text
