"""The hostile-input corpus (issue 12) run from the command line under tight caps of time and memory.

Each case runs ``boundcheck.cli.main`` in a forked child (after the imports, so a case costs its own work
only) with ``RLIMIT_AS`` capped and a wall-clock deadline after which it is killed. A case must end in
time with its exit code and message, print no traceback, write nothing outside its output folder, and
never let the text of the bait files beside its input folder reach anything it writes.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import sys
import time
import zlib
from pathlib import Path

import pytest

import boundcheck.empirical  # noqa: F401 - imported once here, so that each forked case costs its work only
import boundcheck.falsify  # noqa: F401
import boundcheck.parse
import boundcheck.pipeline  # noqa: F401
import boundcheck.report.latex  # noqa: F401
import boundcheck.stress  # noqa: F401
from boundcheck.cli import main

from hostile_corpus import BAIT, CASES, GOOD, Case, spec

#: Address space a case may add to the test process's own (bytes).
MEMORY_CAP = 1536 * 1024 * 1024


def _vm() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for p in root.rglob("*"):
        if skip in p.parents or p == skip:
            continue
        st = p.lstat()
        out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def run_case(case: Case, root: Path) -> tuple[int, str, str, float]:
    """Run one case in a forked child; returns (exit code, stdout, stderr, seconds)."""
    inp, out, home = root / "input", root / "out", root / "home"
    for d in (inp, out, home):
        d.mkdir()
    for name, data in case.files.items():
        path = inp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    for bait in ("bait.txt", "bait.toml", "bait.png"):
        (root / bait).write_text(BAIT + "\n")
    argv = [str(inp / a[1:]) if a.startswith("@") else a for a in case.argv]
    (root / "stdin").write_text(case.stdin or "")
    before = _snapshot(root, out)
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: caps, redirections, the CLI
        code = 99
        try:
            limit = _vm() + MEMORY_CAP
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.chdir(out)
            os.environ["HOME"] = str(home)
            if "parse_seconds" in case.extra:  # the per-expression time box, shortened for a fast corpus
                boundcheck.parse.MAX_PARSE_SECONDS = case.extra["parse_seconds"]
            for fd, name, mode in ((0, "stdin", os.O_RDONLY), (1, "stdout.txt", os.O_WRONLY | os.O_CREAT),
                                   (2, "stderr.txt", os.O_WRONLY | os.O_CREAT)):
                target = root / name
                os.dup2(os.open(target, mode, 0o644), fd)
            # the child exits right after: these stay open until then
            sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            code = main(argv)
        except SystemExit as err:
            code = err.code if isinstance(err.code, int) else 98
        except BaseException:  # noqa: BLE001 - shown by the parent as a failure
            import traceback

            traceback.print_exc()
            code = 97
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = start + case.seconds
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.02)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail(f"{case.id}: still running after {case.seconds} s (killed)")
    seconds = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    stdout = (root / "stdout.txt").read_text(errors="replace")
    stderr = (root / "stderr.txt").read_text(errors="replace")
    after = _snapshot(root, out)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    # HOME may get matplotlib's font cache (its own doing, made once per user); nothing else may change
    changed = {k for k in changed if k not in ("stdout.txt", "stderr.txt", "home") and not k.startswith("home/")}
    assert not changed, f"{case.id}: wrote outside its output folder: {sorted(changed)}"
    written = {str(p.relative_to(home)) for p in home.rglob("*")}
    assert not {w for w in written if "matplotlib" not in w and w not in (".cache", ".config")}, written
    for p in out.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert BAIT.encode() not in data, f"{case.id}: the bait outside the input folder reached {p}"
    return code, stdout, stderr, seconds


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    """Each hostile input ends within its caps with its documented exit code and message, no traceback,
    nothing written outside the output folder and nothing read from beside the input folder."""
    code, stdout, stderr, seconds = run_case(case, tmp_path)
    text = stdout + stderr
    assert "Traceback" not in text, f"{case.id}: traceback\n{text[-3000:]}"
    assert code == case.code, f"{case.id}: exit {code}, expected {case.code}\n{text[-2000:]}"
    assert case.says in text, f"{case.id}: {case.says!r} not in the output\n{text[-2000:]}"
    if code == 2:
        lines = [ln for ln in stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), f"{case.id}: not one line:\n{stderr}"
    if "max_stderr" in case.extra:
        assert len(stderr) <= case.extra["max_stderr"], f"{case.id}: {len(stderr)} characters of error"
    assert "\x1b[2J" not in text and "\x1b]" not in text  # no escape sequence from a file reached the output


def test_name_never_picks_a_folder_outside(tmp_path: Path) -> None:
    """`check` of a spec named '../../x' writes its report below boundcheck-report/ in the working folder."""
    case = Case("check-name", {"s.toml": spec(header='name = "../../x"\n' + GOOD.split("\n", 1)[1])},
                ("check", "@s.toml", "--no-pdf", "--stress-examples", "0"), 0)
    code, stdout, stderr, _ = run_case(case, tmp_path)
    assert code == 0, stdout + stderr
    assert (tmp_path / "out" / "boundcheck-report" / "x" / "check.json").is_file()


def _pdf_text(data: bytes) -> bytes:
    """A PDF's bytes with every Flate stream inflated (object streams hide dictionaries otherwise)."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_pdf_has_no_active_content(tmp_path: Path) -> None:
    """A report of a spec full of TeX specials compiles with nothing active in the PDF, no write outside
    the report folder, and HOME untouched (TeX's caches stay in its private folder)."""
    data = (Path(__file__).parents[1] / "data" / "special_chars.toml").read_text(encoding="utf-8")
    case = Case("pdf", {"s.toml": data}, ("latex", "@s.toml", "-o", "rep", "--pdf", "--timeout", "2"), 0,
                seconds=120)
    code, stdout, stderr, _ = run_case(case, tmp_path)
    assert code in (0, 1), stdout + stderr
    pdf = tmp_path / "out" / "rep" / "report.pdf"
    text = _pdf_text(pdf.read_bytes())
    assert b"/Catalog" in text  # the inflation worked: the catalog dictionary is visible
    for key in (b"/OpenAction", b"/JavaScript", b"/Launch", b"/JS", b"/AA"):
        assert key not in text, key
