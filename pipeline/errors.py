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


# errno -> what the clerk is told; anything else is the system's own wording
_OS_CAUSES = {
    "ENOSPC": "磁盘空间已满", "EDQUOT": "磁盘配额已用完", "EACCES": "没有写入或读取的权限", "EPERM": "操作不被允许（没有权限）",
    "EROFS": "所在磁盘是只读的", "ENAMETOOLONG": "路径太长", "ENOTDIR": "路径中有一级不是文件夹而是文件",
    "EISDIR": "应为文件的位置是一个文件夹", "ENOENT": "路径不存在", "EEXIST": "同名的文件已存在", "EIO": "磁盘读写出错",
}


def os_cause(exc: OSError) -> str:
    """An operating-system error as a short Chinese cause: 磁盘空间已满, 没有写入或读取的权限, 路径太长…"""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_CAUSES.get(name) or exc.strerror or type(exc).__name__


def shown_path(path: object, limit: int = 200) -> str:
    """A path for a one-line message: a 5,000-character one is shortened and its length given."""
    text = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")  # GBK names
    return text if len(text) <= limit else f"{text[:limit // 2]}…{text[-limit // 4:]}（共 {len(text):,} 个字符）"
