"""How text from cells is compared: full-width forms folded (NFKC) and every kind of space removed.

One definition for column titles, department names, indicator names and amounts typed as text, so
`项目名称（资金使用单位）` and `项目名称 (资金使用单位)`, or `广州市荔湾区 信访局` and `广州市荔湾区信访局`, are
the same everywhere.
"""

from __future__ import annotations

import re
import unicodedata

# spaces of every width, NBSP, the ideographic space and the zero-width and thin spaces of pasted text
SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u3000]+")


def compact(text: str | None) -> str:
    return SPACES.sub("", unicodedata.normalize("NFKC", text or ""))
