"""The `pipeline` app: the group, its global options, and the one place errors become exit codes.

Commands live one group per module (`run`, `mail`, `history`) as plain functions; they are
registered here wrapped in `translated`. Heavy libraries are imported inside the commands so
`pipeline --help` stays fast. Per-invocation state (`--debug`) travels on the click context's `obj`.
"""

from __future__ import annotations

import functools
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


def translated(command):
    """Run a command; a PipelineError becomes `错误：…` on stderr and its exit code (the only place)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PipelineError as exc:
            if getattr(_session(), "debug", False):
                raise
            typer.echo(f"错误：{exc.message}", err=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def _session() -> Session | None:
    ctx = get_current_context(silent=True)
    obj = ctx.find_object(Session) if ctx is not None else None
    return obj


for module in (run, mail, history):
    for name, command in module.COMMANDS.items():
        app.command(name, cls=ChineseCommand)(translated(command))
