"""The `pipeline` command line (entry point `pipeline.cli:app`): parse, call the library, render.

`app` builds the group and translates errors; `run`, `mail` and `history` hold the commands;
`options` the shared options; `console` output and progress; `language` click's words in Chinese.
"""

from pipeline.cli.app import app

__all__ = ["app"]
