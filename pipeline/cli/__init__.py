"""The `pipeline` command: parse options, call the library, print the Chinese summary, pick the exit code.

Errors that stop a command are `PipelineError`s, translated to a message and an exit code here and
only here (`_translated`). Heavy libraries are imported inside the commands so `--help` stays fast.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.errors import PipelineError

app = typer.Typer(
    help="读取各部门的项目支出绩效目标表，核对金额、审核指标，生成 Excel/HTML 报告。\n\n"
         "Example: pipeline run",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
_state = {"debug": False}


INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)


def _translated(command):
    """Run a command; what stops it becomes one line on stderr and an exit code, never a traceback:
    a PipelineError its own message and code, Ctrl-C 130, a system fault (disk full, no permission,
    a path too long) or a history database that cannot be written 2. `--debug` shows the traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PipelineError as exc:
            _stop(f"错误：{exc.message}", exc.exit_code)
        except KeyboardInterrupt:
            _stop("已中断（Ctrl-C）：本次运行没有完成，未写出任何结果；上一次的结果和历史数据库保持原样。", INTERRUPTED)
        except OSError as exc:
            _stop(f"错误：{_fault(exc)}", 2)
        except sqlite3.Error as exc:
            _stop(f"错误：历史数据库无法读写（{exc}）：可能是磁盘已满或文件只读；以前各期的记录未受影响。", 2)

    return wrapper


def _stop(line: str, code: int):
    if _state["debug"]:
        raise  # noqa: PLE0704 - re-raise the exception being handled, with its traceback
    typer.echo(line, err=True)
    raise typer.Exit(code) from None


def _fault(exc: OSError) -> str:
    """A system fault as one line: its cause, the path, and that nothing earlier was harmed."""
    from pipeline.errors import os_cause, shown_path

    where = f"（{shown_path(exc.filename)}）" if exc.filename else ""
    return (f"{os_cause(exc)}{where}，本次运行未完成：上一次的结果和历史数据库保持原样。"
            "请腾出磁盘空间、检查文件夹权限或换一个较短的路径后重新运行。")


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈（供开发人员排查）。")] = False):
    """读取、核对并报告项目支出绩效目标表。"""
    _state["debug"] = debug


InputsOption = Annotated[Path, typer.Option("--inputs", "-i", help="存放各部门报表的文件夹（含子文件夹）。例：--inputs 收件/11月")]
OutputsOption = Annotated[Path, typer.Option("--outputs", "-o", help="输出文件夹，每期结果写入其下的 YYYY-MM 子文件夹。例：--outputs 报告")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条和明细，只打印最后的状态行。例：pipeline run -q")]
PeriodOption = Annotated[Optional[str], typer.Option("--period", "-p", help="报告期间 YYYY-MM，默认为本月。例：--period 2026-11")]
ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", metavar="PATH", help="设置文件（TOML，见 docs/settings.md），默认为当前文件夹中的 pipeline.toml（如有）。例：--config 设置/pipeline.toml")]
ControlsOption = Annotated[Optional[Path], typer.Option(
    "--controls", metavar="FILE", help="控制数文件（.xlsx 或 .csv，列为「部门名称」「控制数」，默认万元），逐个部门核对合计。例：--controls 控制数.xlsx")]
ExpectTotalOption = Annotated[Optional[str], typer.Option(
    "--expect-total", metavar="AMOUNT", help="全部项目合计应等于的金额（万元），只报一个部门时使用。例：--expect-total 308.00")]
FrameworkOption = Annotated[Optional[str], typer.Option(
    "--framework", metavar="2015|2021", help="绩效指标框架：2015（产出、效益、满意度，默认）或 2021（另加成本指标）。例：--framework 2021")]


def _settings(config: Path | None, framework: str | None, controls: Path | None, expect_total: str | None):
    """pipeline.toml (or --config), with the command-line options over it."""
    from pipeline.settings import load_settings

    return load_settings(config).with_options(framework=framework, controls=controls, expect_total=expect_total)


def _echo(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line)


@app.command()
@_translated
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

    Example: pipeline run --inputs inputs --outputs outputs --period 2026-11
    """
    from pipeline.run import run as run_batch
    from pipeline.report.text import summary_lines

    period = period or date.today().strftime("%Y-%m")
    settings = _settings(config, framework, controls, expect_total)
    # the [email] settings and the password are checked before the run, not after it
    mailing = _mailing(settings, None, None, dry_run=False) if email or email_on_failure else None
    with _progress_bar(not quiet) as progress:
        result = run_batch(inputs, outputs, period, settings=settings, progress=progress)
    from pipeline.report.changes_view import changes_view

    summary = summary_lines(result.batch)
    changes = changes_view(result.changes, period).headline
    lines = [f"期间 {period}", *summary[:-1], *changes, summary[-1], f"结果已写入 {result.folder}"]
    _echo(lines[-2:] if quiet else lines)
    if open_report:
        _open_in_browser(result.folder / "report.html")
    if mailing and (result.batch.ok or email_on_failure):
        _send(outputs, period, *mailing)
    elif mailing:
        typer.echo("本次运行有错误，邮件未发送。请改正后重新运行，或加 --email-on-failure 照发。", err=True)
    raise typer.Exit(0 if result.batch.ok else 1)


PROGRESS_MIN_FILES = 5  # a bar for a handful of files only flickers


@contextlib.contextmanager
def _progress_bar(wanted: bool):
    """A rich progress bar for reading and writing, on a terminal only and for more than a few files."""
    if not (wanted and sys.stdout.isatty()):
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {"read": "读取报表", "write": "写出结果"}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as bar:
        tasks: dict[str, int] = {}
        shown = {"on": None}

        def update(stage: str, done: int, total: int) -> None:
            if shown["on"] is None:
                shown["on"] = total > PROGRESS_MIN_FILES
            if not shown["on"]:
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done)

        yield update


def _open_in_browser(path: Path) -> None:
    """Show a report in the default browser; where there is none (a server, CI) nothing happens."""
    import webbrowser

    if path.exists():
        webbrowser.open(path.resolve().as_uri())


def _mailing(settings, to: list[str] | None, cc: list[str] | None, *, dry_run: bool):
    """The checked [email] settings and the password (none needed for a dry run)."""
    from pipeline.deliver.settings import mail_password, mail_settings

    mail = mail_settings(settings, to=to, cc=cc)
    return mail, None if dry_run else mail_password(mail)


def _send(outputs: Path, period: str, mail, password: str | None, **options) -> None:
    from pipeline.deliver.email import email_period

    outcome = email_period(outputs, period, mail, password, **options)
    subject, recipients = outcome.message["Subject"], "、".join(mail.recipients)
    if options.get("dry_run"):
        _echo([f"未发送（--dry-run）：邮件已写入 {outcome.path}", f"  主题：{subject}", f"  收件人：{recipients}"])
        return
    _echo([f"邮件已发送：{subject}", f"  收件人：{recipients}", f"  记录见 {outcome.path}"])
    if outcome.refused:
        typer.echo(f"错误：邮件服务器拒收了 {'、'.join(outcome.refused)}，他们没有收到。", err=True)
        raise typer.Exit(1)


@app.command()
@_translated
def email(outputs: OutputsOption = Path("outputs"), period: PeriodOption = None,
          to: Annotated[Optional[list[str]], typer.Option(
              "--to", metavar="ADDR", help="收件人，可多次使用；给出时代替 [email] to。例：--to a@example.gov.cn")] = None,
          cc: Annotated[Optional[list[str]], typer.Option(
              "--cc", metavar="ADDR", help="抄送，可多次使用；给出时代替 [email] cc。例：--cc b@example.gov.cn")] = None,
          dry_run: Annotated[bool, typer.Option("--dry-run", help="不发送，只把邮件写入 OUTPUTS/PERIOD/message.eml，可用邮件程序打开查看。")] = False,
          resend: Annotated[bool, typer.Option("--resend", help="本期已发送过（有 sent.json）也再发一次。")] = False,
          with_departments: Annotated[bool, typer.Option("--with-departments", help="另附 departments/ 下各部门的表（打包为 zip）。")] = False,
          config: ConfigOption = None) -> None:
    """把本期报告用邮件发出（设置见 pipeline.toml 的 [email]）。

    正文为 summary.html（另有纯文本版），附件为 report.xlsx 和 report.html；主题由 run.json 算出。
    发送成功记入 OUTPUTS/PERIOD/sent.json，同一期再次发送需加 --resend。密码只从 [email] password_env
    指定的环境变量读取。连接、加密或登录失败时退出码为 1，设置缺失为 2。

    Example: pipeline email --period 2026-11 --dry-run
    """
    period = period or date.today().strftime("%Y-%m")
    mail, password = _mailing(_settings(config, None, None, None), to, cc, dry_run=dry_run)
    _send(outputs, period, mail, password, dry_run=dry_run, resend=resend, with_departments=with_departments)


@app.command()
@_translated
def check(paths: Annotated[list[Path], typer.Argument(help="要检查的文件或文件夹，可以多个。", show_default=False)],
          controls: ControlsOption = None, expect_total: ExpectTotalOption = None, framework: FrameworkOption = None,
          config: ConfigOption = None) -> None:
    """检查给定的文件或文件夹，只打印，不写文件。

    Example: pipeline check inputs/信访局.xlsx 收件/教育局/
    """
    from pipeline.run import check as check_paths
    from pipeline.report.text import summary_lines

    batch = check_paths(paths, _settings(config, framework, controls, expect_total))
    _echo(summary_lines(batch, max_findings=50))
    raise typer.Exit(0 if batch.ok else 1)


DbOption = Annotated[Optional[Path], typer.Option(
    "--db", metavar="PATH", help="历史数据库文件，默认为 pipeline.toml 中 [history] path 指定的文件，或 OUTPUTS/history.sqlite。例：--db 报告/history.sqlite")]


def _history_file(outputs: Path, db: Path | None, config: Path | None) -> Path:
    from pipeline.history.store import history_path

    return db if db is not None else history_path(_settings(config, None, None, None), outputs)


@app.command()
@_translated
def history(outputs: OutputsOption = Path("outputs"), db: DbOption = None, config: ConfigOption = None) -> None:
    """列出历史数据库中已记录的各期运行。

    每期一行：期间、运行时间、部门数、项目数、合计（万元）和状态。同一期重新运行后只保留最后一次。
    数据库不存在时为用法错误（退出码 2）。

    Example: pipeline history --outputs outputs
    """
    from pipeline.history.store import open_history
    from pipeline.money import show
    from pipeline.vocabulary import status_label

    path = _history_file(outputs, db, config)
    with open_history(path, create=False) as store:
        runs = store.runs()
    _echo([f"历史数据库 {path}：已记录 {len(runs)} 期"] + [
        f"  {r.period}  运行于 {r.started.replace('T', ' ')[:16]}  部门 {r.departments} 个  项目 {r.projects} 个  "
        f"合计 {show(r.total)} 万元  {status_label(r.status)}" + (f"（错误 {r.errors} 个）" if r.errors else "")
        for r in runs])


@app.command()
@_translated
def diff(p1: Annotated[str, typer.Argument(metavar="P1", help="较早的期间 YYYY-MM，须已记录。例：2026-10", show_default=False)],
         p2: Annotated[str, typer.Argument(metavar="P2", help="较晚的期间 YYYY-MM，须已记录。例：2026-11", show_default=False)],
         outputs: OutputsOption = Path("outputs"), db: DbOption = None, config: ConfigOption = None,
         output_format: Annotated[str, typer.Option(
             "--format", metavar="text|json", help="输出格式：text 为中文说明（默认），json 与 run.json 的 changes 相同。例：--format json")] = "text") -> None:
    """比较历史数据库中已记录的两期：部门和项目的增减、金额变化、绩效指标目标值的调整、新发现和已解决的问题。

    期间不在历史数据库中时为用法错误（退出码 2）。

    Example: pipeline diff 2026-10 2026-11 --format json
    """
    import json

    from pipeline.errors import UsageError
    from pipeline.history.store import open_history
    from pipeline.report.changes_view import change_lines, changes_view

    if output_format not in ("text", "json"):
        raise UsageError(f"--format「{output_format}」无效：只能是 text 或 json。")
    with open_history(_history_file(outputs, db, config), create=False) as store:
        changes = store.changes_between(p1, p2)
    if output_format == "json":
        typer.echo(json.dumps(changes.as_dict(), ensure_ascii=False, indent=2))
    else:
        _echo(change_lines(changes_view(changes, p2)))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
