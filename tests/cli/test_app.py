"""The typer app (cli/app.py): every command has Chinese help with an example, --version, and what stops a
command is one line and an exit code, never a traceback (faults in depth: test_faults.py)."""

import shutil

from typer.testing import CliRunner

from pipeline.cli import app


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_every_command_and_option_has_help_with_an_example():
    from typer.main import get_command

    group = get_command(app)
    assert "示例：" in invoke("--help").output
    for name, command in group.commands.items():
        text = invoke(name, "--help").output
        assert "示例：" in text, name
        for param in command.params:
            if param.name != "help":
                assert param.help, f"{name} --{param.name} has no help"


def test_an_unusable_outputs_path_is_a_usage_error_not_a_traceback(tmp_path, sample):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(sample, inputs)
    (tmp_path / "afile").write_text("x")
    result = invoke("run", "-i", inputs, "-o", tmp_path / "afile", "-p", "2026-11")
    assert result.exit_code == 2
    assert result.output.startswith(f"错误：无法写入输出文件夹 {tmp_path / 'afile'}")


def test_version():
    from pipeline import __version__

    result = invoke("--version")
    assert result.exit_code == 0 and result.output == f"pipeline {__version__}\n"
