"""Path policy (bottom layer): every path that comes from inside a file goes through here.

Specs, conjectures and artifacts come from strangers (DESIGN.md, "Trust boundary"). A path written inside
such a file (an artifact's ``plot``, a conjecture's ``[spec] file``, the conjecture a replayed artifact
names) is resolved by :func:`inside`: relative to the folder of the file that names it, never absolute,
never leaving that folder (``..`` and symbolic links that point out are refused), a regular file only
(not a device, fifo or folder) and at most a given size. A name that picks an output location (the spec's
``name`` choosing ``boundcheck-report/<name>``) goes through :func:`slug`. Files named on the command line
are the user's own choice, but they are read through :func:`read_text` too: regular files only (or ``-``,
standard input), capped in size, so ``verify /dev/zero`` is an error rather than 10 GB of memory.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import MutableSet
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import SpecError

__all__ = ["MAX_TEXT_BYTES", "MAX_FIGURE_BYTES", "inside", "read_text", "slug", "unique_name", "STDIN"]

#: Largest spec, conjecture or artifact file read (bytes). The largest real spec is a few kB; 10^5 claims
#: of one line each is about 6 MB.
MAX_TEXT_BYTES = 16 * 1024 * 1024
#: Largest figure copied into a report (bytes).
MAX_FIGURE_BYTES = 32 * 1024 * 1024
#: The path that means standard input on the command line.
STDIN = "-"


def _fail(message: str, file: str | None, key: str | None) -> SpecError:
    return SpecError(message, file=file, key=key)


def inside(base: str | Path, rel: object, *, file: str | None = None, key: str | None = None,
           max_bytes: int = MAX_TEXT_BYTES, what: str = "file") -> Path:
    """Resolve a path written inside a file, under the path policy.

    Args:
        base: the folder of the file that names the path.
        rel: the path as written in that file.
        file, key: the naming file and its key, for the error message.
        max_bytes: largest size accepted.
        what: what the path names, for the error message ("plot", "spec file").

    Returns:
        The resolved path (a regular file below ``base``).

    Raises:
        SpecError: the path is absolute, leaves ``base``, is missing, not a regular file or too large.
    """
    if not isinstance(rel, str) or not rel.strip():
        raise _fail(f"the {what} must be a non-empty relative path string", file, key)
    shown = repr(rel if len(rel) <= 80 else rel[:77] + "...")
    if "\x00" in rel:
        raise _fail(f"the {what} path {shown} contains a NUL character", file, key)
    if PurePosixPath(rel).is_absolute() or PureWindowsPath(rel).is_absolute() or PureWindowsPath(rel).drive \
            or rel.startswith("~"):
        raise _fail(f"the {what} path {shown} is absolute; a path inside a file must be relative to that "
                    "file's folder", file, key)
    parts = re.split(r"[\\/]+", rel)
    if ".." in parts:
        raise _fail(f"the {what} path {shown} leaves the folder of the file that names it ('..')", file, key)
    root = Path(base).resolve()
    target = root / rel
    try:
        resolved = target.resolve(strict=True)
    except (OSError, RuntimeError) as err:
        raise _fail(f"cannot find the {what} {shown} (relative to {root}): {getattr(err, 'strerror', err)}",
                    file, key) from err
    if not resolved.is_relative_to(root):
        raise _fail(f"the {what} path {shown} leads outside the folder of the file that names it (a symbolic "
                    "link?)", file, key)
    try:
        st = resolved.stat()
    except OSError as err:
        raise _fail(f"cannot read the {what} {shown}: {err.strerror}", file, key) from err
    if not stat.S_ISREG(st.st_mode):
        raise _fail(f"the {what} {shown} is not a regular file", file, key)
    if st.st_size > max_bytes:
        raise _fail(f"the {what} {shown} is {st.st_size} bytes; the limit is {max_bytes}", file, key)
    return resolved


def read_text(path: str | Path, what: str = "spec", *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """The UTF-8 text of a file named by the user (``-`` is standard input), capped in size.

    Raises:
        SpecError: missing, not a regular file, larger than ``max_bytes``, not UTF-8 (a byte-order mark
            is named as such).
    """
    name = str(path)
    if name == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SpecError(f"the {what} on standard input is larger than {max_bytes} bytes", file="<stdin>")
        return _decode(data, "<stdin>", what)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise SpecError(f"cannot read {what}: {err.strerror}", file=name) from err
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise SpecError(f"cannot read {what}: it is a folder", file=name)
        if not stat.S_ISREG(st.st_mode):
            raise SpecError(f"cannot read {what}: not a regular file (a device, fifo or socket)", file=name)
        if st.st_size > max_bytes:
            raise SpecError(f"the {what} is {st.st_size} bytes; the limit is {max_bytes}", file=name)
        chunks = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as err:
        raise SpecError(f"cannot read {what}: {err.strerror}", file=name) from err
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise SpecError(f"the {what} is larger than {max_bytes} bytes", file=name)
    return _decode(data, name, what)


def _decode(data: bytes, name: str, what: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        raise SpecError(f"the {what} starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM",
                        file=name, line=1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError(f"the {what} starts with a UTF-16 byte-order mark (BOM); save it as UTF-8", file=name,
                        line=1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise SpecError(f"the {what} is not UTF-8 text (byte {err.start})", file=name, line=line) from err


def slug(text: object, default: str = "bound", max_len: int = 64) -> str:
    """A file-name-safe form of a name: letters, digits, ``.``, ``_``, ``-``; never ``.``/``..``/hidden.

    >>> slug("../../x")
    'x'
    >>> slug("croissant")
    'croissant'
    """
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-._")[:max_len].strip("-._")
    return s or default


def unique_name(name: str, used: MutableSet[str]) -> str:
    """``name``, or ``stem-2.ext``, ``stem-3.ext``, ... when it is taken (case-insensitively); marks it used."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, k = name, 1
    while candidate.lower() in used:
        k += 1
        candidate = f"{stem}-{k}{dot}{ext}"
    used.add(candidate.lower())
    return candidate
