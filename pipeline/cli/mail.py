"""`pipeline email`: send a period's reports, or with --dry-run write the message to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.cli.console import echo
from pipeline.cli.options import ConfigOption, OutputsOption, PeriodOption, period_or_this_month, settings_of


def mailing(settings, to: list[str] | None, cc: list[str] | None, *, dry_run: bool):
    """The checked [email] settings and the password (a dry run needs neither server nor password)."""
    from pipeline.deliver.smtp import mail_password
    from pipeline.settings import email_to_send

    mail = email_to_send(settings, to=to, cc=cc, dry_run=dry_run)
    return mail, None if dry_run else mail_password(mail)


def send(outputs: Path, period: str, mail, password: str | None, **options) -> None:
    from pipeline.deliver.email import email_period

    outcome = email_period(outputs, period, mail, password, **options)
    subject, recipients = outcome.message["Subject"], "、".join(mail.recipients)
    if options.get("dry_run"):
        echo([f"未发送（--dry-run）：邮件已写入 {outcome.path}", f"  主题：{subject}", f"  收件人：{recipients}",
              *(f"  注意：{note}" for note in outcome.notes),
              f"下一步：双击 {outcome.path.name} 查看，确认无误后运行 pipeline email --period {period} 发出。"])
        return
    echo([f"邮件已发送：{subject}", f"  收件人：{recipients}", *(f"  注意：{note}" for note in outcome.notes),
          f"  记录见 {outcome.path}"])
    if outcome.refused:
        typer.echo(f"错误：邮件服务器拒收了 {'、'.join(outcome.refused)}，他们没有收到。", err=True)
        raise typer.Exit(1)


def email(outputs: OutputsOption = Path("outputs"), period: PeriodOption = None,
          to: Annotated[Optional[list[str]], typer.Option(
              "--to", metavar="地址", help="收件人，可多次使用；给出时代替 [email] to。例：--to a@example.gov.cn")] = None,
          cc: Annotated[Optional[list[str]], typer.Option(
              "--cc", metavar="地址", help="抄送，可多次使用；给出时代替 [email] cc。例：--cc b@example.gov.cn")] = None,
          dry_run: Annotated[bool, typer.Option("--dry-run", help="不发送，只把邮件写入 OUTPUTS/PERIOD/message.eml，可用邮件程序打开查看（不需要邮件服务器和密码）。")] = False,
          resend: Annotated[bool, typer.Option("--resend", help="本期已发送过（有 sent.json）也再发一次。")] = False,
          with_departments: Annotated[bool, typer.Option("--with-departments", help="另附 departments/ 下各部门的表（打包为 zip）。")] = False,
          config: ConfigOption = None) -> None:
    """把本期报告用邮件发出（设置见 pipeline.toml 的 [email]）。

    正文为 summary.html（另有纯文本版），附件为 report.xlsx 和 report.html；主题由 run.json 算出。
    发送成功记入 OUTPUTS/PERIOD/sent.json，同一期再次发送需加 --resend。密码只从 [email] password_env
    指定的环境变量读取。连接、加密或登录失败时退出码为 1，设置缺失为 2。

    示例：pipeline email --period 2026-11 --dry-run
    """
    period = period_or_this_month(period)
    mail, password = mailing(settings_of(config), to, cc, dry_run=dry_run)
    send(outputs, period, mail, password, dry_run=dry_run, resend=resend, with_departments=with_departments)


COMMANDS = {"email": email}
