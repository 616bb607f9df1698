"""Rows below a table that are not data: sign-off lines and notes, ignored with their reason.

A printed form ends with 单位负责人：… 财务负责人：… 填表人：… 填报日期：…, 审核：…, a footnote 注：… or one
sentence merged across the table. Read as rows they would look like projects or spending units with
unreadable amounts; they are ignored as `footer` or `note` instead, so a good table is not failed.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from pipeline.read.sheets import Sheet
from pipeline.text import compact

# a label is followed by a colon, or stands alone with its value in the next cell
SIGN_OFF = re.compile(r"^(?:[\u4e00-\u9fff()]{0,8}负责人|填表人|填报人|制表人|编制人|经办人|审核人?|复核人?|审批人?"
                      r"|审核意见|联系人|联系电话|电话|手机|填报日期|填表日期|制表日期|报送日期|编制日期|日期"
                      r"|(?:单位)?\(?(?:盖章|公章|签章|签字)\)?)(?:[:：]|$)")    # matched after NFKC: （） are ()
_LABEL_STARTS = set("填制编经审复联电手报日单(（盖公签注备说附")   # the first characters of the labels above
NOTE = re.compile(r"^(?:注|备注|说明|填表说明|注释|附注)\d*(?:[:：]|\d|[、.．])")


def footer_reason(sheet: Sheet, columns: Collection[int], index: int, texts: list[str]) -> str:
    """"footer" for a sign-off row, "note" for a note or one merged text spanning the header's
    `columns`, else "". `texts` are the row's non-blank cell texts, left to right."""
    first = texts[0].lstrip()
    if "负" in first or first[:1] in _LABEL_STARTS:      # most rows are data: spare them the regexes
        label = compact(first)
        if SIGN_OFF.match(label):
            return "footer"
        if NOTE.match(label):
            return "note"
    single = all(t == texts[0] for t in texts)       # a merged range repeats its text in every cell
    return "note" if single and _spans(sheet, columns, index) else ""


def _spans(sheet: Sheet, columns: Collection[int], index: int) -> bool:
    """One merged range starting on this row covers every column of the header."""
    cells = sheet.rows[index]
    origin = next(((index, c) for c, v in enumerate(cells) if v is not None and str(v).strip()), None)
    if origin is None or origin in sheet.merged_from or not columns:
        return False                      # empty, or a range merged down from a row above
    return all((index, c) == origin or sheet.merged_from.get((index, c)) == origin
               for c in range(min(columns), max(columns) + 1))
