"""Settings: the review framework, code map, thresholds, severity overrides, control figures, the reading
limits, the history's path and where the e-mail goes.

`load_settings` reads `pipeline.toml` (docs/settings.md) into one frozen `Settings`. Every section is
checked in this package, strictly, when the file is read: an unknown key or a wrong type is a
`UsageError` naming the file (and, but for [email], the line). The [email] section's keys are checked by
`settings/email.py`; what only sending needs (a server, a sender, recipients) is asked for by
`email_to_send` when `pipeline email` or `run --email` sends. Command-line options override the file
through `Settings.with_options`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from pipeline.errors import UsageError
from pipeline.findings import CODES, SEVERITY_ORDER
from pipeline.vocabulary import DEFAULT_CODE_MAP, FRAMEWORKS, known_level_name
from pipeline.money import MAX_FIGURE, BadAmount, implausible_figure, parse_amount, show
from pipeline.settings.email import EMAIL_HELP, EmailReader, EmailSettings

DEFAULT_FILE = "pipeline.toml"
# qualitative words that promise nothing measurable (vague_target)
DEFAULT_VAGUE_WORDS = ("及时", "按时", "稳步提高", "高质量完成", "明显", "有所提高", "逐步提高", "进一步", "显著",
                       "较好", "较高", "良好", "有效", "不断", "持续", "大幅", "提高", "提升", "改善", "加强", "基本")

TOP_LEVEL_KEYS = ("framework", "controls", "expect_total")
# 万元: a project amount above it is implausible_amount (an ID number pasted into a 元 column)
DEFAULT_MAX_PROJECT_AMOUNT = Decimal("1000000")


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_mb: float = 100
    max_uncompressed_mb: float = 200
    max_ratio: float = 100
    max_cells: int = 5_000_000           # a 100,000-row table of 11 columns is 1.1 million
    max_merged_cells: int = 1_000_000
    max_rows: int = 1_048_576            # Excel's own limit
    max_reader_mb: float = 2048          # the reading process's address space (POSIX)
    max_read_seconds: float = 300



MY_SECTIONS = {"review": ("min_indicators", "vague_words", "max_project_amount"), "code_map": None, "severity": None,
               "limits": tuple(f.name for f in fields(Limits)), "history": ("path",)}


def parse_figure(value: object, bounded: bool = True) -> Decimal | None:
    """An amount in 万元 typed by the clerk (a number or text), or None when it is not one or (`bounded`)
    is beyond any budget (money.MAX_FIGURE): the callers turn None into a UsageError in their own words."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        amount = parse_amount(value)
    except BadAmount:
        return None
    return None if bounded and implausible_figure(amount) else amount


@dataclass(frozen=True)
class Settings:
    framework: str = "2015"
    code_map: Mapping[str, str] = field(default_factory=lambda: MappingProxyType(dict(DEFAULT_CODE_MAP)))
    min_indicators: int = 3
    vague_words: tuple[str, ...] = DEFAULT_VAGUE_WORDS
    severities: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    controls: Path | None = None
    expect_total: Decimal | None = None
    max_project_amount: Decimal = DEFAULT_MAX_PROJECT_AMOUNT
    limits: Limits = field(default_factory=Limits)  # [limits]: what a file may cost to read
    history: Path | None = None                    # [history] path, relative to the settings file's folder
    email: EmailSettings = field(default_factory=EmailSettings)  # [email], as the file has it
    file: Path | None = None                       # the pipeline.toml that was read, if any

    def with_options(self, *, framework: str | None = None, controls: Path | None = None,
                     expect_total: str | None = None) -> "Settings":
        """The settings with command-line options applied (an option given beats the file)."""
        changes: dict[str, Any] = {}
        if framework is not None:
            if framework not in FRAMEWORKS:
                raise UsageError(f"--framework「{framework}」无效：只能是 2015 或 2021。")
            changes["framework"] = framework
        if controls is not None:
            changes["controls"] = controls
        if expect_total is not None:
            amount = parse_figure(expect_total)
            if amount is None:
                problem = "不是金额" if parse_figure(expect_total, bounded=False) is None else \
                    f"超过 {show(MAX_FIGURE)} 万元，不是可信的总额（是否多打了数字，或写成了元？）"
                raise UsageError(f"--expect-total「{expect_total}」{problem}：请写万元数，如 --expect-total 308.00。")
            changes["expect_total"] = amount
        return replace(self, **changes)


def load_settings(path: Path | None = None) -> Settings:
    """Read `path`, or `pipeline.toml` in the working folder when there is one; defaults otherwise."""
    if path is None:
        path = Path(DEFAULT_FILE)
        if not path.is_file():
            return Settings()
    elif not path.is_file():
        raise UsageError(f"找不到设置文件 {path}。请检查路径，或去掉 --config 使用默认设置。")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"设置文件 {path} 不是 UTF-8 编码：请用记事本“另存为”UTF-8 后重试。") from None
    except OSError as exc:
        raise UsageError(f"无法读取设置文件 {path}：{exc}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        line = f"第 {where.group(1)} 行第 {where.group(2)} 列" if where else "某处"
        raise UsageError(f"设置文件 {path} {line}有语法错误（{exc}）。请对照 pipeline.toml.example 改正。") from None
    return _Reader(path, text).settings(doc)


class _Reader:
    """Checks the document key by key; every complaint names the file and the line of the key."""

    def __init__(self, path: Path, text: str):
        self.path, self.lines = path, text.splitlines()

    def fail(self, section: str, key: str, problem: str) -> UsageError:
        line = self.line_of(section, key)
        at = f"第 {line} 行" if line else ""
        name = f"[{section}] 中的 {key}" if section else key
        return UsageError(f"设置文件 {self.path} {at}：{name} {problem}。请参阅 docs/settings.md。")

    def line_of(self, section: str, key: str) -> int | None:
        current = ""
        key_re = re.compile(rf"""^["']?{re.escape(key)}["']?\s*=""")
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            header = re.match(r"^\[\s*([^\[\]]+?)\s*\]", stripped)
            if header:
                current = header.group(1).strip("\"' ")
                if not section and current == key:
                    return number
            elif current == section and key_re.match(stripped):
                return number
        return None

    def settings(self, doc: dict) -> Settings:
        values: dict[str, Any] = {"file": self.path}
        if "email" in doc and not isinstance(doc["email"], dict):
            raise UsageError(f"设置文件 {self.path}：email 应为一节（[email]），不是单个值。{EMAIL_HELP}。")
        for section in MY_SECTIONS:
            if section in doc and not isinstance(doc[section], dict):
                raise self.fail("", section, "应为一节（[" + section + "]），不是单个值")
        for key, value in doc.items():
            if isinstance(value, dict):
                continue  # a section: ours are read below, others belong to other features
            if key not in TOP_LEVEL_KEYS:
                raise self.fail("", key, f"不是已知的设置项（可用：{'、'.join(TOP_LEVEL_KEYS)}；"
                                         "其他功能的设置请写在各自的 [节] 下）")
        if "framework" in doc:
            framework = str(doc["framework"]) if isinstance(doc["framework"], (str, int)) else None
            if framework not in FRAMEWORKS:
                raise self.fail("", "framework", "只能是 \"2015\" 或 \"2021\"")
            values["framework"] = framework
        if "controls" in doc:
            if not isinstance(doc["controls"], str) or not doc["controls"].strip():
                raise self.fail("", "controls", "应为控制数文件的路径（字符串），如 controls = \"控制数.xlsx\"")
            values["controls"] = self.path.parent / doc["controls"].strip()
        if "expect_total" in doc:
            values["expect_total"] = self.amount(doc["expect_total"])
        values.update(self.review(doc.get("review", {})))
        if "code_map" in doc:
            values["code_map"] = MappingProxyType(self.code_map(doc["code_map"]))
        values["severities"] = MappingProxyType(self.severities(doc.get("severity", {})))
        values["limits"] = self.limits(doc.get("limits", {}))
        values["history"] = self.history(doc.get("history", {}))
        values["email"] = EmailReader(f"设置文件 {self.path}", doc.get("email", {})).read(self.path.parent)
        return Settings(**values)

    def limits(self, section: dict) -> Limits:
        for key, value in section.items():
            if key not in MY_SECTIONS["limits"]:
                raise self.fail("limits", key, f"不是已知的设置项（可用：{'、'.join(MY_SECTIONS['limits'])}）")
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise self.fail("limits", key, f"应为正数，现为 {value!r}")
        return Limits(**section)

    def history(self, section: dict) -> Path | None:
        unknown = [key for key in section if key != "path"]
        if unknown:
            raise self.fail("history", unknown[0], "不是已知的设置项（可用：path）")
        if "path" not in section:
            return None
        value = section["path"]
        if not isinstance(value, str) or not value.strip():
            raise self.fail("history", "path", "应为数据库文件的路径，如 path = \"历史/history.sqlite\"")
        return self.path.parent / value.strip()

    def amount(self, value: Any) -> Decimal:
        amount = parse_figure(value)
        if amount is None:
            raise self.fail("", "expect_total", f"应为万元金额（不超过 {show(MAX_FIGURE)} 万元），如 expect_total = \"308.00\"")
        return amount

    def review(self, section: dict) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in section.items():
            if key == "min_indicators":
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise self.fail("review", key, "应为不小于 0 的整数，如 min_indicators = 3")
                out["min_indicators"] = value
            elif key == "vague_words":
                if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
                    raise self.fail("review", key, "应为非空词语的列表，如 vague_words = [\"及时\", \"稳步提高\"]")
                out["vague_words"] = tuple(w.strip() for w in value)
            elif key == "max_project_amount":
                amount = parse_figure(value)
                if amount is None or amount <= 0:
                    raise self.fail("review", key, f"应为大于 0、不超过 {show(MAX_FIGURE)} 的万元金额，"
                                                   "如 max_project_amount = 1000000")
                out["max_project_amount"] = amount
            else:
                raise self.fail("review", key, f"不是已知的设置项（可用：{'、'.join(MY_SECTIONS['review'])}）")
        return out

    def code_map(self, section: dict) -> dict[str, str]:
        for code, name in section.items():
            if not isinstance(name, str) or not known_level_name(name):
                raise self.fail("code_map", code, f"的名称「{name}」不是绩效指标框架中的一级或二级指标")
        return {code.strip(): name.strip() for code, name in section.items()}

    def severities(self, section: dict) -> dict[str, str]:
        for code, level in section.items():
            if code not in CODES:
                raise self.fail("severity", code, "不是已知的问题代码（见 docs/outputs.md 的 Finding codes）")
            if level not in SEVERITY_ORDER:
                raise self.fail("severity", code, f"的级别「{level}」无效：只能是 error、warning 或 info")
        return dict(section)


def email_to_send(settings: Settings, *, to: list[str] | None = None, cc: list[str] | None = None,
                  dry_run: bool = False) -> EmailSettings:
    """[email] with what sending needs; `--to` and `--cc` given on the command line replace the file's
    lists. A dry run only writes the message, so it needs no server (`host`) and no password."""
    if settings.file is None:
        raise UsageError(f"当前文件夹中没有设置文件 {DEFAULT_FILE}（也没有用 --config 指定）。发送或预览邮件需要在其中"
                         f"写明 [email] 一节：发件人 from、收件人 to，发送时还要邮件服务器 host。可复制 "
                         f"pipeline.toml.example 为 {DEFAULT_FILE} 后改写，{EMAIL_HELP}。")
    check, email = EmailReader(f"设置文件 {settings.file}", {}), settings.email
    if email.host is None and not dry_run:
        raise check.missing("host")
    if email.sender is None:
        raise check.missing("from")
    to, cc = check.addresses("to", to) if to else email.to, check.addresses("cc", cc) if cc else email.cc
    if not to:
        raise check.missing("to")
    return replace(email, to=to, cc=cc)
