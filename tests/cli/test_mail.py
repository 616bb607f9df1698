"""`pipeline email` (cli/mail.py): --to/--cc over the settings, --dry-run writing the message and asking for no
server or password, what it prints."""

import email
from email import policy

from deliver.test_email import (NAMES, PASSWORD_ENV, PERIOD, SUBJECT, USER, config, free_port, outputs, plain,
                                sample_run, send, smtp)  # noqa: F401 (fixtures)


def test_to_and_cc_on_the_command_line_replace_the_settings(tmp_path, outputs, smtp):
    inbox = smtp()
    result = send(outputs, config(tmp_path, **plain(inbox.port)), "--to", "a@example.gov.cn",
                  "--to", "b@example.gov.cn", "--cc", "c@example.gov.cn")
    assert result.exit_code == 0, result.output
    (_, envelope_to, message), = inbox.received
    assert envelope_to == ["a@example.gov.cn", "b@example.gov.cn", "c@example.gov.cn"]
    assert (message["To"], message["Cc"]) == ("a@example.gov.cn, b@example.gov.cn", "c@example.gov.cn")


def test_dry_run_writes_the_message_and_sends_nothing(tmp_path, outputs, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)  # a dry run needs no password
    port = free_port()
    settings = config(tmp_path, **plain(port, username=USER, password_env=PASSWORD_ENV))
    result = send(outputs, settings, "--dry-run")
    assert result.exit_code == 0, result.output
    path = outputs / PERIOD / "message.eml"
    assert f"未发送（--dry-run）：邮件已写入 {path}" in result.output
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"] == SUBJECT and message["To"].addresses[0].display_name == "张三"
    assert [p.get_filename() for p in message.iter_attachments()] == [n for n, _ in NAMES.values()]
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None
    assert not (outputs / PERIOD / "sent.json").exists()
    assert not list((outputs / PERIOD).glob(".*.tmp"))
