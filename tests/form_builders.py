"""Build per-project forms (绩效目标申报表) as real files, in the variants of shared/forms.md.

A `Form` describes one form's content; `yueyang_rows` (labels left, money block merged down, one value
column) and `dongguan_rows` (预算单位 line above, goals under sub-labels, two value blocks side by side)
lay it out as (rows, merges), with options for the variants: `label:value` cells, money as text with
units, merged or repeated level cells, sign-off rows. The writers in builders.py write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from builders import write_xls, write_xlsx

INDICATORS = [
    ("产出指标", "数量指标", "脱贫村村内道路硬化里程", "≥100公里", "≥100公里"),
    ("产出指标", "时效指标", "项目(工程)完成及时率", "≥100%", "≥100%"),
    ("效益指标", "社会效益指标", "受益群众人数", "≥5000人", "≥5000人"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "≥90%"),
]


@dataclass
class Form:
    name: str = "岳阳县2022年高标准农田建设项目"
    department: str = "岳阳县农业农村局"
    unit: str = "农田建设服务中心"
    total: object = 854              # as typed: a number or text such as "854万(高标准农田建设400万元)"
    fiscal: object = 854
    other: object = ""
    period_total: object = None      # 资金总额 beside 当年资金总额 (dongguan layout only)
    goal: str = "完成项目主体工程70%"
    period_goal: str = ""
    period: str = "2022.01-2022.12"
    indicators: list = field(default_factory=lambda: list(INDICATORS))


def yueyang_rows(form: Form, *, title: bool = True, colon_cells: bool = False, merge_levels: bool = True,
                 sign_off: bool = True, unit_label: str = "资金情况(万元)") -> tuple[list[list], list]:
    """Layout 1 of shared/forms.md. Columns: A block label, B label/一级, C value/二级, D 三级, E 指标值."""
    rows, merges = [], []
    if title:
        rows.append(["项目支出绩效目标申报表", "", "", "", ""])
        rows.append(["", "", "", "(2022年度)", ""])
        merges.append((0, 0, 0, 4))
    if colon_cells:
        rows.append([f"项目名称:{form.name}", "", f"项目负责人及电话:张三 0730-1234567", "", ""])
        rows.append([f"主管部门:{form.department}", "", f"实施单位:{form.unit}", "", ""])
    else:
        rows.append(["项目名称", form.name, "项目负责人及电话", "张三 0730-1234567", ""])
        rows.append(["主管部门", form.department, "实施单位", form.unit, ""])
    rows.append(["项目支出实施期", form.period, "项目属性", "新增项目", ""])
    money = len(rows)
    rows.append([unit_label, "年度资金总额:", form.total, "", ""])
    rows.append(["", "其中:财政拨款", form.fiscal, "", ""])
    rows.append(["", "其他资金", form.other, "", ""])
    merges += [(money, 0, money + 2, 0), (money, 2, money, 4), (money + 1, 2, money + 1, 4),
               (money + 2, 2, money + 2, 4)]
    rows.append(["总体目标", "年度目标", form.goal, "", ""])
    merges.append((len(rows) - 1, 2, len(rows) - 1, 4))
    grid = len(rows)
    rows.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"])
    for l1, l2, name, _period, annual in form.indicators:
        rows.append(["", l1, l2, name, annual])
    rows.append(["", "效益指标", "生态效益指标", "", ""])     # an unused template row
    last = len(rows) - 1
    merges.append((grid, 0, last, 0))
    if merge_levels:
        _merge_runs(rows, merges, grid + 1, last, 1)
    if sign_off:
        rows.append(["财政部门审核意见", "", "", "", ""])
        rows.append(["填表人:李四", "", "联系电话:0730-7654321", "", "填报日期:2022-03-01"])
    return rows, merges


def dongguan_rows(form: Form, *, annual_block_empty: bool = False, period_block_empty: bool = False,
                  text_cells: bool = False) -> tuple[list[list], list]:
    """Layout 2: 预算单位 line above, 本年度申请…(万元) beside the name, goals on the row under their
    sub-labels, and 实施周期指标值 ∥ 当年度指标值 blocks. Columns A..H."""
    def money(v):
        return str(v) if text_cells and v not in (None, "") else v

    rows = [[f"预算单位:{form.department}", "", "", "", "", "", "", ""],
            ["项目名称", form.name, "本年度申请市财政预算资金(万元)", money(form.total), "资金总额", money(form.period_total),
             "实施单位", form.unit],
            ["开始日期", form.period.split("-")[0], "结束日期", form.period.split("-")[1], "项目类别", "经常性项目", "", ""],
            ["总体目标", "实施周期总目标(2022年--2024年)", "", "", "年度目标", "", "", ""],
            ["", form.period_goal, "", "", form.goal, "", "", ""],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "二级指标", "三级指标", "当年度指标值"]]
    merges = [(3, 0, 4, 0), (3, 1, 3, 3), (4, 1, 4, 3), (3, 4, 3, 7), (4, 4, 4, 7)]
    for l1, l2, name, period, annual in form.indicators:
        left = ["", ""] if period_block_empty else [l2, name]
        right = ["", ""] if annual_block_empty else [l2, name]
        rows.append(["", l1, *left, "" if period_block_empty else period, *right, "" if annual_block_empty else annual])
    merges.append((5, 0, len(rows) - 1, 0))
    if text_cells:
        rows = [[money(v) if isinstance(v, (int, float)) else v for v in row] for row in rows]
    return rows, merges


def _merge_runs(rows, merges, first, last, col) -> None:
    """Merge each run of equal cells down a column, blanking the covered ones as a spreadsheet does."""
    start = first
    for r in range(first + 1, last + 2):
        if r > last or rows[r][col] != rows[start][col]:
            if r - 1 > start:
                merges.append((start, col, r - 1, col))
                for k in range(start + 1, r):
                    rows[k][col] = ""
            start = r


def write_form_xlsx(path, sheets: list[tuple[str, list, list]], start=(0, 0)):
    return write_xlsx(path, [{"name": name, "rows": rows, "merges": merges, "start": start}
                             for name, rows, merges in sheets])


def write_form_xls(path, rows, merges=()):
    """Legacy .xls, merged ranges written as merged cells (xlwt's write_merge)."""
    if not merges:
        return write_xls(path, rows, sheet="申报表")
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("申报表")
    starts = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merges}
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in starts:
                sheet.write_merge(r, starts[(r, c)][0], c, starts[(r, c)][1], value)
            elif (r, c) not in covered and value not in ("", None):
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def write_form_ods(path, rows):
    width = max(len(r) for r in rows)
    pd.DataFrame([r + [""] * (width - len(r)) for r in rows]).to_excel(path, engine="odf", header=False,
                                                                         index=False)
    return path


def stacked(*layouts, gap: int = 2) -> tuple[list[list], list]:
    """Several forms down one sheet, `gap` blank rows between them."""
    rows, merges = [], []
    for k, (form_rows, form_merges) in enumerate(layouts):
        if k:
            rows.extend([[""] for _ in range(gap)])
        offset = len(rows)
        rows.extend(form_rows)
        merges.extend((r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in form_merges)
    return rows, merges


INSTRUCTIONS = [["填报说明"], ["1. 每个项目填写一张申报表。"], ["2. 金额单位为万元。"]]


def only_project(batch):
    assert len(batch.departments) == 1 and len(batch.departments[0].projects) == 1
    return batch.departments[0].projects[0]


DONGGUAN = Form(name="物业管理费支出", department="东莞展览馆", unit="东莞展览馆", total=282.92, fiscal="",
                period_total=848.76, period="2022.01-2024.12", goal="保障展馆日常运转", period_goal="三年保障展馆运转",
                indicators=[("产出指标", "质量指标", "物业管理保障工作合格率", "100%", "100%"),
                            ("效益指标", "社会效益指标", "展馆开放天数", "≥900天", "≥300天"),
                            ("满意度指标", "服务对象满意度指标", "参展单位满意度", "≥90%", "≥90%")])
