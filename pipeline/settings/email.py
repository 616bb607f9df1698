"""The [email] section of pipeline.toml: where `pipeline email` sends, and how (docs/settings.md).

`EmailReader` checks the section key by key when the file is read (`pipeline.settings.load_settings`);
a malformed key is a `UsageError` naming it. What only sending needs (a server, a sender, recipients)
is asked for by `pipeline.settings.email_to_send`. The password is never read from the file or the
command line: `password_env` names the environment variable that holds it.
"""

from __future__ import annotations

import ssl
import string
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError

EMAIL_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_SUBJECT = "【项目支出绩效目标】{period} 汇总：{departments}个部门，合计 {total} 万元，{errors}项错误"
# what a subject template may use, all computed from run.json (deliver.email.subject_fields)
SUBJECT_FIELDS = ("period", "status", "departments", "projects", "indicators", "total", "errors", "warnings")
EMAIL_KEYS = ("host", "port", "security", "username", "password_env", "from", "to", "cc", "subject", "cafile",
              "timeout", "max_message_mb")
DEFAULT_MAX_MESSAGE_MB = 10          # many government mail servers refuse more; phones struggle with it
EMAIL_HELP = "请参阅 docs/settings.md 的 [email] 一节"


@dataclass(frozen=True)
class EmailSettings:
    """[email]: where `pipeline email` sends, and how. The password is never in the file nor on the
    command line: `password_env` names the environment variable that holds it."""

    host: str | None = None                # None only for a dry run, which connects to nothing
    port: int = EMAIL_PORTS["starttls"]
    security: str = "starttls"             # starttls, ssl or none
    sender: str | None = None              # the From address (`from` in the file)
    to: tuple[str, ...] = ()
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


class EmailReader:
    """Reads [email] one key at a time; every complaint names the key as `[email] key`."""

    def __init__(self, where: str, section: Mapping[str, Any]):
        self.where, self.section = where, section

    def read(self, folder: Path) -> EmailSettings:
        """The section's keys, each checked; what sending needs besides is `email_to_send`'s to ask."""
        if "password" in self.section:
            raise self.fail("password", "不允许写在文件中：请把密码放在环境变量里，并用 password_env 写明变量名")
        unknown = [key for key in self.section if key not in EMAIL_KEYS]
        if unknown:
            raise self.fail(unknown[0], f"不是已知的设置项（可用：{'、'.join(EMAIL_KEYS)}）")
        security = self.choice("security", tuple(EMAIL_PORTS), "starttls")
        username = self.text("username")
        if username and not username.isascii():
            raise self.fail("username", "只能含 ASCII 字符（字母、数字和符号），通常就是邮件地址")
        password_env = self.text("password_env")
        if username and not password_env:
            raise self.missing("password_env")
        if password_env and not username:
            raise self.missing("username")
        return EmailSettings(
            host=self.text("host"), port=int(self.number("port", EMAIL_PORTS[security], integer=True, largest=65535)),
            security=security, sender=next(iter(self.addresses("from", single=True)), None),
            to=self.addresses("to"), cc=self.addresses("cc"), username=username, password_env=password_env,
            subject=self.template("subject"), cafile=self.path("cafile", folder),
            timeout=float(self.number("timeout", 30.0, integer=False, largest=3600)),
            max_message_mb=float(self.number("max_message_mb", DEFAULT_MAX_MESSAGE_MB, integer=False, largest=1000)))

    def fail(self, key: str, problem: str) -> UsageError:
        return UsageError(f"{self.where}：[email] 中的 {key} {problem}。{EMAIL_HELP}。")

    def missing(self, key: str) -> UsageError:
        return UsageError(f"{self.where} 缺少 [email] {key}（{WHAT[key]}）。{EMAIL_HELP}。")

    def text(self, key: str) -> str | None:
        value = self.section.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value):
            raise self.fail(key, "应为一行非空文字")
        return None if value is None else value.strip()

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

    def addresses(self, key: str, given: list[str] | None = None, *, single: bool = False) -> tuple[str, ...]:
        value = given if given else self.section.get(key)
        if value is None or value == []:
            return ()
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or (single and len(values) != 1):
            raise self.fail(key, "应为邮件地址" + ("" if single else "或地址的列表，如 to = [\"a@example.gov.cn\"]"))
        for text in values:
            parsed = getaddresses([text])
            if len(parsed) != 1 or "\n" in text or "\r" in text or not _plain_address(parsed[0][1]):
                raise self.fail(key, f"中的「{text}」不是一个有效的邮件地址（如 a@example.gov.cn 或 张三 <a@example.gov.cn>）")
        return tuple(v.strip() for v in values)

    def template(self, key: str) -> str:
        value = self.section.get(key, DEFAULT_SUBJECT)
        if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
            raise self.fail(key, "应为一行文字")
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
        except ValueError:
            names = [""]
        bad = [name for name in names if name not in SUBJECT_FIELDS]
        if bad:
            raise self.fail(key, f"中的「{{{bad[0]}}}」无效：可用的有 "
                                 + "、".join("{" + f + "}" for f in SUBJECT_FIELDS) + "（单独的花括号请写成 {{ 或 }}）")
        return value

    def path(self, key: str, folder: Path) -> Path | None:
        value = self.text(key)
        if value is None:
            return None
        path = folder / value
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


WHAT = {"host": "邮件服务器地址，如 host = \"smtp.example.gov.cn\"",
               "from": "发件人地址，如 from = \"财政局 <czj@example.gov.cn>\"", "to": "收件人地址，或在命令行用 --to 指定",
               "password_env": "保存密码的环境变量名（设置了 username 时必填）",
               "username": "登录邮件服务器的用户名（设置了 password_env 时必填）"}
