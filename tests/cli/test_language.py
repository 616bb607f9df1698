"""The command line speaks one language: click's own help and errors in Chinese, and a summary that
tells the clerk what was read, what was left out, who must fix what, and what to do next."""

import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from builders import education_bureau, published_rows, write_text
from pipeline.cli import app

runner = CliRunner()
ENGLISH = re.compile(r"Usage:|Options|Arguments|Commands|Show this message|Missing argument|No such option|"
                     r"Error:|\{paths\}|<list|\[OPTIONS\]|PATH|TEXT|default:|required")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="pipeline")


@pytest.mark.parametrize("command", [[], ["run"], ["check"], ["email"], ["history"], ["diff"]])
def test_help_is_all_chinese(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert ENGLISH.search(result.output) is None, result.output
    assert result.output.startswith(f"用法：pipeline {' '.join(command)}".rstrip() + " [选项]")
    assert "选项：" in result.output and "显示本说明并退出。" in result.output


def test_check_help_names_its_argument_in_chinese():
    text = invoke("check", "--help").output
    assert "用法：pipeline check [选项] 文件或文件夹..." in text
    assert "参数：\n  文件或文件夹...  要检查的文件或文件夹，可以多个。" in text


def test_help_columns_line_up_in_terminal_columns():
    from pipeline.cli.language import width

    lines = invoke("email", "--help").output.splitlines()
    starts = set()
    for line in lines:
        found = re.match(r"(  --?\S+(?: \S+)?  +)\S", line)
        if found:
            starts.add(width(found.group(1)))
    assert len(starts) == 1, starts          # every option's help starts in the same terminal column
    assert all(width(line) <= 80 for line in lines)


@pytest.mark.parametrize("args, message", [
    (["check", "--input", "x"], "错误：没有选项 --input。"),
    (["run", "--inputs-folder", "x"], "错误：没有选项 --inputs-folder。"),
    (["check"], "错误：缺少参数 文件或文件夹（要检查的文件或文件夹，可以多个）。"),
    (["run", "--period"], "错误：选项 --period 后面缺少值，如 --period YYYY-MM。"),
    (["run", "--open=yes"], "错误：选项 --open 是开关，后面不带值。"),
    (["nosuch"], "错误：没有命令「nosuch」。可用的命令：run、check、email、history、diff。"),
    (["history", "extra"], "错误：多余的参数：extra。"),
])
def test_click_usage_errors_are_chinese_and_exit_2(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "用法：pipeline" in result.output and "查看说明。" in result.output
    assert ENGLISH.search(result.output) is None, result.output


def test_a_close_option_is_suggested():
    result = invoke("run", "--input", "x")
    assert result.exit_code == 2
    assert "错误：没有选项 --input。是否想用 --inputs" in result.output


def test_help_does_not_import_the_heavy_libraries():
    code = ("import sys; from pipeline.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'xlsxwriter', 'jinja2', 'python_calamine', 'rich.progress') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def _mixed_inputs(tmp_path, sample):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    (inputs / "坏.xlsx").write_text("not a workbook")
    (inputs / "空.xlsx").write_bytes(b"")
    (inputs / "无表.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    dept = education_bureau()
    dept.declared = "1.00"
    write_text(inputs / "教育.csv", published_rows(dept))
    return inputs


def test_each_rejected_file_is_listed_once_with_a_chinese_reason(tmp_path, sample):
    result = invoke("check", _mixed_inputs(tmp_path, sample))
    assert result.exit_code == 1
    out = result.output
    assert out.count("坏.xlsx") == 1 and out.count("空.xlsx") == 1 and out.count("无表.csv") == 1
    assert "EOCD" not in out and "Zip" not in out
    assert "[拒收] 空.xlsx：无法作为电子表格打开：文件是空的（0 字节）" in out
    assert "[拒收] 坏.xlsx：" in out
    assert "[拒收] 无表.csv：文件中没有找到项目支出绩效目标表" in out
    assert "：中没有找到" not in out
    assert "不含拒收的 3 个文件" in out


def test_findings_are_grouped_by_department_with_marks(tmp_path, sample):
    lines = invoke("check", _mixed_inputs(tmp_path, sample)).output.splitlines()
    assert "  × 某区教育局：项目 4 个，指标 12 条，计算 1,050.00 万元，申报 1.00 万元，错误 2 个" in lines[4:7] \
        or any(line.startswith("  × 某区教育局：") for line in lines)
    assert any(line.startswith("  ! 广州市荔湾区信访局：") and line.endswith("警告 6 个") for line in lines)
    groups = [line for line in lines if re.match(r"  [×!√] .*（.*个）：$", line)]
    assert [g.split()[1].split("（")[0] for g in groups] == ["某区教育局", "广州市荔湾区信访局"]
    start = lines.index(groups[0])
    assert lines[start + 1].startswith("    [错误] ")


def test_status_addresses_the_clerk_and_says_what_next(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    lines = invoke("run", "-i", inputs, "-o", tmp_path / "out", "-p", "2026-11").output.splitlines()
    assert lines[-3:-1] == ["状态：有警告", f"结果已写入 {tmp_path / 'out' / '2026-11'}"]
    assert lines[-1].startswith("下一步：pipeline email --dry-run")
    failed = invoke("check", _mixed_inputs(tmp_path, sample)).output.splitlines()
    assert failed[-2].startswith("状态：未通过（4 个部门或文件有错误")
    assert failed[-1].startswith("下一步：")


def test_amounts_have_thousands_separators(tmp_path):
    from decimal import Decimal

    from pipeline.model import Sum
    from pipeline.report.text import amount_text

    assert amount_text(Sum(Decimal("1234567.8"))) == "1,234,567.80 万元"
    dept = education_bureau()
    dept.declared = "1234.00"
    write_text(tmp_path / "t.csv", published_rows(dept))
    out = invoke("check", tmp_path).output
    assert "申报 1,234.00 万元" in out, out


def test_dry_run_needs_no_server_and_no_password(tmp_path, sample, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    assert invoke("run", "-p", "2026-11").exit_code == 0
    (tmp_path / "pipeline.toml").write_text(
        '[email]\nfrom = "czj@example.gov.cn"\nto = ["kz@example.gov.cn"]\nusername = "czj@example.gov.cn"\n'
        'password_env = "NO_SUCH_PASSWORD_VARIABLE"\n', encoding="utf-8")
    result = invoke("email", "-p", "2026-11", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "outputs" / "2026-11" / "message.eml").is_file()
    assert "下一步：" in result.output


def test_email_without_any_settings_file_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("email", "-p", "2026-11", "--dry-run")
    assert result.exit_code == 2
    assert "错误：当前文件夹中没有设置文件 pipeline.toml" in result.output
    assert "缺少 [email] host" not in result.output


def test_a_department_from_a_subfolder_sorts_by_name(tmp_path):
    for path, name in ((tmp_path / "zz.csv", "某区第2局"), (tmp_path / "子" / "x.csv", "某区第1局")):
        path.parent.mkdir(exist_ok=True)
        dept = education_bureau()
        dept.name = name
        write_text(path, published_rows(dept))
    from pipeline.run import check

    assert [d.name for d in check([tmp_path]).departments] == ["某区第1局", "某区第2局"]
