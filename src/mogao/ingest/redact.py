"""Server file paths never reach the browser: an absolute path is shown as its base name.

An import run's source, its problems' locations and its messages are stored with the server's
absolute paths (the worker needs them); pages, the admin and ``str(run)`` show the base name
only. URLs are kept whole.
"""

from __future__ import annotations

import re

# An absolute POSIX or Windows path: not part of a URL (no scheme, host or word before it).
_ABSOLUTE_PATH = re.compile(r"""(?<![\w:/.\\-])(?:[A-Za-z]:)?[/\\](?:[^\s'"<>/\\]+[/\\])*([^\s'"<>/\\]+)""")
# A location in the storage (#19), ``storage:uploads/<random>/<name>``: shown as its base name too.
_STORAGE_NAME = re.compile(r"""(?<![\w])storage:(?:[^\s'"<>/]+/)*([^\s'"<>/]+)""")


def hide_server_paths(value: object) -> str:
    """``value`` as text with every absolute file path reduced to its base name."""
    text = _STORAGE_NAME.sub(lambda m: m.group(1), "" if value is None else str(value))
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1), text)
