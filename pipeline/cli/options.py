"""The options several commands share, and the settings and period they resolve to."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

InputsOption = Annotated[Path, typer.Option(
    "--inputs", "-i", metavar="文件夹", help="存放各部门报表的文件夹（含子文件夹）。例：--inputs 收件/11月")]
OutputsOption = Annotated[Path, typer.Option(
    "--outputs", "-o", metavar="文件夹", help="输出文件夹，每期结果写入其下的 YYYY-MM 子文件夹。例：--outputs 报告")]
QuietOption = Annotated[bool, typer.Option(
    "--quiet", "-q", help="不显示进度条和明细，只打印最后的状态行。例：pipeline run -q")]
PeriodOption = Annotated[Optional[str], typer.Option(
    "--period", "-p", metavar="YYYY-MM", help="报告期间，默认为本月。例：--period 2026-11")]
ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", metavar="文件", help="设置文件（TOML，见 docs/settings.md），默认为当前文件夹中的 pipeline.toml（如有）。"
                                   "例：--config 设置/pipeline.toml")]
ControlsOption = Annotated[Optional[Path], typer.Option(
    "--controls", metavar="文件", help="控制数文件（.xlsx 或 .csv，列为「部门名称」「控制数」，默认万元），逐个部门核对合计。"
                                     "例：--controls 控制数.xlsx")]
ExpectTotalOption = Annotated[Optional[str], typer.Option(
    "--expect-total", metavar="金额", help="全部项目合计应等于的金额（万元），只报一个部门时使用。例：--expect-total 308.00")]
FrameworkOption = Annotated[Optional[str], typer.Option(
    "--framework", metavar="2015|2021", help="绩效指标框架：2015（产出、效益、满意度，默认）或 2021（另加成本指标）。"
                                          "例：--framework 2021")]
DbOption = Annotated[Optional[Path], typer.Option(
    "--db", metavar="文件", help="历史数据库文件，默认为 pipeline.toml 中 [history] path 指定的文件，或 "
                               "OUTPUTS/history.sqlite。例：--db 报告/history.sqlite")]


def settings_of(config: Path | None, framework: str | None = None, controls: Path | None = None,
                expect_total: str | None = None):
    """pipeline.toml (or --config), with the command-line options over it."""
    from pipeline.settings import load_settings

    return load_settings(config).with_options(framework=framework, controls=controls, expect_total=expect_total)


def period_or_this_month(period: str | None) -> str:
    """The checked period, this month when none is given (a malformed one says exactly what is wrong)."""
    from pipeline.outputs import check_period

    return check_period(period or date.today().strftime("%Y-%m"))
