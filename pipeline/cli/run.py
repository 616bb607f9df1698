"""`pipeline run` and `pipeline check`: read the tables, print what was found, pick the exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.console import echo, open_in_browser, progress_bar
from pipeline.cli.options import (ConfigOption, ControlsOption, ExpectTotalOption, FrameworkOption, InputsOption,
                                  OutputsOption, PeriodOption, QuietOption, period_or_this_month, settings_of)


def run(inputs: InputsOption = Path("inputs"), outputs: OutputsOption = Path("outputs"),
        period: PeriodOption = None,
        open_report: Annotated[bool, typer.Option("--open", help="写完后在默认浏览器中打开 report.html（没有浏览器时忽略）。")] = False,
        controls: ControlsOption = None, expect_total: ExpectTotalOption = None, framework: FrameworkOption = None,
        config: ConfigOption = None,
        email: Annotated[bool, typer.Option("--email", help="写完后按 pipeline.toml 的 [email] 设置把本期报告发出（同 pipeline email）；运行有错误时不发。")] = False,
        email_on_failure: Annotated[bool, typer.Option("--email-on-failure", help="运行有错误也照发（含 --email），邮件主题注明「未通过」。")] = False,
        quiet: QuietOption = False) -> None:
    """读取输入文件夹的全部报表，写出本期结果。

    结果写入 OUTPUTS/PERIOD/：projects.csv、indicators.csv、findings.csv、run.json，报告 report.xlsx、
    report.html、summary.html（邮件正文），以及 departments/ 下各部门的标准格式表。

    有错误时退出码为 1（结果仍会写出），用法错误为 2。

    示例：pipeline run --inputs inputs --outputs outputs --period 2026-11
    """
    from pipeline.cli.mail import mailing, send
    from pipeline.report.changes_view import changes_view
    from pipeline.report.text import next_step, summary_lines
    from pipeline.run import run as run_batch

    period = period_or_this_month(period)
    settings = settings_of(config, framework, controls, expect_total)
    # the [email] settings and the password are checked before the run, not after it
    mail = mailing(settings, None, None, dry_run=False) if email or email_on_failure else None
    with progress_bar(not quiet) as progress:
        result = run_batch(inputs, outputs, period, settings=settings, progress=progress)
    summary = summary_lines(result.batch)
    changes = changes_view(result.changes, period).headline
    lines = [f"期间 {period}", *summary[:-1], *changes, summary[-1], f"结果已写入 {result.folder}"]
    echo(lines[-2:] if quiet else [*lines, next_step(result.record["status"], wrote=True)])
    if open_report:
        open_in_browser(result.folder / "report.html")
    if mail and (result.batch.ok or email_on_failure):
        send(outputs, period, *mail)
    elif mail:
        typer.echo("本次运行有错误，邮件未发送。请改正后重新运行，或加 --email-on-failure 照发。", err=True)
    raise typer.Exit(0 if result.batch.ok else 1)


def check(paths: Annotated[list[Path], typer.Argument(
              metavar="文件或文件夹", help="要检查的文件或文件夹，可以多个。", show_default=False)],
          controls: ControlsOption = None, expect_total: ExpectTotalOption = None, framework: FrameworkOption = None,
          config: ConfigOption = None) -> None:
    """检查给定的文件或文件夹，只打印，不写文件。

    示例：pipeline check inputs/信访局.xlsx 收件/教育局/
    """
    from pipeline.report.batch_view import batch_view
    from pipeline.report.text import next_step, summary_lines
    from pipeline.run import check as check_paths

    batch = check_paths(paths, settings_of(config, framework, controls, expect_total))
    facts = batch_view(batch)
    echo([*summary_lines(batch, max_findings=50, facts=facts), next_step(facts.status, wrote=False)])
    raise typer.Exit(0 if batch.ok else 1)


COMMANDS = {"run": run, "check": check}
