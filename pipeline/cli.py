"""The `pipeline` command: parse options, call the library, print the Chinese summary, pick the exit code.

Errors that stop a command are `PipelineError`s, translated to a message and an exit code here and
only here (`_translated`). Heavy libraries are imported inside the commands so `--help` stays fast.
"""

from __future__ import annotations

import functools
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


def _translated(command):
    """Run a command; a PipelineError becomes `错误：…` on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PipelineError as exc:
            if _state["debug"]:
                raise
            typer.echo(f"错误：{exc.message}", err=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈（供开发人员排查）。")] = False):
    """读取、核对并报告项目支出绩效目标表。"""
    _state["debug"] = debug


InputsOption = Annotated[Path, typer.Option("--inputs", "-i", help="存放各部门报表的文件夹（含子文件夹）。例：--inputs 收件/11月")]
OutputsOption = Annotated[Path, typer.Option("--outputs", "-o", help="输出文件夹，每期结果写入其下的 YYYY-MM 子文件夹。例：--outputs 报告")]
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
        config: ConfigOption = None) -> None:
    """读取输入文件夹的全部报表，写出本期结果。

    结果写入 OUTPUTS/PERIOD/：projects.csv、indicators.csv、findings.csv、run.json，报告 report.xlsx、
    report.html、summary.html（邮件正文），以及 departments/ 下各部门的标准格式表。

    有错误时退出码为 1（结果仍会写出），用法错误为 2。

    Example: pipeline run --inputs inputs --outputs outputs --period 2026-11
    """
    from pipeline.runner import run as run_batch
    from pipeline.summary import summary_lines

    period = period or date.today().strftime("%Y-%m")
    settings = _settings(config, framework, controls, expect_total)
    result = run_batch(inputs, outputs, period, settings=settings)
    _echo([f"期间 {period}", *summary_lines(result.batch), f"结果已写入 {result.folder}"])
    if open_report:
        _open_in_browser(result.folder / "report.html")
    raise typer.Exit(0 if result.batch.ok else 1)


def _open_in_browser(path: Path) -> None:
    """Show a report in the default browser; where there is none (a server, CI) nothing happens."""
    import webbrowser

    if path.exists():
        webbrowser.open(path.resolve().as_uri())


@app.command()
@_translated
def check(paths: Annotated[list[Path], typer.Argument(help="要检查的文件或文件夹，可以多个。", show_default=False)],
          controls: ControlsOption = None, expect_total: ExpectTotalOption = None, framework: FrameworkOption = None,
          config: ConfigOption = None) -> None:
    """检查给定的文件或文件夹，只打印，不写文件。

    Example: pipeline check inputs/信访局.xlsx 收件/教育局/
    """
    from pipeline.runner import check as check_paths
    from pipeline.summary import summary_lines

    batch = check_paths(paths, _settings(config, framework, controls, expect_total))
    _echo(summary_lines(batch, max_findings=50))
    raise typer.Exit(0 if batch.ok else 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
