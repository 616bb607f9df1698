"""The [email] section of pipeline.toml (settings/email.py): read typed, malformed keys named, and what sending
asks of it."""

import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import app
from pipeline.errors import UsageError
from pipeline.settings import EmailSettings, Settings, email_to_send, load_settings
from test_settings import EXAMPLE, ROOT, fails, runner, write


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
