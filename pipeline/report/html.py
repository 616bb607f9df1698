"""report.html and summary.html: the run as a web page and as an e-mail body.

Both are rendered from the run's one view (`view.build_view`, built once by run.py) with jinja2 templates in the repository's
`templates/` folder (autoescape on: a project named `<script>` is text). report.html carries its whole
stylesheet in one <style> block of the page itself (self-contained, nothing fetched); running a CSS
inliner over it would parse a city-wide page of hundreds of thousands of cells into a DOM (600 MiB
at 500 departments) for no reader's benefit. summary.html, an e-mail body, is inlined by css-inline:
mail clients drop <style> blocks. It keeps no <style>, has no SVG and no line over 998 bytes (RFC 5322).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pipeline import __version__
from pipeline.read.batch import Batch
from pipeline.money import show, show_exact
from pipeline.outputs import sent_name
from pipeline.vocabulary import UNKNOWN_AMOUNT, unknown_note
from pipeline.report.changes_view import signed
from pipeline.report.finding_groups import counts_by_label
from pipeline.report.view import FAILED, KIND_LABEL, PASSED, WARNED, Bar, ReportView

# the repository's top-level templates/ is where people edit them; a wheel ships them inside the
# package as pipeline/report/templates (pyproject.toml maps the folder), a checkout reads them in place
_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates" if (_HERE / "templates").is_dir() else _HERE.parent.parent / "templates"
LINE_LIMIT = 998                   # bytes per line in an e-mail, CRLF excluded (RFC 5322 §2.1.1)
TOP_FINDINGS = 10                  # findings quoted in the e-mail
OPEN_FINDINGS = 30                 # report.html opens the findings' groups when there are no more than this
OPEN_CHANGES = 30                  # ... and the list of changes
EMAIL_DEPARTMENTS = 30             # departments listed under 需修改的部门 in the e-mail (the rest: report.xlsx)
MESSAGE_LIMIT = 200                # characters of a finding's message quoted in the e-mail
STATUS_CLASS = {"report": {PASSED: "status-ok", WARNED: "status-warn", FAILED: "status-fail"},
                "email": {PASSED: "ok", WARNED: "warn", FAILED: "fail"}}
# the chart: one row per bar, its label above it, so it stays legible when a phone scales it down
CHART_WIDTH, BAR_AREA, ROW_HEIGHT, LABEL_CHARS = 420, 320, 40, 22


@dataclass(frozen=True, slots=True)
class ChartBar:
    label: str
    short_label: str
    amount: Decimal
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[ChartBar]
    width: int
    height: int


def write_report_html(folder: Path, batch: Batch, record: dict, view: ReportView) -> None:
    """Writer: report.html and summary.html in the run folder, from the run's one view."""
    # streamed into the file as it is rendered: a city's page is never held as one string (100 MiB at
    # 500 departments); the same text as render_report gives (write_text's newline handling too)
    with open(folder / "report.html", "w", encoding="utf-8") as handle:
        handle.writelines(_report_chunks(view))
    (folder / "summary.html").write_text(render_summary(view), encoding="utf-8")


def render_report(view: ReportView) -> str:
    return "".join(_report_chunks(view))


def _report_chunks(view: ReportView) -> Iterator[str]:
    return _environment().get_template("report.html.j2").generate(
        v=view, chart=bar_chart(view.bars),
        status_class=STATUS_CLASS["report"], kind_label=KIND_LABEL, version=__version__,
        count_labels=counts_by_label, open_findings=OPEN_FINDINGS, open_changes=OPEN_CHANGES)


def render_summary(view: ReportView) -> str:
    html = _environment().get_template("email.html.j2").render(
        v=view, top_findings=view.top_findings(TOP_FINDINGS), message_limit=MESSAGE_LIMIT,
        max_departments=EMAIL_DEPARTMENTS, sent_name=sent_name, status_class=STATUS_CLASS["email"],
        version=__version__)
    return fold_long_lines(_inliner().inline(html))


def bar_chart(bars: list[Bar]) -> Chart:
    """Geometry of the SVG bar chart: bar lengths proportional to the largest amount."""
    largest = max((b.amount for b in bars), default=Decimal(0))
    rows = []
    for n, bar in enumerate(bars):
        width = int(BAR_AREA * bar.amount / largest) if largest > 0 and bar.amount > 0 else 0
        label = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[:LABEL_CHARS - 1] + "…"
        rows.append(ChartBar(bar.label, label, bar.amount, n * ROW_HEIGHT, max(width, 1 if bar.amount > 0 else 0)))
    return Chart(rows, CHART_WIDTH, len(rows) * ROW_HEIGHT + 8)


_TOKENS = re.compile(r"<[^>]*>|&#?[0-9A-Za-z]+;|[^<&]{1,200}|[<&]")
_BREAK_OPEN, _BREAK_CLOSE = "<!--", "-->"


def fold_long_lines(html: str, limit: int = LINE_LIMIT) -> str:
    """Break every line longer than `limit` UTF-8 bytes with an empty HTML comment across the line end
    (`<!--` newline `-->`): unlike a bare newline it adds no space between Chinese characters.
    Breaks fall only between tags, entities and runs of text, never inside a tag."""
    out = []
    for line in html.split("\n"):
        if len(line.encode("utf-8")) <= limit:
            out.append(line)
            continue
        current, size = [], 0
        for token in _TOKENS.findall(line):
            n = len(token.encode("utf-8"))
            if current and size + n + len(_BREAK_OPEN) > limit:
                out.append("".join(current) + _BREAK_OPEN)
                current, size = [_BREAK_CLOSE], len(_BREAK_CLOSE)
            current.append(token)
            size += n
        out.append("".join(current))
    return "\n".join(out)


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined)
    env.filters["money"] = show               # 千分位, two decimals
    env.filters["exact"] = show_exact         # a difference: never 0.00 for what is not zero
    env.filters["signed"] = signed
    env.filters["unknown_note"] = unknown_note
    env.globals["UNKNOWN"] = UNKNOWN_AMOUNT
    return env


def _inliner():
    import css_inline

    return css_inline.CSSInliner(keep_at_rules=False, load_remote_stylesheets=False)
