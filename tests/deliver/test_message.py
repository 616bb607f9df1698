"""The e-mail a 科长 acts on from a phone: status, totals and who must fix what first; the attachments'
names as they arrive; no sideways scrolling at 390 px; charset on text attachments; a size ceiling."""

from __future__ import annotations

import email
import re
from email import policy

import pytest

from pipeline.deliver.email import build_message, read_record
from pipeline.settings import EmailSettings
from report_runs import run_tables, several_departments
from conftest import ROOT

MAIL = EmailSettings(host=None, port=25, security="none", sender="czj@example.gov.cn", to=("kz@example.gov.cn",))


def page(run) -> str:
    return (run.folder / "summary.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("<!--\n-->", "")))


def test_the_first_screen_says_status_totals_and_who_must_resubmit(several):
    html = page(several)
    banner = re.search(r'data-status="([^"]+)"[^>]*>(.*?)</td>', html, re.S)
    assert banner.group(1) == "未通过"
    failing = [d for d in several.record["departments"] if not d["reconciled"]]
    must = int(re.search(r'data-resubmit="(\d+)"', html).group(1))
    assert must >= len(failing) >= 1
    assert f"{must} 个部门须退回修改" in text_of(banner.group(2))
    # status, totals and the list of departments to fix come before the money table and the findings
    assert html.index('data-status=') < html.index('data-total="computed"') < html.index('id="to-fix"') \
        < html.index('id="departments"') < html.index('id="top-findings"')


def test_the_list_of_departments_to_fix_names_their_problems_in_chinese(several):
    html = page(several)
    table = html[html.index('id="to-fix"'):html.index("</table>", html.index('id="to-fix"'))]
    headers = [text_of(h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table)]
    assert headers == ["部门", "错误", "警告", "需修改的主要问题"]
    rows = re.findall(r'data-to-fix="([^"]+)"', table)
    assert "某区卫生健康局" in rows
    assert "合计与各单位之和不符" in text_of(table)
    assert not re.search(r"[a-z]+_[a-z]+", text_of(table))      # no finding code such as total_mismatch


def test_the_findings_table_has_a_department_column(several):
    html = page(several)
    table = html[html.index('id="top-findings"'):]
    headers = [text_of(h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table)][:3]
    assert headers == ["部门", "级别", "问题与说明"]
    assert "某区卫生健康局" in text_of(table)


def test_rejected_files_are_said_to_be_left_out_of_the_total(tmp_path):
    from builders import education_bureau

    (tmp_path / "bad").mkdir()
    broken = tmp_path / "bad" / "坏.xlsx"
    broken.write_text("not a workbook")
    run = run_tables(tmp_path, education_bureau(), copy=[broken])
    html = page(run)
    assert 'data-left-out="1"' in html and "不含拒收的 1 个文件" in html
    assert "另有 1 个文件被拒收、未计入合计" in text_of(html)


def test_attachments_are_named_in_the_text_as_they_arrive(several):
    html = text_of(page(several))
    assert "report.xlsx" not in html and "report.html" not in html
    assert "项目支出绩效目标审核报告_2026-11.xlsx" in html and "项目支出绩效目标审核报告_2026-11.html" in html
    message, notes = build_message(several.folder, read_record(several.folder), MAIL)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["项目支出绩效目标审核报告_2026-11.xlsx", "项目支出绩效目标审核报告_2026-11.html"]
    assert notes == []


def test_text_attachments_carry_a_charset(several):
    message, _ = build_message(several.folder, read_record(several.folder), MAIL)
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    web = [p for p in parsed.iter_attachments() if p.get_content_type() == "text/html"]
    assert [p.get_content_charset() for p in web] == ["utf-8"]


def test_above_the_size_ceiling_the_web_report_is_left_out_with_a_note(several):
    from dataclasses import replace

    small = replace(MAIL, max_message_mb=0.01)
    message, notes = build_message(several.folder, read_record(several.folder), small, with_departments=True)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["项目支出绩效目标审核报告_2026-11.xlsx", "各部门绩效目标表_2026-11.zip"]
    assert "未附 项目支出绩效目标审核报告_2026-11.html" in notes[0] and "max_message_mb" in notes[0]
    assert len(notes) == 2                    # still over: said so too
    assert notes[0] in message.get_body(("plain",)).get_content()
    assert 'data-note' in message.get_body(("html",)).get_content()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """Twenty departments, some failing: the e-mail's tables grow long, not wide."""
    from builders import Dept, Proj

    departments = several_departments() + [
        Dept(f"某区第{n:02d}局（含下属单位及派出机构）", [(f"某区第{n:02d}局", [Proj("办公经费", fiscal=f"{n}23456.78")])])
        for n in range(16)]
    return run_tables(tmp_path_factory.mktemp("city"), *departments)


def test_summary_fits_a_phone_in_chromium(browser, city, several):
    from browser import open_page

    for run in (city, several):
        for name in ("summary.html", "report.html"):
            shown, problems = open_page(browser, run.folder / name, width=390)
            assert shown.evaluate("document.documentElement.scrollWidth") <= 390, (run.folder, name)
            # no header broken one character per line: every <th> is at least two characters wide
            narrow = shown.evaluate("""[...document.querySelectorAll('th')].filter(th =>
                th.getClientRects().length && th.innerText.trim().length > 1 &&
                th.getBoundingClientRect().width < 26).length""")
            assert narrow == 0, name
            assert problems == []
            shown.close()
