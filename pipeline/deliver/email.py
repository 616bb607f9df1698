"""E-mail a period's reports: one MIME message built from a run folder, sent over SMTP, recorded.

The subject and the plain-text part are made from run.json (its exact amounts, its one status and its
`counts`, shown with `money.show` and the `vocabulary` status words), so they cannot disagree with the
reports; the HTML part is summary.html as written; report.xlsx and report.html (and, on request, the
departments/ workbooks zipped) are attached. Attachment names are Chinese, in RFC 2231 form
(`filename*=utf-8''…` on Content-Disposition), with a plain ASCII `name` on Content-Type for clients
that read no RFC 2231 (Outlook 2003 and older): they show `report-2026-11.xlsx` instead of nothing.

A send is recorded in sent.json beside run.json; a period with a sent.json is not sent again unless
asked. Nothing here prints: failures are `MailError` (exit 1) or `UsageError` (exit 2).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from html import escape
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.findings import ERROR, SEVERITY_LABEL, WARNING
from pipeline.deliver.smtp import send
from pipeline.money import show
from pipeline.outputs import SENT_NAMES, check_period, json_bytes, outputs_lock
from pipeline.settings import EmailSettings
from pipeline.vocabulary import FAILED, status_label, unknown_note

SENT, MESSAGE = "sent.json", "message.eml"
FAILED_PREFIX = "【未通过】"          # a failed run says so first in the subject, whatever the template
TOP_FINDINGS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# run-folder file -> (name the recipient sees, ASCII fallback, content type, what it is)
REPORTS = {
    "report.xlsx": (SENT_NAMES["report.xlsx"], "report-{period}.xlsx", XLSX, "Excel 报告"),
    "report.html": (SENT_NAMES["report.html"], "report-{period}.html", "text/html", "网页报告，用浏览器打开"),
}
DEPARTMENTS = (SENT_NAMES["departments"], "departments-{period}.zip", "application/zip",
               "各部门的标准格式表，压缩包")


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str                      # the Chinese file name the recipient sees
    fallback: str                  # the ASCII name for clients without RFC 2231
    content_type: str
    description: str
    data: bytes


def read_record(folder: Path) -> dict:
    """run.json of a finished run folder, after checking the files a message is made of are there."""
    period = folder.name
    if not (folder / "run.json").is_file():
        raise UsageError(f"没有找到 {period} 的运行结果（{folder / 'run.json'}）。"
                         f"请先运行 pipeline run --period {period}，或用 --outputs 指定输出文件夹。")
    missing = [name for name in ("summary.html", *REPORTS) if not (folder / name).is_file()]
    if missing:
        raise UsageError(f"{folder} 中缺少 {'、'.join(missing)}，无法组成邮件。请重新运行 pipeline run --period {period}。")
    return json.loads((folder / "run.json").read_text(encoding="utf-8"))


def _amount(text: str | None) -> Decimal | None:
    """An amount of run.json: an exact machine decimal (never a rounded or formatted one), so reading it
    back loses nothing; it is shown in the one people's format (money.show)."""
    return None if text is None else Decimal(text)


def run_counts(record: dict) -> dict[str, int]:
    """run.json's `counts` (report/record.batch_counts: departments, projects, indicators, findings, errors,
    warnings), made once by the run. LEGACY: a run folder written before run.json had `counts` is still
    sent: they are then counted here from the same run.json's department records and findings, which
    hold exactly what `counts` is made of, so the message says what it would have said then."""
    if "counts" in record:
        return record["counts"]
    severities = [f["severity"] for f in record["findings"]]
    return {"departments": len(record["departments"]),
            "projects": sum(d["projects"] for d in record["departments"]),
            "indicators": sum(d["indicators"] for d in record["departments"]),
            "findings": len(record["findings"]),
            "errors": severities.count(ERROR), "warnings": severities.count(WARNING)}


def subject_fields(record: dict) -> dict[str, object]:
    """The values a subject template may use (settings.email.SUBJECT_FIELDS), from run.json."""
    counts = run_counts(record)
    return {"period": record["period"], "status": status_label(record["status"]),
            "departments": counts["departments"], "projects": counts["projects"],
            "indicators": counts["indicators"], "total": show(_amount(record["total"])),
            "errors": counts["errors"], "warnings": counts["warnings"]}


def subject_line(record: dict, template: str) -> str:
    subject = template.format(**subject_fields(record))
    return FAILED_PREFIX + subject if record["status"] == FAILED else subject


def text_body(record: dict, attachments: list[Attachment], notes: list[str] = ()) -> str:
    """The plain-text part, for clients that show no HTML and for quoting in a reply."""
    fields = subject_fields(record)
    failed = record["status"] == FAILED
    lines = [f"项目支出绩效目标审核 {record['period']}",
             f"状态：{fields['status']}" + ("（有错误，请按问题清单修改后重新报送）" if failed else ""),
             f"合计：{fields['total']} 万元{unknown_note(record.get('total_unknown', 0))}（部门 {fields['departments']} 个，项目 {fields['projects']} 个，"
             f"绩效指标 {fields['indicators']} 条）",
             f"问题：错误 {fields['errors']} 项，警告 {fields['warnings']} 项，共 {run_counts(record)['findings']} 项", "",
             "各部门："]
    for d in record["departments"]:
        declared = show(_amount(d["declared_total"])) if d["declared_total"] is not None else "—"
        lines.append(f"  {d['name']}：项目 {d['projects']} 个，计算 {show(_amount(d['total']))} 万元"
                     f"{unknown_note(d.get('total_unknown', 0))}，申报 {declared} 万元")
    if record["findings"]:
        shown = record["findings"][:TOP_FINDINGS]
        more = len(record["findings"]) - len(shown)
        lines += ["", f"问题清单（前 {len(shown)} 项，其余 {more} 项见附件）：" if more else "问题清单："]
        for f in shown:
            lines.append(f"  [{SEVERITY_LABEL[f['severity']]}] {f['message']}")  # the message says where
    lines += ["", "附件："] + [f"  {a.name}（{a.description}）" for a in attachments]
    lines += [f"注意：{note}" for note in notes]
    lines += ["", f"运行时间 {record['started']}。本邮件由 pipeline 根据本期运行结果自动生成。"]
    return "\n".join(lines) + "\n"


def attachments(folder: Path, period: str, *, with_departments: bool = False) -> list[Attachment]:
    found = [Attachment(name.format(period=period), fallback.format(period=period), kind, description,
                        (folder / file).read_bytes())
             for file, (name, fallback, kind, description) in REPORTS.items()]
    if with_departments:
        name, fallback, kind, description = DEPARTMENTS
        found.append(Attachment(name.format(period=period), fallback.format(period=period), kind, description,
                                zip_folder(folder / "departments")))
    return found


MB = 1024 * 1024
LEFT_OUT_FIRST = "report.html"       # the web report duplicates the workbook: the first to go


def within_ceiling(folder: Path, files: list[Attachment], ceiling_mb: float) -> tuple[list[Attachment], list[str]]:
    """The attachments that keep the message under `[email] max_message_mb`, and a note for what was left
    out. Sizes are counted as sent: base64 adds a third."""
    def size(items: list[Attachment]) -> int:
        body = (folder / "summary.html").stat().st_size * 2
        return (body + sum(len(a.data) for a in items)) * 4 // 3

    if size(files) <= ceiling_mb * MB:
        return files, []
    web = REPORTS[LEFT_OUT_FIRST][0].format(period=folder.name)
    kept = [a for a in files if a.name != web]
    notes = [f"邮件超过 {ceiling_mb:g} MB 上限（[email] max_message_mb），未附 {web}"
             f"（{sum(len(a.data) for a in files if a.name == web) / MB:.1f} MB），它在 {folder} 中，可用浏览器打开。"]
    if size(kept) > ceiling_mb * MB:
        notes.append(f"去掉网页报告后邮件仍有 {size(kept) / MB:.1f} MB，超过上限：邮件服务器可能拒收，"
                     "可去掉 --with-departments，或把各部门的表另行发送。")
    return kept, notes


def zip_folder(folder: Path) -> bytes:
    """The folder's files, by their Chinese names (zipfile marks them UTF-8), in name order."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    if not files:
        raise UsageError(f"{folder} 中没有各部门的表，无法附上。请去掉 --with-departments，或重新运行 pipeline run。")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


NOTES_SLOT = "<!--notes-->"          # where summary.html takes the notes on what was left out


def build_message(folder: Path, record: dict, mail: EmailSettings, *, with_departments: bool = False,
                  now: datetime | None = None) -> tuple[EmailMessage, list[str]]:
    """The whole message (headers, text and HTML alternatives, the attachments) and the notes on what
    was left out to keep it under the size ceiling."""
    files, notes = within_ceiling(folder, attachments(folder, record["period"], with_departments=with_departments),
                                  mail.max_message_mb)
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject_line(record, mail.subject)
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.to)
    if mail.cc:
        message["Cc"] = ", ".join(mail.cc)
    message["Date"] = format_datetime(now or datetime.now().astimezone())
    # the sender's domain, not socket.getfqdn(): no DNS lookup, and a Message-ID the server recognises
    message["Message-ID"] = make_msgid(domain=getaddresses([mail.sender])[0][1].rpartition("@")[2])
    # base64: Chinese text passes any server, 8BITMIME or not, and long lines need no folding
    message.set_content(text_body(record, files, notes), cte="base64")
    html = (folder / "summary.html").read_text(encoding="utf-8")
    note_html = "".join(f'<p class="note" data-note style="color:#9c0006;font-weight:bold">{escape(n)}</p>'
                        for n in notes)
    message.add_alternative(html.replace(NOTES_SLOT, note_html, 1) if notes else html, subtype="html", cte="base64")
    for item in files:
        maintype, subtype = item.content_type.split("/")
        message.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.name)
        part = list(message.iter_attachments())[-1]
        part.set_param("name", item.fallback)  # Content-Type name: what clients without RFC 2231 show
        if maintype == "text":
            part.set_param("charset", "utf-8")  # the reports are UTF-8; without it a client may guess GBK
    return message, notes


@dataclass(frozen=True, slots=True)
class Outcome:
    message: EmailMessage
    path: Path                                # sent.json, or message.eml after a dry run
    refused: dict[str, tuple[int, bytes]]     # recipients the server refused (the others got the message)
    notes: tuple[str, ...] = ()               # what was left out to stay under the size ceiling


def email_period(outputs: Path, period: str, mail: EmailSettings, password: str | None, *, dry_run: bool = False,
                 resend: bool = False, with_departments: bool = False) -> Outcome:
    """Build the period's message and send it, or with `dry_run` write it to message.eml instead.
    Holds the outputs lock, so a run cannot swap the folder out while it is being sent."""
    folder = outputs / check_period(period)
    read_record(folder)  # a wrong --outputs or --period is reported before anything is locked or created
    with outputs_lock(outputs):
        record = read_record(folder)
        if not dry_run and not resend:
            refuse_if_sent(folder)
        message, notes = build_message(folder, record, mail, with_departments=with_departments)
        if dry_run:
            return Outcome(message, write_atomically(folder / MESSAGE, message.as_bytes()), {}, tuple(notes))
        refused = send(message, mail, password)
        return Outcome(message, record_sent(folder, message, mail, refused), refused, tuple(notes))


def refuse_if_sent(folder: Path) -> None:
    path = folder / SENT
    if path.is_file():
        sent = json.loads(path.read_text(encoding="utf-8"))
        raise UsageError(f"{folder.name} 的报告已于 {sent['sent']} 发送给 {'、'.join(sent['recipients'])}"
                         f"（记录见 {path}）。如确需再次发送，请运行 pipeline email --period {folder.name} --resend。")


def record_sent(folder: Path, message: EmailMessage, mail: EmailSettings, refused: dict[str, tuple[int, bytes]],
                now: datetime | None = None) -> Path:
    """sent.json: when, to whom, which message and exactly which attachments; earlier sends under `previous`."""
    path = folder / SENT
    earlier = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    record = {
        "period": folder.name,
        "sent": (now or datetime.now().astimezone()).isoformat(timespec="seconds"),
        "server": f"{mail.host}:{mail.port}",
        "from": mail.sender, "to": list(mail.to), "cc": list(mail.cc),
        "recipients": [r for r in mail.recipients if r not in refused],
        "refused": {r: f"{code} {reply.decode('utf-8', 'replace')}" for r, (code, reply) in refused.items()},
        "subject": str(message["Subject"]),
        "message_id": str(message["Message-ID"]),
        "attachments": [{"name": part.get_filename(), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                        for part in message.iter_attachments() for data in [part.get_payload(decode=True)]],
        "previous": ([*earlier.pop("previous", []), earlier] if earlier else []),
    }
    return write_atomically(path, json_bytes(record))


def keep_send_record(previous: Path, folder: Path) -> None:
    """A new run of a period keeps the record of what was sent for it, so it is not sent twice by accident."""
    if (previous / SENT).is_file():
        (folder / SENT).write_bytes((previous / SENT).read_bytes())


def write_atomically(path: Path, data: bytes) -> Path:
    """Write beside the file and rename over it: a reader sees the old file or the new one, never half."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
