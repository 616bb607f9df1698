"""Nothing is lost: over every shape of file the suite builds, rows.read = used + ignored + rejected,
only title, unit, header, blank, separator, sign-off (footer), note and copied-sheet rows are ignored, and
every rejected row has a finding."""

import shutil

import pytest

from builders import (Dept, Proj, education_bureau, long_rows, published_rows, write_text, write_xls,
                      write_xlsx)
from hostile import encrypted, entity_bomb, zip_bomb
from checked import read_checked

ALLOWED = {"title", "unit", "header", "blank", "separator", "footer", "note", "copy"}


def corpus(folder, seed, sample):
    """One file of every shape the other tests use, good and bad, in one folder."""
    def edu(name, unit="万元"):
        dept = education_bureau()
        dept.name, dept.money_unit = name, unit
        return dept

    good = write_xlsx(folder / "published.xlsx", [{"name": "S", "rows": published_rows(edu("甲局")),
                                                    "start": (2, 1), "merges": [(0, 0, 0, 6)]}])
    write_xls(folder / "old.xls", published_rows(edu("乙局")))
    write_text(folder / "gb.csv", published_rows(edu("丙局"), style="fullwidth"), encoding="gb18030")
    rows, merges = long_rows(edu("丁局"))
    write_xlsx(folder / "long.xlsx", [{"name": "S", "rows": rows, "merges": merges}])
    write_text(folder / "long.tsv", long_rows(edu("戊局"))[0], delimiter="\t")
    write_text(folder / "yuan.csv", published_rows(edu("己局", "元"), style="thousands"))
    noisy = published_rows(Dept("某局", [("某局", [Proj("甲", fiscal="1")])]), department_line=False)
    noisy += [[], ["------", "---"], ["", "", "", "", "", "填表人：张三"], ["注：本表金额单位为万元"],
              ["", "", "", "", "", "另附说明见附件"], ["其他事项"]]
    write_text(folder / "noisy.csv", noisy)
    write_xlsx(folder / "notes.xlsx", [{"name": "说明", "rows": [["填表说明"]], "hidden": True},
                                       {"name": "表", "rows": published_rows(Dept("某委", [("某委", [Proj("乙", fiscal="2")])]))}])
    write_text(folder / "headerless.csv", [["甲", "1"], ["乙", "2"]])
    (folder / "empty.xlsx").write_bytes(b"")
    (folder / "fake.xls").write_text("not a workbook")
    zip_bomb(folder / "bomb.xlsx", inflated=300 << 20)
    entity_bomb(good, folder / "lol.xlsx")
    encrypted(good, folder / "locked.xlsx")
    shutil.copy(seed, folder / "seed.txt")
    shutil.copy(sample, folder / "sample.xlsx")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    from conftest import SAMPLE, SEED

    folder = tmp_path_factory.mktemp("corpus")
    corpus(folder, SEED, SAMPLE)
    return read_checked([folder])


def test_every_file_is_accounted_for(batch):
    assert len(batch.inputs) == 16
    for entry in batch.inputs:
        rows = entry.rows
        assert rows.read == rows.used + rows.ignored + rows.rejected, entry.file
        assert entry.status == "skipped" or len(entry.sha256) == 64, entry.file
        assert set(rows.ignored_as) <= ALLOWED, (entry.file, rows.ignored_as)
        assert sum(rows.ignored_as.values()) == rows.ignored, entry.file
        if entry.status == "rejected":
            assert any(f.file == entry.file and f.severity == "error" for f in batch.findings), entry.file


def test_every_rejected_row_has_a_finding_quoting_it(batch):
    noisy = next(i for i in batch.inputs if i.file == "noisy.csv")
    assert noisy.rows.rejected == 2
    quoted = [f.message for f in batch.findings if f.file == "noisy.csv" and f.code == "unrecognised_row"]
    assert len(quoted) == 2
    assert any("另附说明见附件" in m for m in quoted) and any("其他事项" in m for m in quoted)
    assert (noisy.rows.ignored_as["footer"], noisy.rows.ignored_as["note"]) == (1, 1)   # 填表人：张三, 注：…


def test_the_statuses_of_the_corpus(batch):
    status = {i.file: i.status for i in batch.inputs}
    assert sorted(f for f, s in status.items() if s == "rejected") == [
        "bomb.xlsx", "empty.xlsx", "fake.xls", "headerless.csv", "locked.xlsx", "lol.xlsx"]
    # the seed and the bundled sample are the same department: one of them is superseded
    assert sum(1 for d in batch.departments if d.name == "广州市荔湾区信访局") == 1
    assert sorted(s for f, s in status.items() if f in ("seed.txt", "sample.xlsx")) == ["ok", "skipped"]
    assert len(batch.departments) == 9
