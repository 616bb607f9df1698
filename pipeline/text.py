"""How text from cells is compared: full-width forms folded (NFKC), every kind of space and every
invisible format character removed.

One definition for column titles, department names, project and indicator names and amounts typed as
text, so `项目名称（资金使用单位）` and `项目名称 (资金使用单位)`, or `广州市荔湾区 信访局`,
`广州市荔湾区信访局` and `广州市荔湾区\u200b信访局` (a zero-width space pasted from a web page), are the
same everywhere.
"""

from __future__ import annotations

import re
import unicodedata

# spaces of every width, NBSP and the ideographic space, and every character of Unicode category Cf
# (format characters, invisible when shown: soft hyphen U+00AD, zero-width space/joiners U+200B-U+200D,
# direction marks, word joiner U+2060, BOM U+FEFF, tag characters …), listed as ranges because a
# per-character category lookup would cost more than the rest of `compact`; a test checks the list
# against unicodedata over the whole code space
_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
           "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
           "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
SPACES = re.compile(rf"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000{_FORMAT}]+")


def compact(text: str | None) -> str:
    return SPACES.sub("", unicodedata.normalize("NFKC", text or ""))
