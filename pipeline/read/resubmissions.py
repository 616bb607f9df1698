"""What one file supersedes in another: when the same submission arrives in several files, the most
recently modified file's copy is used, the others are dropped and their files named.

Used for published tables (the same department in two files, `batch.supersede_resubmissions`) and for
per-project forms (the same department's same project, `form_combine`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.model import Department, InputFile, RowCount


def newest_and_older(groups: Iterable[list[Department]], entries: dict[str, InputFile]
                     ) -> Iterator[tuple[Department, list[Department]]]:
    """For each group of copies that spans several files: the copy from the most recently modified file
    (the file's name breaks a tie) and the copies from the other files. A group within one file is left
    alone (one submission spread over sheets)."""
    for copies in groups:
        files = sorted({d.file for d in copies}, key=lambda f: (entries[f].modified, f))
        if len(files) < 2:
            continue
        newest = files[-1]
        yield next(d for d in copies if d.file == newest), [d for d in copies if d.file != newest]


def listed(copies: list[Department]) -> str:
    """`「a.xlsx!Sheet1」、「b.csv」`: where the dropped copies were, for the finding."""
    return "、".join(f"「{d.file}{'!' + d.sheet if d.sheet else ''}」" for d in copies)


def skip_unused_files(departments: list[Department], dropped: list[Department], entries: dict[str, InputFile],
                      reason) -> None:
    """A file none of whose departments is used any more is listed as skipped, with `reason(dropped_copy)`."""
    still_used = {d.file for d in departments}
    for d in dropped:
        entry = entries[d.file]
        if d.file not in still_used and entry.status == "ok":
            entry.status, entry.reason = "skipped", reason(d)
            entry.rows = RowCount()
