"""Hand a built message to the SMTP server; every way connecting, TLS or login can fail becomes a
`MailError` with the Chinese reason. The password comes from the environment variable [email]
`password_env` names (`mail_password`). Nothing here prints."""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from email.message import EmailMessage
from collections.abc import Mapping
from email.utils import getaddresses

from pipeline.errors import MailError, UsageError
from pipeline.settings import EmailSettings

STEPS = {"connect": "连接", "starttls": "建立加密连接（STARTTLS）", "login": "登录（AUTH）", "send": "发送"}


def send(message: EmailMessage, mail: EmailSettings, password: str | None) -> dict[str, tuple[int, bytes]]:
    """Hand the message to the server; return the recipients it refused (the others got it).
    Every way the connection, TLS or login can fail is a `MailError` with the Chinese reason."""
    server = f"{mail.host}:{mail.port}"
    context = ssl.create_default_context(cafile=str(mail.cafile) if mail.cafile else None)
    step, client = "connect", None
    try:
        if mail.security == "ssl":
            client = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout, context=context)
        else:
            client = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
        if mail.security == "starttls":
            step = "starttls"
            client.starttls(context=context)
        if mail.username is not None:
            step = "login"
            client.login(mail.username, password or "")
        step = "send"
        return client.send_message(message, getaddresses([mail.sender])[0][1], mail.recipients)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"邮件服务器 {server} 拒绝了用户名 {mail.username} 或密码（{_reply(exc)}）。"
                        f"请检查 [email] username 和环境变量 {mail.password_env} 中的密码。邮件未发出。") from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(f"邮件服务器 {server} 不支持{STEPS[step]}。请检查 [email] security 和 port"
                        "（ssl 通常为 465，starttls 通常为 587）。邮件未发出。") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"邮件服务器 {server} 拒收了全部收件人：{'、'.join(exc.recipients)}。邮件未发出。") from exc
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(f"邮件服务器 {server} 拒绝了发件人 {exc.sender}（{_reply(exc)}）。"
                        "请检查 [email] from。邮件未发出。") from exc
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"邮件服务器 {server} 在{STEPS[step]}时拒绝（{_reply(exc)}）。邮件未发出。") from exc
    except ssl.SSLCertVerificationError as exc:
        raise MailError(f"邮件服务器 {server} 的证书无法验证（{exc.verify_message}）。如果服务器使用自签名证书，"
                        "请在 [email] cafile 中指定它的证书文件。邮件未发出。") from exc
    except ssl.SSLError as exc:
        raise MailError(f"与邮件服务器 {server} 建立加密连接失败（{exc.reason or exc}）。请检查 [email] security "
                        "与 port 是否配套（ssl 通常为 465，starttls 通常为 587）。邮件未发出。") from exc
    except socket.gaierror as exc:
        raise MailError(f"找不到邮件服务器 {mail.host}（域名无法解析）。请检查 [email] host 和网络连接。") from exc
    except (smtplib.SMTPException, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        raise MailError(f"与邮件服务器 {server} {STEPS[step]}时出错（{reason}）。请检查 [email] host、port "
                        "和网络连接。邮件未发出。") from exc
    finally:
        if client is not None:
            _close(client)


def mail_password(mail: EmailSettings, environ: Mapping[str, str] = os.environ) -> str | None:
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


def _close(client: smtplib.SMTP) -> None:
    """QUIT politely; a server that answers QUIT badly does not undo a message it has accepted."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}".strip()
