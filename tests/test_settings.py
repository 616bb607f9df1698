"""pipeline.toml (pipeline.settings): defaults, the example file, strict own keys, other sections kept,
errors that name the file and line, command-line options over the file (the [email] section:
tests/settings/test_email.py)."""

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import UsageError
from pipeline.vocabulary import DEFAULT_CODE_MAP
from pipeline.run import check
from pipeline.settings import DEFAULT_VAGUE_WORDS, EmailSettings, Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "pipeline.toml.example"
runner = CliRunner()


def write(tmp_path: Path, text: str, name: str = "pipeline.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def fails(tmp_path: Path, text: str) -> str:
    with pytest.raises(UsageError) as info:
        load_settings(write(tmp_path, text))
    return info.value.message


def test_without_a_file_the_defaults_apply(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None)
    assert settings == Settings()
    assert (settings.framework, settings.min_indicators, settings.controls, settings.expect_total) == ("2015", 3, None, None)
    assert dict(settings.code_map) == DEFAULT_CODE_MAP and settings.vague_words == DEFAULT_VAGUE_WORDS


def test_pipeline_toml_in_the_working_folder_is_read(tmp_path, monkeypatch):
    write(tmp_path, 'framework = "2021"\n')
    monkeypatch.chdir(tmp_path)
    assert load_settings(None).framework == "2021"


def test_the_example_file_holds_the_defaults():
    settings = load_settings(EXAMPLE)
    defaults = Settings()
    for name in ("framework", "min_indicators", "vague_words", "controls", "expect_total"):
        assert getattr(settings, name) == getattr(defaults, name), name
    assert dict(settings.code_map) == dict(defaults.code_map) and dict(settings.severities) == {}


def test_a_full_file_is_read(tmp_path):
    path = write(tmp_path, """\ufeff
framework = "2021"
controls = "收件/控制数.xlsx"
expect_total = "1,234.50"

[review]
min_indicators = 4
vague_words = ["尽快", "稳步提高"]

[code_map]
"A" = "产出指标"
"A1" = "数量指标"

[severity]
too_few_indicators = "info"
template_leftover = "warning"
""")
    s = load_settings(path)
    assert (s.framework, s.min_indicators, s.vague_words) == ("2021", 4, ("尽快", "稳步提高"))
    assert s.controls == tmp_path / "收件" / "控制数.xlsx"  # relative to the file's folder
    assert s.expect_total == Decimal("1234.50")
    assert dict(s.code_map) == {"A": "产出指标", "A1": "数量指标"}
    assert dict(s.severities) == {"too_few_indicators": "info", "template_leftover": "warning"}
    assert s.file == path


def test_every_section_is_read_here(tmp_path):
    path = write(tmp_path, '[limits]\nmax_file_mb = 50\n\n[email]\nto = ["a@b.c"]\n\n[history]\npath = "h/db.sqlite"\n')
    s = load_settings(path)
    assert (s.limits.max_file_mb, s.limits.max_cells) == (50, 5_000_000)
    assert s.history == tmp_path / "h" / "db.sqlite"
    assert s.email == EmailSettings(to=("a@b.c",)) and s.framework == "2015"


@pytest.mark.parametrize("text, line, words", [
    ('framework = "2015"\n\n[review]\nmin_indicator = 3\n', 4, "[review] 中的 min_indicator 不是已知的设置项"),
    ('[review]\nmin_indicators = "3"\n', 2, "min_indicators 应为不小于 0 的整数"),
    ('[review]\nvague_words = "及时"\n', 2, "vague_words 应为非空词语的列表"),
    ('framwork = "2021"\n', 1, "framwork 不是已知的设置项"),
    ('framework = "2018"\n', 1, "framework 只能是"),
    ('controls = 3\n', 1, "controls 应为控制数文件的路径"),
    ('expect_total = "三百万"\n', 1, "expect_total 应为万元金额"),
    ('\n[severity]\nmissing_unit = "fatal"\n', 3, "级别「fatal」无效"),
    ('[severity]\nno_such_code = "info"\n', 2, "no_such_code 不是已知的问题代码"),
    ('[code_map]\n"1" = "产出"\n"2" = "绩效"\n', 3, "名称「绩效」不是绩效指标框架中的一级或二级指标"),
    ('review = 3\n', 1, "review 应为一节"),
    ("[limits]\nmax_ratio = -1\n", 2, "[limits] 中的 max_ratio 应为正数，现为 -1"),
    ("[limits]\nmax_ratoi = 5\n", 2, "[limits] 中的 max_ratoi 不是已知的设置项"),
    ('[limits]\nmax_cells = "many"\n', 2, "[limits] 中的 max_cells 应为正数"),
    ("limits = 3\n", 1, "limits 应为一节"),
])
def test_a_wrong_own_key_names_the_file_and_line(tmp_path, text, line, words):
    message = fails(tmp_path, text)
    assert f"pipeline.toml 第 {line} 行" in message and words in message, message


def test_a_syntax_error_names_the_line(tmp_path):
    message = fails(tmp_path, 'framework = "2015"\n[review\nmin_indicators = 3\n')
    assert "pipeline.toml 第 2 行" in message and "语法错误" in message


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "pipeline.toml"
    path.write_bytes('framework = "2015"  # 框架\n'.encode("gb18030"))
    with pytest.raises(UsageError, match="不是 UTF-8"):
        load_settings(path)


def test_a_missing_config_file(tmp_path):
    with pytest.raises(UsageError, match="找不到设置文件"):
        load_settings(tmp_path / "nope.toml")


def test_options_override_the_file(tmp_path):
    s = load_settings(write(tmp_path, 'framework = "2021"\nexpect_total = 1\ncontrols = "a.csv"\n'))
    s = s.with_options(framework="2015", controls=Path("b.csv"), expect_total="308.00")
    assert (s.framework, s.controls, s.expect_total) == ("2015", Path("b.csv"), Decimal("308.00"))
    assert s.with_options() == s
    with pytest.raises(UsageError, match="--framework「2019」无效"):
        s.with_options(framework="2019")
    with pytest.raises(UsageError, match="--expect-total「abc」不是金额"):
        s.with_options(expect_total="abc")


def test_severity_overrides_apply_to_the_run(seed):
    assert check([seed]).ok
    strict = Settings(severities={"missing_benefit_indicator": "error", "too_few_indicators": "info"})
    batch = check([seed], strict)
    assert not batch.ok
    severities = {(f.code, f.severity) for f in batch.findings}
    assert ("missing_benefit_indicator", "error") in severities and ("too_few_indicators", "info") in severities


# --- the command line -------------------------------------------------------------------------

def test_cli_reads_pipeline_toml_from_the_working_folder(tmp_path, monkeypatch, seed):
    write(tmp_path, '[severity]\nmissing_satisfaction_indicator = "error"\n')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(seed)])
    assert result.exit_code == 1
    assert ("  [错误] 项目「进京劝返协调工作经费」（绩效指标单元格 G18）没有满意度指标" in result.output
            and "（位置：seed_xinfangju.txt!G18）" in result.output)


def test_cli_framework_option_beats_the_file(tmp_path, monkeypatch, seed):
    write(tmp_path, 'framework = "2015"\n')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(seed), "--framework", "2021"])
    assert result.exit_code == 0
    assert "问题：错误 0 个，警告 16 个，提示 0 个" in result.output  # 6 + a missing 成本 for each of 10


@pytest.mark.parametrize("args, words", [
    (["--framework", "2019"], "错误：--framework「2019」无效：只能是 2015 或 2021。"),
    (["--config", "nope.toml"], "错误：找不到设置文件 nope.toml。"),
    (["--expect-total", "abc"], "错误：--expect-total「abc」不是金额"),
])
def test_cli_usage_errors_exit_2(tmp_path, monkeypatch, seed, args, words):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(seed), *args])
    assert result.exit_code == 2 and words in result.output


def test_cli_malformed_pipeline_toml_exits_2_naming_the_line(tmp_path, monkeypatch, seed):
    write(tmp_path, 'framework = "2015"\n\n[review]\nmin_indicators = -1\n')
    monkeypatch.chdir(tmp_path)
    for command in (["check", str(seed)], ["run", "-i", str(tmp_path), "-o", str(tmp_path / "out")]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        assert "错误：设置文件 pipeline.toml 第 4 行：[review] 中的 min_indicators 应为不小于 0 的整数" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_help_documents_the_options():
    for command in ("run", "check"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        for option in ("--controls", "--expect-total", "--framework", "--config", "示例："):
            assert option in result.output
