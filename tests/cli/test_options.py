"""The shared command-line options (cli/options.py): the period defaults to this month, settings take the options."""

from datetime import date
from decimal import Decimal

import pytest

from pipeline.cli.options import period_or_this_month, settings_of
from pipeline.errors import UsageError


def test_the_period_is_this_month_when_none_is_given_and_checked_when_one_is():
    assert period_or_this_month(None) == date.today().strftime("%Y-%m")
    assert period_or_this_month("2026-11") == "2026-11"
    with pytest.raises(UsageError) as caught:
        period_or_this_month("2026-13")
    assert "月份 13 不存在" in caught.value.message


def test_command_line_options_override_the_settings_file(tmp_path):
    config = tmp_path / "pipeline.toml"
    config.write_text('framework = "2021"\nexpect_total = "100"\n', encoding="utf-8")
    assert (settings_of(config).framework, settings_of(config).expect_total) == ("2021", Decimal("100"))
    overridden = settings_of(config, framework="2015", expect_total="308.00")
    assert (overridden.framework, overridden.expect_total) == ("2015", Decimal("308.00"))
    with pytest.raises(UsageError):
        settings_of(config, framework="2030")
