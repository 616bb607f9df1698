"""read/form_money.py: a form's 资金情况 block read in the unit the form states, an unreadable line unknown."""

from decimal import Decimal

from form_builders import Form, write_form_xlsx, yueyang_rows
from pipeline.read.batch import read_batch

D = Decimal


def only_project(batch):
    assert len(batch.departments) == 1 and len(batch.departments[0].projects) == 1
    return batch.departments[0].projects[0]


def test_money_as_text_with_units(tmp_path):
    form = Form(total="854万(高标准农田建设400万元,道路454万元)", fiscal="10000万元", other="250万")
    path = write_form_xlsx(tmp_path / "a.xlsx", [("S", *yueyang_rows(form))])
    project = only_project(read_batch([path]))
    assert project.amounts.total == D("854") and project.amounts.fiscal == D("10000")
    assert project.amounts.other == D("250")
    assert project.cells["other"].cell == "C8"


def test_money_typed_twice_is_a_finding_on_its_cell_not_a_guess(tmp_path):
    form = Form(total="854万", fiscal="854万854万(高标准农田建设)")
    path = write_form_xlsx(tmp_path / "a.xlsx", [("S", *yueyang_rows(form))])
    batch = read_batch([path])
    project = only_project(batch)
    assert project.amounts.total == D("854") and project.amounts.fiscal is None
    assert not project.amounts_ok
    [bad] = [f for f in batch.findings if f.code == "bad_amount"]
    assert (bad.cell, bad.severity, bad.project) == ("C7", "error", form.name)
    assert "重复" in bad.message and "854万854万" in bad.message
    params = dict(bad.params)
    assert (params["variant"], params["label"]) == ("form", "其中:财政拨款")
    assert bad.message.startswith(f"申报表「{params['label']}」的金额无法读取：{params['problem']}。")


def test_money_in_yuan_by_the_block_label(tmp_path):
    path = write_form_xlsx(tmp_path / "a.xlsx", [("S", *yueyang_rows(Form(total=85400, fiscal=85400),
                                                                       unit_label="资金情况(元)"))])
    assert only_project(read_batch([path])).amounts.total == D("8.54")


def test_no_stated_money_unit_is_a_warning(tmp_path):
    path = write_form_xlsx(tmp_path / "a.xlsx", [("S", *yueyang_rows(Form(), unit_label="资金情况"))])
    batch = read_batch([path])
    [warning] = [f for f in batch.findings if f.code == "form_no_money_unit"]
    assert warning.cell == "B6"
    assert only_project(batch).amounts.total == D("854")
