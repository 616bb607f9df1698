"""Sending over SMTP (deliver/smtp.py) to a real server on 127.0.0.1: TLS, login, and each failure said in Chinese."""

import pytest

from deliver.test_email import (PASSWORD, PASSWORD_ENV, PERIOD, SUBJECT, USER, authenticator, config, free_port,
                                outputs, plain, sample_run, send, server_tls, smtp)  # noqa: F401 (fixtures)
from pipeline.deliver.smtp import mail_password
from pipeline.errors import UsageError
from pipeline.settings import EmailSettings


def test_mail_password_comes_from_the_named_variable_and_only_when_there_is_a_login():
    assert mail_password(EmailSettings(host="h"), {}) is None
    login = EmailSettings(host="h", username="czj", password_env="MAIL_PW")
    assert mail_password(login, {"MAIL_PW": "s3cret!"}) == "s3cret!"
    for environ, said in (({}, "没有设置或为空"), ({"MAIL_PW": "密码"}, "非 ASCII")):
        with pytest.raises(UsageError) as caught:
            mail_password(login, environ)
        assert said in caught.value.message and "MAIL_PW" in caught.value.message


def test_starttls_with_a_self_signed_certificate_and_login(tmp_path, outputs, smtp, certificate, monkeypatch):
    inbox = smtp(tls_context=server_tls(certificate), require_starttls=True, auth_required=True,
                 authenticator=authenticator)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    settings = config(tmp_path, host="127.0.0.1", port=inbox.port, security="starttls", cafile=str(certificate[0]),
                      username=USER, password_env=PASSWORD_ENV)
    result = send(outputs, settings)
    assert result.exit_code == 0, result.output
    assert len(inbox.received) == 1 and inbox.received[0][2]["Subject"] == SUBJECT
    assert (outputs / PERIOD / "sent.json").is_file()


def test_implicit_tls_with_a_self_signed_certificate(tmp_path, outputs, smtp, certificate):
    inbox = smtp(ssl_context=server_tls(certificate))
    settings = config(tmp_path, host="127.0.0.1", port=inbox.port, security="ssl", cafile=str(certificate[0]))
    result = send(outputs, settings)
    assert result.exit_code == 0, result.output
    assert len(inbox.received) == 1


def test_an_untrusted_certificate_exits_1_and_records_nothing(tmp_path, outputs, smtp, certificate):
    inbox = smtp(tls_context=server_tls(certificate), require_starttls=True)
    result = send(outputs, config(tmp_path, host="127.0.0.1", port=inbox.port, security="starttls"))
    assert result.exit_code == 1
    assert f"错误：邮件服务器 127.0.0.1:{inbox.port} 的证书无法验证" in result.output
    assert "[email] cafile" in result.output
    assert inbox.received == [] and not (outputs / PERIOD / "sent.json").exists()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback only
def test_a_wrong_password_exits_1_and_records_nothing(tmp_path, outputs, smtp, monkeypatch):
    inbox = smtp(auth_required=True, auth_require_tls=False, authenticator=authenticator)
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    result = send(outputs, config(tmp_path, **plain(inbox.port, username=USER, password_env=PASSWORD_ENV)))
    assert result.exit_code == 1
    assert f"错误：邮件服务器 127.0.0.1:{inbox.port} 拒绝了用户名 czj 或密码（535 " in result.output
    assert f"环境变量 {PASSWORD_ENV}" in result.output and "wrong" not in result.output
    assert inbox.received == [] and not (outputs / PERIOD / "sent.json").exists()


def test_no_server_listening_exits_1_and_records_nothing(tmp_path, outputs):
    port = free_port()
    result = send(outputs, config(tmp_path, **plain(port)))
    assert result.exit_code == 1
    assert f"错误：与邮件服务器 127.0.0.1:{port} 连接时出错" in result.output
    assert not (outputs / PERIOD / "sent.json").exists()
