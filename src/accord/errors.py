"""Errors that reach the user as one clean message and exit code 2."""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input: a file, a field and a fix.

    The CLI prints ``str(err)`` on stderr and exits with code 2 (no traceback).

    Parameters
    ----------
    message : str
        What is wrong.
    path : str, optional
        The file the input came from.
    field : str, optional
        The field within the file (dotted path, e.g. ``actors[2].salience.t``).
    fix : str, optional
        What the user should do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.field = field
        self.fix = fix
        super().__init__(self.format())

    def format(self) -> str:
        # a command-line option has no file: then the option alone says where
        where = ": ".join(w for w in (self.path, self.field) if w)
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            # the message is one sentence, then the fix
            text = text if text.endswith((".", "!", "?")) else text + "."
            text += f" Fix: {self.fix}"
        return text
