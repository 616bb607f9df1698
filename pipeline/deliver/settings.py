"""The `[email]` section of pipeline.toml: where `pipeline email` sends, and how (docs/settings.md).

`settings.py` keeps the whole parsed document on `Settings.raw`; the section is read and checked here.
A missing or malformed key is a `UsageError` naming it. The password is never read from the file or
the command line: `password_env` names the environment variable that holds it.
"""

from __future__ import annotations

import os
import ssl
import string
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError
from pipeline.settings import DEFAULT_FILE, Settings

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_SUBJECT = "【项目支出绩效目标】{period} 汇总：{departments}个部门，合计 {total} 万元，{errors}项错误"
# what a subject template may use, all computed from run.json (mail.subject_fields)
SUBJECT_FIELDS = ("period", "status", "departments", "projects", "indicators", "total", "errors", "warnings")
KEYS = ("host", "port", "security", "username", "password_env", "from", "to", "cc", "subject", "cafile",
        "timeout", "max_message_mb")
DEFAULT_MAX_MESSAGE_MB = 10          # many government mail servers refuse more; phones struggle with it
HELP = "请参阅 docs/settings.md 的 [email] 一节"


@dataclass(frozen=True)
class MailSettings:
    host: str | None               # None only for a dry run, which connects to nothing
    port: int
    security: str                          # starttls, ssl or none
    sender: str                            # the From address (`from` in the file)
    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    username: str | None = None            # no AUTH when None
    password_env: str | None = None        # the environment variable holding the password
    subject: str = DEFAULT_SUBJECT         # a template over SUBJECT_FIELDS
    cafile: Path | None = None             # a CA or self-signed certificate to trust besides the system's
    timeout: float = 30.0                  # seconds per network operation
    max_message_mb: float = DEFAULT_MAX_MESSAGE_MB  # above it report.html is left out (and said so)

    @property
    def recipients(self) -> list[str]:
        """The envelope: the bare addresses of To and Cc, each once."""
        return list(dict.fromkeys(address for _, address in getaddresses([*self.to, *self.cc])))


def mail_settings(settings: Settings, *, to: list[str] | None = None, cc: list[str] | None = None,
                  dry_run: bool = False) -> MailSettings:
    """The checked [email] section; `--to` and `--cc` given on the command line replace the file's lists.
    A dry run only writes the message, so it needs no server (`host`) and no password."""
    if settings.file is None:
        raise UsageError(f"当前文件夹中没有设置文件 {DEFAULT_FILE}（也没有用 --config 指定）。发送或预览邮件需要在其中"
                         f"写明 [email] 一节：发件人 from、收件人 to，发送时还要邮件服务器 host。可复制 "
                         f"pipeline.toml.example 为 {DEFAULT_FILE} 后改写，{HELP}。")
    where = f"设置文件 {settings.file}"
    section = settings.raw.get("email", {})
    if not isinstance(section, Mapping):
        raise UsageError(f"{where}：email 应为一节（[email]），不是单个值。{HELP}。")
    check = _Checker(where, section)
    if "password" in section:
        raise check.fail("password", "不允许写在文件中：请把密码放在环境变量里，并用 password_env 写明变量名")
    unknown = [key for key in section if key not in KEYS]
    if unknown:
        raise check.fail(unknown[0], f"不是已知的设置项（可用：{'、'.join(KEYS)}）")
    security = check.choice("security", tuple(DEFAULT_PORTS), "starttls")
    username = check.text("username", required=False)
    if username and not username.isascii():
        raise check.fail("username", "只能含 ASCII 字符（字母、数字和符号），通常就是邮件地址")
    password_env = check.text("password_env", required=bool(username))
    if password_env and not username:
        raise check.missing("username", "登录邮件服务器的用户名（设置了 password_env 时必填）")
    return MailSettings(
        host=check.text("host", required=not dry_run),
        port=int(check.number("port", DEFAULT_PORTS[security], integer=True, largest=65535)),
        security=security,
        sender=check.addresses("from", None, single=True)[0],
        to=check.addresses("to", to),
        cc=check.addresses("cc", cc, required=False),
        username=username,
        password_env=password_env,
        subject=check.template("subject"),
        cafile=check.path("cafile", settings.file),
        timeout=float(check.number("timeout", 30.0, integer=False, largest=3600)),
        max_message_mb=float(check.number("max_message_mb", DEFAULT_MAX_MESSAGE_MB, integer=False, largest=1000)),
    )


def mail_password(mail: MailSettings, environ: Mapping[str, str] = os.environ) -> str | None:
    """The password from the environment variable `password_env` names; None when there is no login."""
    if mail.username is None:
        return None
    password = environ.get(mail.password_env or "", "")
    if not password:
        raise UsageError(f"环境变量 {mail.password_env} 没有设置或为空：它应保存邮箱 {mail.username} 的密码"
                         f"（[email] password_env 指定了这个变量名）。请先设置，如 PowerShell 中 "
                         f"$env:{mail.password_env} = \"密码\"，再重新运行。")
    if not password.isascii():
        # smtplib sends AUTH PLAIN/LOGIN as ASCII only
        raise UsageError(f"环境变量 {mail.password_env} 中的密码含有中文或全角等非 ASCII 字符，无法用于登录邮件服务器。"
                         "请检查输入法是否处于全角状态，或为邮箱设置只含字母、数字和符号的密码（授权码）。")
    return password


class _Checker:
    """Reads one key at a time; every complaint names the key as `[email] key`."""

    def __init__(self, where: str, section: Mapping[str, Any]):
        self.where, self.section = where, section

    def fail(self, key: str, problem: str) -> UsageError:
        return UsageError(f"{self.where}：[email] 中的 {key} {problem}。{HELP}。")

    def missing(self, key: str, what: str) -> UsageError:
        return UsageError(f"{self.where} 缺少 [email] {key}（{what}）。{HELP}。")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.section.get(key)
        if value is None:
            if required:
                raise self.missing(key, _WHAT[key])
            return None
        if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
            raise self.fail(key, "应为一行非空文字")
        return value.strip()

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.section.get(key, default)
        if value not in choices:
            raise self.fail(key, f"「{value}」无效：只能是 {'、'.join(choices)}")
        return value

    def number(self, key: str, default: float, *, integer: bool, largest: int) -> float:
        value = self.section.get(key, default)
        kinds = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or not 0 < value <= largest:
            raise self.fail(key, f"应为 1 到 {largest} 之间的{'整数' if integer else '数'}，如 {key} = {default}")
        return value

    def addresses(self, key: str, given: list[str] | None, *, required: bool = True,
                  single: bool = False) -> tuple[str, ...]:
        value = given if given else self.section.get(key)
        if value is None or value == []:
            if required:
                raise self.missing(key, _WHAT[key])
            return ()
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or (single and len(values) != 1):
            raise self.fail(key, "应为邮件地址" + ("" if single else "或地址的列表，如 to = [\"a@example.gov.cn\"]"))
        for text in values:
            parsed = getaddresses([text])
            if (len(parsed) != 1 or "\n" in text or "\r" in text or not _plain_address(parsed[0][1])):
                raise self.fail(key, f"中的「{text}」不是一个有效的邮件地址（如 a@example.gov.cn 或 张三 <a@example.gov.cn>）")
        return tuple(v.strip() for v in values)

    def template(self, key: str) -> str:
        value = self.section.get(key, DEFAULT_SUBJECT)
        if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
            raise self.fail(key, "应为一行文字")
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
        except ValueError:
            fields = [""]
        bad = [name for name in fields if name not in SUBJECT_FIELDS]
        if bad:
            raise self.fail(key, f"中的「{{{bad[0]}}}」无效：可用的有 "
                                 + "、".join("{" + f + "}" for f in SUBJECT_FIELDS) + "（单独的花括号请写成 {{ 或 }}）")
        return value

    def path(self, key: str, settings_file: Path | None) -> Path | None:
        value = self.text(key, required=False)
        if value is None:
            return None
        path = (settings_file.parent if settings_file else Path(".")) / value
        if not path.is_file():
            raise self.fail(key, f"指向的证书文件 {path} 不存在")
        try:
            ssl.create_default_context(cafile=str(path))
        except (ssl.SSLError, ValueError):
            raise self.fail(key, f"指向的 {path} 不是 PEM 格式的证书（以 -----BEGIN CERTIFICATE----- 开头）") from None
        return path


def _plain_address(address: str) -> bool:
    """An ASCII `local@domain` with no spaces (no SMTPUTF8 needed)."""
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain and address.isascii() and not any(c.isspace() for c in address))


_WHAT = {"host": "邮件服务器地址，如 host = \"smtp.example.gov.cn\"", "from": "发件人地址，如 from = \"财政局 <czj@example.gov.cn>\"",
         "to": "收件人地址，或在命令行用 --to 指定", "password_env": "保存密码的环境变量名（设置了 username 时必填）"}
