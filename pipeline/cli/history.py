"""`pipeline history` and `pipeline diff`: the periods recorded, and what changed between two."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.console import echo
from pipeline.cli.options import ConfigOption, DbOption, OutputsOption, settings_of

def _history_file(outputs: Path, db: Path | None, config: Path | None) -> Path:
    from pipeline.history.store import history_path

    return db if db is not None else history_path(settings_of(config), outputs)


def history(outputs: OutputsOption = Path("outputs"), db: DbOption = None, config: ConfigOption = None) -> None:
    """列出历史数据库中已记录的各期运行。

    每期一行：期间、运行时间、部门数、项目数、合计（万元）和状态。同一期重新运行后只保留最后一次。
    数据库不存在时为用法错误（退出码 2）。

    示例：pipeline history --outputs outputs
    """
    from pipeline.history.store import open_history
    from pipeline.money import show
    from pipeline.vocabulary import status_label

    path = _history_file(outputs, db, config)
    with open_history(path, create=False) as store:
        runs = store.runs()
    echo([f"历史数据库 {path}：已记录 {len(runs)} 期"] + [
        f"  {r.period}  运行于 {r.started.replace('T', ' ')[:16]}  部门 {r.departments} 个  项目 {r.projects:,} 个"
        + (f"（其中申报表 {r.form_projects:,} 个）" if r.form_projects else "") + "  "
        f"合计 {show(r.total) or '—'} 万元  {status_label(r.status)}" + (f"（错误 {r.errors} 个）" if r.errors else "")
        for r in runs])


def diff(p1: Annotated[str, typer.Argument(metavar="较早期间", help="较早的期间 YYYY-MM，须已记录。例：2026-10", show_default=False)],
         p2: Annotated[str, typer.Argument(metavar="较晚期间", help="较晚的期间 YYYY-MM，须已记录。例：2026-11", show_default=False)],
         outputs: OutputsOption = Path("outputs"), db: DbOption = None, config: ConfigOption = None,
         output_format: Annotated[str, typer.Option(
             "--format", metavar="text|json", help="输出格式：text 为中文说明（默认），json 与 run.json 的 changes 相同。例：--format json")] = "text") -> None:
    """比较历史数据库中已记录的两期：部门和项目的增减、金额变化、绩效指标目标值的调整、新发现和已解决的问题。

    期间不在历史数据库中、或先后颠倒时为用法错误（退出码 2）。

    示例：pipeline diff 2026-10 2026-11 --format json
    """
    import json

    from pipeline.errors import UsageError
    from pipeline.history.store import open_history
    from pipeline.outputs import check_period
    from pipeline.report.changes_view import change_lines, changes_view

    if output_format not in ("text", "json"):
        raise UsageError(f"--format「{output_format}」无效：只能是 text 或 json。")
    check_period(p1), check_period(p2)
    if p1 >= p2:
        raise UsageError(f"先写较早的期间、再写较晚的：{p1} 不早于 {p2}。"
                         + (f"应为 pipeline diff {p2} {p1}。" if p1 > p2 else "请给出两个不同的期间。"))
    with open_history(_history_file(outputs, db, config), create=False) as store:
        changes = store.changes_between(p1, p2)
    if output_format == "json":
        typer.echo(json.dumps(changes.as_dict(), ensure_ascii=False, indent=2))
    else:
        echo(change_lines(changes_view(changes, p2)))


COMMANDS = {"history": history, "diff": diff}
