"""The `pipeline` app: the group, its global options, and the one place errors become exit codes.

Commands live one group per module (`run`, `mail`, `history`) as plain functions; they are
registered here wrapped in `translated`. Heavy libraries are imported inside the commands so
`pipeline --help` stays fast. Per-invocation state (`--debug`) travels on the click context's `obj`.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from typing import Annotated

import typer
from typer._click.globals import get_current_context

from pipeline import __version__
from pipeline.cli import history, mail, run
from pipeline.cli.language import ChineseCommand, ChineseGroup
from pipeline.errors import PipelineError

app = typer.Typer(
    cls=ChineseGroup,
    help="读取各部门的项目支出绩效目标表，核对金额、审核指标，生成 Excel/HTML 报告。\n\n示例：pipeline run",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@dataclass(frozen=True, slots=True)
class Session:
    """What the group's options decide for the whole invocation."""

    debug: bool = False


def _show_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"pipeline {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(ctx: typer.Context,
         debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈（供开发人员排查）。")] = False,
         version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                               help="显示版本号并退出。")] = False) -> None:
    """读取、核对并报告项目支出绩效目标表。"""
    ctx.obj = Session(debug=debug)


INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)


def translated(command):
    """Run a command; what stops it becomes one line on stderr and an exit code, never a traceback (the
    only place): a PipelineError its own message and code, Ctrl-C 130, a system fault (disk full, no
    permission, a path too long) or a history database that cannot be written 2. `--debug` shows the
    traceback."""

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
    if getattr(_session(), "debug", False):
        raise  # noqa: PLE0704 - re-raise the exception being handled, with its traceback
    typer.echo(line, err=True)
    raise typer.Exit(code) from None


def _fault(exc: OSError) -> str:
    """A system fault as one line: its cause, the path, and that nothing earlier was harmed."""
    from pipeline.errors import os_cause, shown_path

    where = f"（{shown_path(exc.filename)}）" if exc.filename else ""
    return (f"{os_cause(exc)}{where}，本次运行未完成：上一次的结果和历史数据库保持原样。"
            "请腾出磁盘空间、检查文件夹权限或换一个较短的路径后重新运行。")


def _session() -> Session | None:
    ctx = get_current_context(silent=True)
    obj = ctx.find_object(Session) if ctx is not None else None
    return obj


for module in (run, mail, history):
    for name, command in module.COMMANDS.items():
        app.command(name, cls=ChineseCommand)(translated(command))
