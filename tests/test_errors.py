"""The exceptions that stop a command: exit codes, Chinese causes of OS errors, paths shortened for one line."""

import errno

import pytest

from pipeline.errors import MailError, PipelineError, RunLocked, UsageError, os_cause, shown_path


@pytest.mark.parametrize("cls, code", [(PipelineError, 1), (UsageError, 2), (RunLocked, 2), (MailError, 1)])
def test_each_error_keeps_its_message_and_exit_code(cls, code):
    exc = cls("找不到文件夹")
    assert isinstance(exc, PipelineError) and exc.message == str(exc) == "找不到文件夹" and exc.exit_code == code


def test_os_cause_names_known_causes_in_chinese_and_falls_back_to_the_system_wording():
    assert os_cause(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间已满"
    assert os_cause(PermissionError(errno.EACCES, "Permission denied")) == "没有写入或读取的权限"
    assert os_cause(OSError(errno.EBUSY, "Device or resource busy")) == "Device or resource busy"
    assert os_cause(OSError()) == "OSError"


def test_shown_path_keeps_a_short_path_and_shortens_a_long_one():
    assert shown_path("inputs/信访局.xlsx") == "inputs/信访局.xlsx"
    long = "甲" * 150 + "乙" * 150
    shown = shown_path(long)
    assert shown == "甲" * 100 + "…" + "乙" * 50 + "（共 300 个字符）"


def test_shown_path_shows_an_undecodable_name_without_failing():
    name = "局.xlsx".encode("gbk").decode("utf-8", "surrogateescape")     # a GBK name read as UTF-8
    assert shown_path(name) == "\\xbe\\xd6.xlsx"
