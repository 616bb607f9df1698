"""`pipeline email` and `pipeline run --email` against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import email
import hashlib
import io
import json
import shutil
import socket
import ssl
import zipfile
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.deliver.email import subject_line
from pipeline.run import run
from pipeline.settings.email import DEFAULT_SUBJECT

PERIOD = "2026-11"
from conftest import SAMPLE  # noqa: E402
SENDER = "czj@example.gov.cn"
TO, CC = ["张三 <zhangsan@example.gov.cn>", "lisi@example.gov.cn"], ["wangwu@example.gov.cn"]
USER, PASSWORD, PASSWORD_ENV = "czj", "s3cret!", "PIPELINE_TEST_SMTP_PASSWORD"
SUBJECT = "【项目支出绩效目标】2026-11 汇总：1个部门，合计 308.00 万元，0项错误"
NAMES = {"report.xlsx": ("项目支出绩效目标审核报告_2026-11.xlsx", "report-2026-11.xlsx"),
         "report.html": ("项目支出绩效目标审核报告_2026-11.html", "report-2026-11.html")}
ZIP_NAME = ("各部门绩效目标表_2026-11.zip", "departments-2026-11.zip")


class Inbox:
    """What the server received: one (envelope sender, envelope recipients, parsed message) per DATA."""

    def __init__(self):
        self.received: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authenticator(server, session, envelope, mechanism, auth_data):
    # handled=False: aiosmtpd answers a failure with 535 itself
    return AuthResult(success=(auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode()),
                      handled=False)


@pytest.fixture
def smtp():
    """Start a server with the given aiosmtpd options; stopped after the test."""
    started = []

    def start(**options):
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        started.append(controller)
        inbox.port = controller.port
        return inbox

    yield start
    for controller in started:
        controller.stop()


def server_tls(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> Path:
    """The bundled sample run once in-process; each test copies the outputs folder."""
    root = tmp_path_factory.mktemp("sample")
    (root / "inputs").mkdir()
    shutil.copy(SAMPLE, root / "inputs")
    run(root / "inputs", root / "outputs", PERIOD)
    return root / "outputs"


@pytest.fixture
def outputs(tmp_path, sample_run) -> Path:
    shutil.copytree(sample_run, tmp_path / "outputs")
    return tmp_path / "outputs"


def config(tmp_path: Path, **email_settings) -> Path:
    """pipeline.toml with an [email] section (JSON strings and lists are valid TOML values)."""
    settings = {"from": SENDER, "to": TO, "cc": CC, **email_settings}
    lines = ["[email]"] + [f"{key} = {json.dumps(value, ensure_ascii=False)}"
                           for key, value in settings.items() if value is not None]
    path = tmp_path / "pipeline.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plain(port: int, **more) -> dict:
    return {"host": "127.0.0.1", "port": port, "security": "none", **more}


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def send(outputs: Path, settings: Path, *more):
    return invoke("email", "--outputs", outputs, "--period", PERIOD, "--config", settings, *more)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_message_arrives_as_built_from_the_run_folder(tmp_path, outputs, smtp):
    inbox = smtp()
    result = send(outputs, config(tmp_path, **plain(inbox.port)), "--with-departments")
    assert result.exit_code == 0, result.output
    assert f"邮件已发送：{SUBJECT}" in result.output
    (envelope_from, envelope_to, message), = inbox.received
    assert envelope_from == SENDER
    assert envelope_to == ["zhangsan@example.gov.cn", "lisi@example.gov.cn", "wangwu@example.gov.cn"]
    assert message["Subject"] == SUBJECT
    assert [(a.display_name, a.addr_spec) for a in message["To"].addresses] == [
        ("张三", "zhangsan@example.gov.cn"), ("", "lisi@example.gov.cn")]
    assert message["Cc"] == "wangwu@example.gov.cn" and message["From"] == SENDER

    folder = outputs / PERIOD
    text = message.get_body(("plain",)).get_content()
    assert "合计：308.00 万元（部门 1 个，项目 10 个，绩效指标 33 条）" in text
    assert "广州市荔湾区信访局：项目 10 个，计算 308.00 万元，申报 308.00 万元" in text
    assert "项目支出绩效目标审核报告_2026-11.xlsx（Excel 报告）" in text
    html = message.get_body(("html",)).get_content()
    # a text part travels with CRLF line ends and ends in a line end; otherwise it is summary.html as written
    assert html.replace("\r\n", "\n").rstrip("\n") == (folder / "summary.html").read_text(encoding="utf-8").rstrip("\n")

    parts = list(message.iter_attachments())
    assert [(p.get_filename(), p.get_param("name")) for p in parts] == [*NAMES.values(), ZIP_NAME]
    for part, file in zip(parts, NAMES):
        assert part.get_payload(decode=True) == (folder / file).read_bytes()
    with zipfile.ZipFile(io.BytesIO(parts[2].get_payload(decode=True))) as archive:
        workbooks = sorted((folder / "departments").iterdir())
        assert archive.namelist() == [p.name for p in workbooks] == ["广州市荔湾区信访局.xlsx"]
        assert [archive.read(p.name) for p in workbooks] == [p.read_bytes() for p in workbooks]

    sent = json.loads((folder / "sent.json").read_text(encoding="utf-8"))
    assert sent["recipients"] == envelope_to and sent["refused"] == {} and sent["previous"] == []
    assert sent["message_id"] == message["Message-ID"] and sent["message_id"].endswith("@example.gov.cn>")
    assert sent["subject"] == SUBJECT and sent["server"] == f"127.0.0.1:{inbox.port}"
    assert [a["sha256"] for a in sent["attachments"]] == [sha256(p.get_payload(decode=True)) for p in parts]
    assert sent["attachments"][0] == {"name": NAMES["report.xlsx"][0], "bytes": (folder / "report.xlsx").stat().st_size,
                                      "sha256": sha256((folder / "report.xlsx").read_bytes())}


def test_attachment_names_are_rfc_2231_with_an_ascii_name_for_old_clients(tmp_path, outputs):
    result = send(outputs, config(tmp_path, **plain(25)), "--dry-run")
    assert result.exit_code == 0, result.output
    raw = (outputs / PERIOD / "message.eml").read_bytes()
    assert raw.isascii()
    text = raw.decode("ascii")
    assert "filename*0*=utf-8''%E9%A1%B9%E7%9B%AE" in text  # 项目… percent-encoded (RFC 2231)
    assert 'name="report-2026-11.xlsx"' in text and 'name="report-2026-11.html"' in text


def test_a_second_send_refuses_without_resend(tmp_path, outputs, smtp):
    inbox = smtp()
    settings = config(tmp_path, **plain(inbox.port))
    assert send(outputs, settings).exit_code == 0
    first = json.loads((outputs / PERIOD / "sent.json").read_text(encoding="utf-8"))

    again = send(outputs, settings)
    assert again.exit_code == 2
    assert f"错误：{PERIOD} 的报告已于 {first['sent']} 发送给 zhangsan@example.gov.cn、" in again.output
    assert f"pipeline email --period {PERIOD} --resend" in again.output
    assert len(inbox.received) == 1

    resent = send(outputs, settings, "--resend")
    assert resent.exit_code == 0, resent.output
    assert len(inbox.received) == 2
    second = json.loads((outputs / PERIOD / "sent.json").read_text(encoding="utf-8"))
    first.pop("previous")
    assert second["previous"] == [first] and second["message_id"] != first["message_id"]


def test_running_the_period_again_keeps_the_send_record(tmp_path, outputs, smtp):
    inbox = smtp()
    settings = config(tmp_path, **plain(inbox.port))
    assert send(outputs, settings).exit_code == 0
    sent = (outputs / PERIOD / "sent.json").read_bytes()
    (tmp_path / "inputs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "inputs")
    run(tmp_path / "inputs", outputs, PERIOD)
    assert (outputs / PERIOD / "sent.json").read_bytes() == sent
    assert send(outputs, settings).exit_code == 2 and len(inbox.received) == 1


@pytest.mark.parametrize("settings, message", [
    ({"host": None}, "缺少 [email] host（邮件服务器地址，"),            # asked for when sending
    ({"port": "587"}, "[email] 中的 port 应为 1 到 65535 之间的整数"),  # checked when the file is read
    ({"username": USER, "password_env": PASSWORD_ENV}, f"环境变量 {PASSWORD_ENV} 没有设置或为空"),
])
def test_settings_problems_are_usage_errors_naming_the_setting(tmp_path, outputs, monkeypatch, settings, message):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    result = send(outputs, config(tmp_path, **{**plain(25), **settings}))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (outputs / PERIOD / "sent.json").exists()


def test_a_password_smtp_cannot_carry_is_a_usage_error(tmp_path, outputs, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "ｓ３ｃｒｅｔ")  # typed with a full-width input method
    result = send(outputs, config(tmp_path, **plain(25, username=USER, password_env=PASSWORD_ENV)))
    assert result.exit_code == 2
    assert f"错误：环境变量 {PASSWORD_ENV} 中的密码含有中文或全角等非 ASCII 字符" in result.output
    assert "ｓ３ｃｒｅｔ" not in result.output


def test_a_period_that_was_not_run_is_a_usage_error(tmp_path, outputs):
    result = invoke("email", "--outputs", outputs, "--period", "2026-10", "--config", config(tmp_path, **plain(25)))
    assert result.exit_code == 2
    assert "错误：没有找到 2026-10 的运行结果" in result.output and "pipeline run --period 2026-10" in result.output


@pytest.fixture
def failing_inputs(tmp_path) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SAMPLE, inputs)
    (inputs / "坏文件.xlsx").write_bytes(b"not a workbook")
    return inputs


def run_and_email(tmp_path, inputs, settings, *more):
    return invoke("run", "--inputs", inputs, "--outputs", tmp_path / "out", "--period", PERIOD,
                  "--config", settings, "--email", *more)


def test_run_email_sends_after_a_good_run(tmp_path, smtp):
    inbox = smtp()
    (tmp_path / "inputs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "inputs")
    result = run_and_email(tmp_path, tmp_path / "inputs", config(tmp_path, **plain(inbox.port)))
    assert result.exit_code == 0, result.output
    assert [m["Subject"] for _, _, m in inbox.received] == [SUBJECT]
    assert (tmp_path / "out" / PERIOD / "sent.json").is_file()


def test_run_email_does_not_send_when_the_run_failed(tmp_path, failing_inputs, smtp):
    inbox = smtp()
    result = run_and_email(tmp_path, failing_inputs, config(tmp_path, **plain(inbox.port)))
    assert result.exit_code == 1
    assert "本次运行有错误，邮件未发送" in result.output and "--email-on-failure" in result.output
    assert inbox.received == [] and not (tmp_path / "out" / PERIOD / "sent.json").exists()


def test_run_email_on_failure_sends_with_the_failure_in_the_subject(tmp_path, failing_inputs, smtp):
    inbox = smtp()
    result = run_and_email(tmp_path, failing_inputs, config(tmp_path, **plain(inbox.port)), "--email-on-failure")
    assert result.exit_code == 1, result.output
    (_, _, message), = inbox.received
    assert message["Subject"] == "【未通过】【项目支出绩效目标】2026-11 汇总：1个部门，合计 308.00 万元，1项错误"
    assert "状态：未通过" in message.get_body(("plain",)).get_content()


def test_run_email_checks_the_settings_before_running(tmp_path):
    (tmp_path / "inputs").mkdir()
    result = run_and_email(tmp_path, tmp_path / "inputs", config(tmp_path, **plain(25, host=None)))
    assert result.exit_code == 2
    assert "缺少 [email] host" in result.output and not (tmp_path / "out").exists()


def test_the_subject_template_is_filled_from_run_json():
    finding = {"severity": "error"}
    record = {"period": PERIOD, "status": "failed", "total": "1234.56", "findings": [finding, finding],
              "departments": [{"projects": 1, "indicators": 3}] * 3}
    assert subject_line({**record, "status": "ok"}, DEFAULT_SUBJECT) == \
        "【项目支出绩效目标】2026-11 汇总：3个部门，合计 1,234.56 万元，2项错误"
    assert subject_line(record, "{period} {status}：{projects} 个项目 {indicators} 条指标，警告 {warnings} 项") == \
        "【未通过】2026-11 未通过：3 个项目 9 条指标，警告 0 项"


def test_the_subject_and_text_take_run_jsons_counts_rather_than_adding_up(outputs):
    from pipeline.deliver.email import text_body

    record = json.loads((outputs / PERIOD / "run.json").read_text(encoding="utf-8"))
    # a made-up count (never what the departments add up to) shows which one the message says
    made_up = {**record, "counts": {**record["counts"], "projects": 99, "errors": 7, "findings": 42}}
    assert subject_line(made_up, "{projects} 个项目，{errors} 项错误") == "99 个项目，7 项错误"
    assert "项目 99 个" in text_body(made_up, []) and "共 42 项" in text_body(made_up, [])


def test_a_run_folder_from_before_counts_is_still_sent_with_the_same_subject_and_text(outputs):
    from pipeline.deliver.email import text_body

    record = json.loads((outputs / PERIOD / "run.json").read_text(encoding="utf-8"))
    legacy = {k: v for k, v in record.items() if k != "counts"}   # run.json as an older version wrote it
    template = "{departments} {projects} {indicators} {errors} {warnings}"
    assert subject_line(legacy, template) == subject_line(record, template) == "1 10 33 0 6"
    assert text_body(legacy, []) == text_body(record, [])
