"""The options several commands share, and the settings and period they resolve to."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

def _option(kind, *names: str, help: str, example: str, metavar: str | None = None):
    """An option several commands share: its type and names, and a help text ending in an example."""
    return Annotated[kind, typer.Option(*names, metavar=metavar, help=f"{help}例：{example}")]


InputsOption = _option(Path, "--inputs", "-i", metavar="文件夹", help="存放各部门报表的文件夹（含子文件夹）。",
                       example="--inputs 收件/11月")
OutputsOption = _option(Path, "--outputs", "-o", metavar="文件夹", help="输出文件夹，每期结果写入其下的 YYYY-MM 子文件夹。",
                        example="--outputs 报告")
QuietOption = _option(bool, "--quiet", "-q", help="不显示进度条和明细，只打印最后的状态行。", example="pipeline run -q")
PeriodOption = _option(Optional[str], "--period", "-p", metavar="YYYY-MM", help="报告期间，默认为本月。",
                       example="--period 2026-11")
ConfigOption = _option(Optional[Path], "--config", metavar="文件",
                       help="设置文件（TOML，见 docs/settings.md），默认为当前文件夹中的 pipeline.toml（如有）。",
                       example="--config 设置/pipeline.toml")
ControlsOption = _option(Optional[Path], "--controls", metavar="文件",
                         help="控制数文件（.xlsx 或 .csv，列为「部门名称」「控制数」，默认万元），逐个部门核对合计。",
                         example="--controls 控制数.xlsx")
ExpectTotalOption = _option(Optional[str], "--expect-total", metavar="金额",
                            help="全部项目合计应等于的金额（万元），只报一个部门时使用。", example="--expect-total 308.00")
FrameworkOption = _option(Optional[str], "--framework", metavar="2015|2021",
                          help="绩效指标框架：2015（产出、效益、满意度，默认）或 2021（另加成本指标）。",
                          example="--framework 2021")
DbOption = _option(Optional[Path], "--db", metavar="文件",
                   help="历史数据库文件，默认为 pipeline.toml 中 [history] path 指定的文件，或 OUTPUTS/history.sqlite。",
                   example="--db 报告/history.sqlite")


def settings_of(config: Path | None, framework: str | None = None, controls: Path | None = None,
                expect_total: str | None = None):
    """pipeline.toml (or --config), with the command-line options over it."""
    from pipeline.settings import load_settings

    return load_settings(config).with_options(framework=framework, controls=controls, expect_total=expect_total)


def period_or_this_month(period: str | None) -> str:
    """The checked period, this month when none is given (a malformed one says exactly what is wrong)."""
    from pipeline.outputs import check_period

    return check_period(period or date.today().strftime("%Y-%m"))
