"""Generate a corpus of department files like a district's month: python benchmarks/corpus.py N FOLDER

About 20 projects per department with realistic Chinese goals and 3–5 packed indicators each, in
the published layout; every 7th department in the long layout, every 5th in 元, every 3rd as
.csv (GB18030) instead of .xlsx, every 11th as a web system or office program exports it (an HTML or
Excel 2003 XML ".xls", Excel's UTF-16 「Unicode 文本」 .txt, a ";" CSV), every 13th named in GBK bytes
(not UTF-8, as a Windows archive unzipped on Linux gives). With --broken P, that fraction of files is broken in assorted ways
(empty, random bytes, text renamed .xlsx, header-less, a ZIP bomb, bad amounts, a PDF named .xls, an
encrypted workbook renamed .xls), then in turn
each of issue 12's attacks (tests/hostile.py ATTACKS: a far cell, rows merged to XFD, sheets to row
1,048,576, a repeated ODS row, a CSV of newlines, a sparse 20 GiB file, hidden DTDs).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from builders import Dept, Proj, long_rows, published_rows, write_text, write_xlsx  # noqa: E402
from exports import html_bytes, spreadsheetml_bytes, unicode_text_bytes, write  # noqa: E402
from hostile import ATTACKS, encrypted, newlines_csv, zip_bomb  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "广州市荔湾区信访局.xlsx"
KINDS = 8 + len(ATTACKS)

VERBS = ["保障", "推进", "完善", "提升", "加强", "落实", "开展", "规范"]
OBJECTS = ["信访维稳工作", "基层医疗服务", "义务教育办学条件", "城市道路养护", "社区养老服务", "河道水环境治理",
           "公共文化服务", "安全生产监管", "食品安全抽检", "政务信息系统运行", "应急物资储备", "就业创业服务"]
INDICATORS = [
    ("1-产出指标", "11-数量指标", "开展培训次数", "≥{n}次"),
    ("1-产出指标", "11-数量指标", "服务人数", "≥{n}人"),
    ("1-产出指标", "12-质量指标", "项目验收合格率", "≥{p}%"),
    ("1-产出指标", "13-时效指标", "资金支付及时率", "100%"),
    ("2-效益指标", "22-社会效益", "群众办事便利度", "明显提升"),
    ("2-效益指标", "22-社会效益", "政策知晓率", "≥{p}%"),
    ("2-效益指标", "23-生态效益", "水质达标率", "≥{p}%"),
    ("3-满意度指标", "31-服务对象满意度", "服务对象满意度", "≥{p}%"),
]


def department(index: int, rng: random.Random, projects: int = 20) -> Dept:
    name = f"某区第{index:04d}局"
    units = []
    unit_count = rng.choice([1, 1, 2])
    for u in range(unit_count):
        items = []
        for p in range(projects // unit_count):
            obj = rng.choice(OBJECTS)
            # one output, one effect and the satisfaction indicator, plus up to two more outputs
            chosen = [*rng.sample(INDICATORS[:4], rng.randint(1, 3)), rng.choice(INDICATORS[4:7]), INDICATORS[7]]
            values = [v.format(n=rng.randint(1, 500), p=rng.randint(80, 99)) for _, _, _, v in chosen]
            indicators = [(l1, l2, n, value, value) for (l1, l2, n, _), value in zip(chosen, values)]
            items.append(Proj(f"{obj}专项经费{u}{p:02d}", fiscal=f"{rng.randint(1, 500000) / 100:.2f}",
                              other=f"{rng.randint(0, 20000) / 100:.2f}",
                              goal=f"通过实施本项目，{rng.choice(VERBS)}{obj}，{rng.choice(VERBS)}服务质量和群众满意度。",
                              indicators=indicators))
        units.append((f"{name}{'机关' if u == 0 else '下属中心'}", items))
    return Dept(name, units, money_unit="元" if index % 5 == 0 else "万元")


def broken(path: Path, kind: int, rng: random.Random) -> Path:
    kind %= KINDS
    if kind >= 8:
        name = list(ATTACKS)[kind - 8]
        target = path.with_suffix(Path(name).suffix)
        if name == "newlines.csv":
            return newlines_csv(target, 4_000_000)       # past the row limit, a tenth of the disk
        return ATTACKS[name][0](SAMPLE, target)
    if kind == 0:
        path = path.with_suffix(".xlsx")
        path.write_bytes(b"")
    elif kind == 1:
        path = path.with_suffix(".xlsx")
        path.write_bytes(bytes(rng.randrange(256) for _ in range(3000)))
    elif kind == 2:
        path = path.with_suffix(".xlsx")
        path.write_text("这是一封改了扩展名的说明文字。", encoding="utf-8")
    elif kind == 3:
        path = write_text(path.with_suffix(".csv"), [["甲", "1"], ["乙", "2"]])
    elif kind == 4:
        path = zip_bomb(path.with_suffix(".xlsx"), inflated=1 << 30)
    elif kind == 5:
        rows = published_rows(department(999, rng, 5))
        rows[5][2] = "壹佰万"
        path = write_text(path.with_suffix(".csv"), rows, encoding="gb18030")
    elif kind == 6:  # a scanned PDF saved under a workbook's name
        path = write(path.with_suffix(".xls"), b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(3000)))
    else:            # an encrypted workbook renamed .xls
        plain = write_xlsx(path.with_suffix(".plain"), [{"name": "S", "rows": published_rows(department(998, rng, 3))}])
        path = encrypted(plain, path.with_suffix(".xls"))
        plain.unlink()
    return path


def exported(stem: Path, rows: list[list], merges: list, kind: int) -> Path:
    """The table as a web system or office program exports it, named as they name it."""
    kind %= 4
    if kind == 0:
        return write(stem.with_suffix(".xls"), html_bytes(rows, encoding="gbk", merges=merges))
    if kind == 1:
        return write(stem.with_suffix(".xls"), spreadsheetml_bytes(rows, merges=merges))
    if kind == 2:
        return write(stem.with_suffix(".txt"), unicode_text_bytes(rows))
    return write_text(stem.with_suffix(".csv"), rows, encoding="gb18030", delimiter=";")


def generate(count: int, folder: Path, *, broken_fraction: float = 0.0, projects: int = 20, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    every = round(1 / broken_fraction) if broken_fraction else 0
    paths = []
    for index in range(count):
        stem = folder / f"dept{index:05d}"
        if index % 13 == 12:  # a name in GBK bytes, as unzipping a Windows archive on Linux gives
            stem = folder / os.fsdecode(f"部门{index:05d}".encode("gbk"))
        if every and index % every == every - 1:
            paths.append(broken(stem, index // every, rng))
            continue
        dept = department(index, rng, projects)
        style = "thousands" if dept.money_unit == "元" else "number"
        if index % 7 == 6:
            rows, merges = long_rows(dept, style=style)
        else:
            rows, merges = published_rows(dept, style=style), [(0, 0, 0, 6)]
        if index % 11 == 10:
            paths.append(exported(stem, rows, merges, index // 11))
        elif index % 3 == 2:
            paths.append(write_text(stem.with_suffix(".csv"), rows, encoding="gb18030"))
        else:
            paths.append(write_xlsx(stem.with_suffix(".xlsx"), [{"name": "Sheet1", "rows": rows, "merges": merges}]))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--broken", type=float, default=0.0, help="fraction of broken files, e.g. 0.05")
    args = parser.parse_args()
    generate(args.count, args.folder, broken_fraction=args.broken)


if __name__ == "__main__":
    main()
