"""The one family of exceptions that stop a run.

Data problems are never raised: they are returned as `Finding` values. These exceptions are for
what makes a whole command impossible (a missing folder, a malformed setting, a run already in
progress). The CLI translates them into a Chinese message and an exit code in one place.
"""


class PipelineError(Exception):
    """Something stops the command; `message` is shown to the clerk as it is (Chinese)."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UsageError(PipelineError):
    """The command was called wrongly: a missing folder, a malformed period or settings file."""

    exit_code = 2


class RunLocked(PipelineError):
    """Another run is writing to the same outputs folder."""

    exit_code = 2


class MailError(PipelineError):
    """Sending the reports failed (connection, TLS, authentication)."""

    exit_code = 1
