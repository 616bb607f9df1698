"""What the CLI shows while it works (cli/console.py): lines on stdout or stderr, no bar where none is wanted."""

from pathlib import Path

from pipeline.cli import console


def test_echo_writes_each_line_to_the_stream_asked_for(capsys):
    console.echo(["第一行", "第二行"])
    console.echo(["错误：x"], err=True)
    out, err = capsys.readouterr()
    assert (out, err) == ("第一行\n第二行\n", "错误：x\n")


def test_without_a_terminal_the_progress_callback_draws_nothing(capsys):
    with console.progress_bar(True) as progress:          # pytest's stdout is no terminal
        for done in range(10):
            progress("read", done, 10, f"{done}.xlsx")
    with console.progress_bar(False) as progress:
        progress("write", 0, 1)
    assert capsys.readouterr() == ("", "")


def test_a_report_that_does_not_exist_opens_no_browser(monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    console.open_in_browser(tmp_path / "missing.html")
    (tmp_path / "report.html").write_text("<p>x</p>", encoding="utf-8")
    console.open_in_browser(tmp_path / "report.html")
    assert opened == [Path(tmp_path / "report.html").resolve().as_uri()]
