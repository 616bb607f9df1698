"""pipeline.toml (pipeline.settings): defaults, the example file, strict own keys, other sections kept,
errors that name the file and line, command-line options over the file, the [email] section
(pipeline/settings/email.py) and what sending asks of it."""

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import UsageError
from pipeline.review.framework import DEFAULT_CODE_MAP
from pipeline.run import check
from pipeline.settings import DEFAULT_VAGUE_WORDS, EmailSettings, Settings, email_to_send, load_settings

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



# --- [email] ----------------------------------------------------------------------------------

SENDER, TO = "czj@example.gov.cn", ["张三 <zhangsan@example.gov.cn>", "lisi@example.gov.cn"]


def email_file(tmp_path: Path, **keys) -> Path:
    """pipeline.toml with an [email] section (JSON strings and lists are valid TOML values); None leaves a key out."""
    keys = {"host": "127.0.0.1", "port": 25, "security": "none", "from": SENDER, "to": TO, **keys}
    return write(tmp_path, "\n".join(["[email]"] + [f"{key} = {json.dumps(value, ensure_ascii=False)}"
                                                    for key, value in keys.items() if value is not None]) + "\n")


def test_the_email_section_is_read_typed(tmp_path):
    s = load_settings(email_file(tmp_path, cc="wangwu@example.gov.cn", username="czj", password_env="PW",
                                 timeout=5, max_message_mb=2.5, subject="{period} {status}"))
    assert s.email == EmailSettings(host="127.0.0.1", port=25, security="none", sender=SENDER, to=tuple(TO),
                                    cc=("wangwu@example.gov.cn",), username="czj", password_env="PW",
                                    subject="{period} {status}", timeout=5.0, max_message_mb=2.5)
    assert s.email.recipients == ["zhangsan@example.gov.cn", "lisi@example.gov.cn", "wangwu@example.gov.cn"]
    # the port follows the security when the file gives none
    assert [load_settings(email_file(tmp_path, port=None, security=security)).email.port
            for security in ("starttls", "ssl", "none")] == [587, 465, 25]


@pytest.mark.parametrize("keys, message", [
    ({"username": "czj"}, "缺少 [email] password_env（保存密码的环境变量名（设置了 username 时必填））"),
    ({"password_env": "PW"}, "缺少 [email] username（登录邮件服务器的用户名"),
    ({"username": "张三", "password_env": "PW"}, "[email] 中的 username 只能含 ASCII 字符"),
    ({"password": "x"}, "[email] 中的 password 不允许写在文件中"),
    ({"security": "tls"}, "[email] 中的 security 「tls」无效：只能是 starttls、ssl、none"),
    ({"port": "587"}, "[email] 中的 port 应为 1 到 65535 之间的整数，如 port = 25"),
    ({"timeout": 0}, "[email] 中的 timeout 应为 1 到 3600 之间的数"),
    ({"host": " "}, "[email] 中的 host 应为一行非空文字"),
    ({"to": ["not an address"]}, "[email] 中的 to 中的「not an address」不是一个有效的邮件地址"),
    ({"from": [SENDER, SENDER]}, "[email] 中的 from 应为邮件地址。"),
    ({"subject": "{period} {month}"}, "[email] 中的 subject 中的「{month}」无效"),
    ({"smtp_host": "x"}, "[email] 中的 smtp_host 不是已知的设置项"),
    ({"cafile": "nope.pem"}, "[email] 中的 cafile 指向的证书文件"),
])
def test_a_malformed_email_key_stops_the_reading_of_the_file(tmp_path, keys, message):
    text = fails(tmp_path, email_file(tmp_path, **keys).read_text(encoding="utf-8"))
    assert text.startswith(f"设置文件 {tmp_path / 'pipeline.toml'}") and message in text, text
    assert text.endswith("请参阅 docs/settings.md 的 [email] 一节。")


def test_email_that_is_not_a_section(tmp_path):
    assert "email 应为一节（[email]），不是单个值" in fails(tmp_path, 'email = "a@b.c"\n')


def test_a_cafile_that_is_not_a_certificate(tmp_path):
    (tmp_path / "ca.pem").write_text("not a certificate")
    message = fails(tmp_path, email_file(tmp_path, cafile="ca.pem").read_text(encoding="utf-8"))
    assert "[email] 中的 cafile 指向的" in message and "不是 PEM 格式的证书" in message


def test_a_cafile_is_relative_to_the_settings_file(tmp_path, certificate):
    (tmp_path / "conf").mkdir()
    shutil.copy(certificate[0], tmp_path / "conf" / "ca.pem")
    path = email_file(tmp_path, cafile="ca.pem").rename(tmp_path / "conf" / "pipeline.toml")
    assert load_settings(path).email.cafile == tmp_path / "conf" / "ca.pem"


@pytest.mark.parametrize("keys, message", [
    ({"host": None}, "缺少 [email] host（邮件服务器地址，"),
    ({"from": None}, "缺少 [email] from"),
    ({"to": None}, "缺少 [email] to"),
])
def test_what_sending_needs_is_asked_for_when_sending(tmp_path, keys, message):
    settings = load_settings(email_file(tmp_path, **keys))  # check and run need none of it
    with pytest.raises(UsageError) as info:
        email_to_send(settings)
    assert info.value.message.startswith(f"设置文件 {settings.file} 缺少") and message in info.value.message


def test_a_dry_run_needs_no_server(tmp_path):
    mail = email_to_send(load_settings(email_file(tmp_path, host=None)), dry_run=True)
    assert (mail.host, mail.sender, mail.to) == (None, SENDER, tuple(TO))


def test_to_and_cc_given_replace_the_files_lists_and_are_checked(tmp_path):
    settings = load_settings(email_file(tmp_path, to=None, cc="wangwu@example.gov.cn"))
    mail = email_to_send(settings, to=["a@example.gov.cn"], cc=["赵六 <b@example.gov.cn>"])
    assert (mail.to, mail.cc) == (("a@example.gov.cn",), ("赵六 <b@example.gov.cn>",))
    assert email_to_send(settings, to=["a@example.gov.cn"]).cc == ("wangwu@example.gov.cn",)
    with pytest.raises(UsageError, match="\\[email\\] 中的 to 中的「a@b」不是一个有效的邮件地址"):
        email_to_send(settings, to=["a@b"])


def test_without_a_settings_file_sending_says_there_is_none():
    with pytest.raises(UsageError) as info:
        email_to_send(Settings())
    assert info.value.message.startswith("当前文件夹中没有设置文件 pipeline.toml")
    assert "缺少 [email] host" not in info.value.message


def test_the_documented_email_examples_are_valid_settings(tmp_path, monkeypatch, certificate):
    """The commented [email] block of pipeline.toml.example, uncommented, and the README's example."""
    example = EXAMPLE.read_text(encoding="utf-8").split("# [email]\n", 1)[1].split("\n\n")[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("```toml\n[email]\n", 1)[1].split("```")[0]
    monkeypatch.chdir(tmp_path)
    shutil.copy(certificate[0], tmp_path / "smtp-ca.pem")
    for body in (example.replace("# ", "", 1).replace("\n# ", "\n"), readme):
        (tmp_path / "pipeline.toml").write_text("[email]\n" + body, encoding="utf-8")
        mail = email_to_send(load_settings())
        assert (mail.host, mail.port, mail.security, mail.password_env) == (
            "smtp.example.gov.cn", 587, "starttls", "PIPELINE_SMTP_PASSWORD")


def test_the_message_ceiling_is_a_documented_setting(tmp_path):
    assert load_settings(email_file(tmp_path, max_message_mb=2.5)).email.max_message_mb == 2.5
    assert "max_message_mb" in (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")


def test_cli_a_malformed_email_section_stops_even_check(tmp_path, monkeypatch, seed):
    email_file(tmp_path, port="587")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(seed)])
    assert result.exit_code == 2 and "错误：设置文件 pipeline.toml：[email] 中的 port 应为 1 到 65535 之间的整数" in result.output
