"""Hard limits of the ladder (boundcheck.prove._worker) and the path policy (boundcheck._paths)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from boundcheck import _paths
from boundcheck._texname import latex_fragment_error
from boundcheck.errors import SpecError, UsageError
from boundcheck.prove import _worker, ladder
from boundcheck.prove.verdict import Certificate, Status, Verdict
from boundcheck.spec import loads

ROOT = Path(__file__).parents[2]
CROISSANT = ROOT / "examples" / "croissant.toml"


class _Claim:
    def __init__(self, cid: str) -> None:
        self.id = cid


def _proved(claim, timeout):
    return Verdict(claim.id, Status.PROVED, "smt", certificate=Certificate("smt", "unsat", smtlib="(check-sat)\n"))


def test_a_claim_stuck_in_c_code_is_killed_at_its_deadline() -> None:
    """A claim busy in C (where no alarm reaches) is killed at its deadline and is UNKNOWN; the next runs."""
    if not _worker.sandbox_available():
        pytest.skip("no fork here")

    def stuck(claim, timeout):
        if claim.id == "stuck":
            return sum(range(10 ** 13))  # one C call: signals wait until it returns
        return _proved(claim, timeout)

    start = time.monotonic()
    vs = _worker.run_claims([_Claim("stuck"), _Claim("ok")], stuck, timeouts=[0.2, 5.0])
    # the stuck call would run for hours; a generous margin keeps a loaded CI machine from flaking
    assert time.monotonic() - start < 0.2 * 1.1 + 0.5 + _worker.GRACE_SECONDS + 60
    assert vs[0].status is Status.UNKNOWN and "timeout" in vs[0].reason
    assert vs[1].status is Status.PROVED


def test_a_claim_over_the_memory_cap_is_unknown() -> None:
    """A claim that allocates past its cap is UNKNOWN (out of memory), not a crash of the run."""
    if not _worker.sandbox_available():
        pytest.skip("no fork here")

    def hog(claim, timeout):
        return bytearray(4 * 1024 ** 3)

    (v,) = _worker.run_claims([_Claim("hog")], hog, timeouts=[10.0], memory_mb=256)
    assert v.status is Status.UNKNOWN and "memory" in v.reason


def test_certificate_names_are_unique(tmp_path: Path) -> None:
    """Claim ids 'a/b' and 'a_b' get two certificate files, not one overwritten."""
    vs = _worker.run_claims([_Claim("a/b"), _Claim("a_b"), _Claim("A_B")], _proved, timeouts=[5.0] * 3,
                            certificates_dir=tmp_path)
    paths = {v.certificate.path for v in vs}
    assert len(paths) == 3 and all(Path(p).is_file() for p in paths)


def test_jobs_give_the_same_verdicts() -> None:
    """verify --jobs 2 gives the verdicts of --jobs 1, in claim order."""
    problem = loads(CROISSANT.read_text(), file=str(CROISSANT))
    one = ladder.verify(problem, timeout=10, jobs=1)
    two = ladder.verify(problem, timeout=10, jobs=2)
    assert [(v.claim_id, v.status, v.method) for v in one] == [(v.claim_id, v.status, v.method) for v in two]


def test_cli_timeout_caps_a_claims_own_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spec's timeout = 100000 is capped by the caller's timeout; nan and inf are refused."""
    problem = loads('[symbols]\nx = { kind = "real", min = 1 }\n[[claims]]\nid = "a"\nkind = "positive"\n'
                    'expr = "x"\ntimeout = 100000\n')
    seen = []

    def fake(problem, claim, *, timeout, seed=0, certificates_dir=None):
        seen.append(timeout)
        return Verdict(claim.id, Status.UNKNOWN, "none", reason=f"t={timeout}")

    monkeypatch.setattr(ladder, "prove_claim", fake)
    (v,) = ladder.verify(problem, timeout=5)
    assert v.reason == "t=5.0"
    for bad in (float("nan"), float("inf"), 0, -1):
        with pytest.raises(UsageError):
            ladder.verify(problem, timeout=bad)


@pytest.mark.parametrize("rel,why", [
    ("/etc/passwd", "absolute"), ("../x.png", "leaves"), ("a/../../x.png", "leaves"), ("~/x.png", "absolute"),
    ("C:\\x.png", "absolute"), ("", "non-empty"), ("missing.png", "cannot find"), ("sub", "not a regular file"),
    ("link.png", "outside"),
])
def test_path_policy_refuses(tmp_path: Path, rel: str, why: str) -> None:
    """Paths inside files: relative, inside the folder, regular files only."""
    base = tmp_path / "in"
    (base / "sub").mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes(b"x")
    (base / "link.png").symlink_to(tmp_path / "outside.png")
    with pytest.raises(SpecError) as info:
        _paths.inside(base, rel, file="f.json", key="plot", what="plot")
    assert why in str(info.value) and info.value.key == "plot"


def test_path_policy_size_cap_and_accept(tmp_path: Path) -> None:
    """A file inside the folder is accepted; one over the size cap is not."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "p.png").write_bytes(b"x" * 100)
    assert _paths.inside(tmp_path, "d/p.png") == (tmp_path / "d" / "p.png").resolve()
    with pytest.raises(SpecError, match="limit"):
        _paths.inside(tmp_path, "d/p.png", max_bytes=10)


def test_slug_and_unique_names() -> None:
    """Report folder names are slugs; colliding names get a suffix."""
    assert _paths.slug("../../x") == "x" and _paths.slug("..") == "bound" and _paths.slug("/tmp/a b") == "tmp-a-b"
    used: set[str] = set()
    assert [_paths.unique_name(n, used) for n in ("a.smt2", "a.smt2", "A.smt2")] == ["a.smt2", "a-2.smt2",
                                                                                    "A-3.smt2"]


@pytest.mark.parametrize("text", [r"\delta", r"\hat{L}", r"\mathrm{KL}", r"\ell(z_i)", r"x^{2}_{i}",
                                  r"\tilde{\mathcal{L}}", r"\operatorname{Var}", r"K_{\text{eff}}", r"\bar x"])
def test_latex_allowlist_accepts(text: str) -> None:
    """Ordinary math names pass the allowlist grammar."""
    assert latex_fragment_error(text) is None


@pytest.mark.parametrize("text", [r"\pdfmapfile{/etc/passwd}", r"\pdfcatalog{/OpenAction}", r"\pdfannot{}",
                                  r"\pdfinfo{}", r"\chardef\x=1", r"\catcode`\%=11", r"\input{x}", "x^^5c",
                                  r"\hat\pdfinfo", r"\text{\input}", "$x$", "{", "}", r"\\", "a\nb", "x~y",
                                  r"\mathrm\input", "{" * 11 + "}" * 11])
def test_latex_allowlist_refuses(text: str) -> None:
    """Everything outside the grammar is refused (a blocklist let 44 of 50 payloads through)."""
    assert latex_fragment_error(text) is not None


def test_croissant_conjecture_spec_copy_is_identical() -> None:
    """examples/conjectures/specs/croissant.toml (beside the conjecture that names it) is examples/croissant.toml."""
    copy = ROOT / "examples" / "conjectures" / "specs" / "croissant.toml"
    assert copy.read_text() == CROISSANT.read_text(), (
        "examples/croissant.toml changed: copy it to examples/conjectures/specs/croissant.toml (a path inside a "
        "conjecture never leaves the conjecture's folder, docs/security.md)")


def test_claims_run_in_daemon_workers_that_do_not_fork_again() -> None:
    """A claim runs in another process, a daemon one: it dies with its parent, and inside it the sandbox is
    off (a claim never forks workers of its own)."""
    if not _worker.sandbox_available():
        pytest.skip("no fork here")
    import multiprocessing
    import os

    def probe(claim, timeout):
        where = f"{os.getpid()} {multiprocessing.current_process().daemon} {_worker.sandbox_available()}"
        return Verdict(claim.id, Status.UNKNOWN, "none", reason=where)

    (v,) = _worker.run_claims([_Claim("probe")], probe, timeouts=[5.0])
    pid, daemon, sandbox = v.reason.split()
    assert int(pid) != os.getpid() and daemon == "True" and sandbox == "False", v.reason
