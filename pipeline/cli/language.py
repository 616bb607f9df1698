"""Click's own words in Chinese: help layout, usage line, and the usage errors click raises itself.

Typer renders help and parse errors through its bundled click, whose English strings are gettext
lookups with no catalogue (and the clerk's Windows has no LANG to pick one). Instead of patching
printed text, the group and command classes here lay help out themselves (sections 用法/参数/选项/命令,
metavars from each parameter's `metavar`) and turn click's exceptions, which carry the option, the
parameter and the possibilities as data, into Chinese sentences. `pipeline.cli.app` installs them.
"""

from __future__ import annotations

import inspect
import re
import sys
import unicodedata
from typing import Any

import typer
from typer._click import Context, HelpFormatter
from typer._click import exceptions as errors  # typer's bundled click: its exceptions carry the data
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.exceptions import Abort

HELP_TEXT = "显示本说明并退出。"
TYPE_NAMES = {"path": "路径", "text": "文字", "integer": "整数", "float": "数", "boolean": "是/否"}


def metavar(param) -> str:
    """What a value of this parameter is called in help and in messages (Chinese, never `<list[Path]>`)."""
    name = param.metavar or TYPE_NAMES.get(param.type.name, param.type.name)
    if isinstance(param, TyperArgument) and param.nargs != 1:
        name += "..."
    return name


def display_name(param) -> str:
    """How the clerk types it: `--inputs` for an option, its metavar for an argument."""
    if isinstance(param, TyperArgument):
        return metavar(param)
    return "/".join(sorted(param.opts, key=len, reverse=True)[:1]) or param.name


def width(text: str) -> int:
    """Columns on a terminal: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns` terminal columns: breaks anywhere between CJK characters, and at
    spaces within Latin words (`--controls`, `docs/settings.md` stay whole)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in re.findall(r"[ -~]+?(?= |$|[^ -~])|[^ -~]| ", paragraph):
            if width(line) + width(token) > columns and line.strip():
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


class ChineseFormatter(HelpFormatter):
    """Click's help layout measured in terminal columns, so Chinese lines align and wrap right."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = inspect.cleandoc(text).split("\n\n")
        for n, paragraph in enumerate(paragraphs):
            for line in wrap(paragraph.replace("\n", ""), self.width - self.current_indent):
                self.write(f"{indent}{line}\n")
            if n < len(paragraphs) - 1:
                self.write("\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            lines = wrap(second, max(self.width - first_col - self.current_indent, 20)) if second else [""]
            if width(first) <= first_col - col_spacing:
                self.write(f"{indent}{first}{' ' * (first_col - width(first))}{lines[0]}\n")
            else:
                self.write(f"{indent}{first}\n{indent}{' ' * first_col}{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * first_col}{line}\n")


class ChineseContext(Context):
    formatter_class = ChineseFormatter


class _Chinese:
    """The help layout and the error translation shared by the group and its commands."""

    context_class = ChineseContext

    def __init__(self, *args: Any, **attrs: Any):
        super().__init__(*args, **attrs)
        self.options_metavar = "[选项]"

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar]
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(metavar(param) if param.required else f"[{metavar(param)}]")
        return pieces

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx, formatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            if getattr(param, "hidden", False):
                continue
            if isinstance(param, TyperArgument):
                arguments.append((metavar(param), param.help or ""))
            else:
                options.append(_option_record(param))
        for title, rows in (("参数", arguments), ("选项", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except errors.UsageError as error:
            error.ctx = error.ctx or ctx   # the parser raises without one; the message needs the command
            raise
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            ctx.fail(f"多余的参数：{' '.join(rest)}。")
        return rest


def _option_record(param) -> tuple[str, str]:
    names = ", ".join(sorted(param.opts, key=len))
    if not param.is_flag:
        names += f" {metavar(param)}"
    help_text = param.help or ""
    default = param.default
    if param.show_default is not False and not param.is_flag and default not in (None, "", ()) and not callable(default):
        help_text += f"（默认：{default}）"
    return names, help_text


class ChineseCommand(_Chinese, TyperCommand):
    """A `pipeline` subcommand with Chinese help."""


class ChineseGroup(_Chinese, TyperGroup):
    """The `pipeline` group: Chinese help, and click's usage errors said in Chinese."""

    def __init__(self, **attrs: Any):
        super().__init__(**attrs)
        self.subcommand_metavar = "命令 [参数]..."

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [*super().collect_usage_pieces(ctx), self.subcommand_metavar]

    def format_commands(self, ctx, formatter) -> None:
        rows = [(name, command.get_short_help_str(formatter.width - 16))
                for name, command in self.commands.items() if not command.hidden]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def format_options(self, ctx, formatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def resolve_command(self, ctx, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            ctx.fail(f"没有命令「{name}」。可用的命令：{'、'.join(self.commands)}。")
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True, **extra: Any):
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except errors.NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help())
            result = 0
        except errors.ClickException as error:
            if not standalone_mode:
                raise
            show(error)
            sys.exit(error.exit_code)
        except Abort:
            if not standalone_mode:
                raise
            typer.echo("已中止。", err=True)
            sys.exit(1)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def show(error) -> None:
    """`用法：…`, where to find help, and `错误：…` in Chinese, on stderr."""
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"运行「{ctx.command_path} --help」查看说明。\n", err=True)
    typer.echo(f"错误：{explain(error)}", err=True)


def explain(error) -> str:
    """The Chinese sentence for one of click's exceptions, built from the data it carries."""
    if isinstance(error, errors.NoSuchOption):
        similar = f"是否想用 {'、'.join(error.possibilities)}？" if error.possibilities else ""
        return f"没有选项 {error.option_name}。{similar}运行 --help 可列出全部选项。"
    if isinstance(error, errors.MissingParameter):
        param = error.param
        what = f"（{param.help.rstrip('。')}）" if param is not None and param.help else ""
        name = display_name(param).removesuffix("...") if param is not None else "参数"
        return f"缺少{'参数' if isinstance(param, TyperArgument) else '选项'} {name}{what}。"
    if isinstance(error, errors.BadOptionUsage):
        option = _option_named(error.ctx, error.option_name)
        if option is not None and option.is_flag:
            return f"选项 {error.option_name} 是开关，后面不带值。"
        shown = f"，如 {error.option_name} {metavar(option)}" if option is not None else ""
        return f"选项 {error.option_name} 后面缺少值{shown}。"
    if isinstance(error, errors.BadParameter):
        name = display_name(error.param) if error.param is not None else "参数"
        return f"{name} 的值无效：{error.message}"
    return error.format_message()


def _option_named(ctx, name: str):
    for param in ctx.command.params if ctx is not None else ():
        if name in getattr(param, "opts", ()) or name in getattr(param, "secondary_opts", ()):
            return param
    return None
