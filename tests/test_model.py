"""pipeline/model.py: sums over amounts that may be unknown."""

from decimal import Decimal

from pipeline.model import Amounts, Project, Source, amounts_of


def project(amounts: Amounts) -> Project:
    return Project("教育局", "第一中学", "培训", amounts, "", Source("a.xlsx", "Sheet1", 5), {})


def test_amounts_of_sums_each_column_exactly_and_keeps_an_unknown_column_unknown():
    projects = [project(Amounts(Decimal("0.000001"), Decimal("0.000001"), Decimal(0), Decimal(0))),
                project(Amounts(Decimal("2.5"), None, Decimal("1"), Decimal("1.5")))]
    total = amounts_of(projects)
    assert (total.total, total.fiscal, total.special_account, total.other) == (
        Decimal("2.500001"), None, Decimal("1"), Decimal("1.5"))
    assert amounts_of([]) == Amounts()           # nothing compiled: zeros, not unknown
