"""CLI tests of `boundcheck verify`: exit codes, JSON, bad input."""

import json

from boundcheck.cli import main


def test_verify_croissant_exit_0_and_json(tmp_path, capsys):
    """All Croissant verdicts match their 'expect': exit 0, JSON written with counts."""
    out = tmp_path / "v.json"
    assert main(["verify", "examples/croissant.toml", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["counts"]["refuted"] == 1 and data["counts"]["unknown"] == 0
    assert not data["expectation_failures"]
    text = capsys.readouterr().out
    assert "REFUTED" in text and "PROVED" in text


def test_verify_wrong_expectation_exit_1(tmp_path):
    """A claim whose verdict differs from 'expect' makes the exit code 1."""
    spec = tmp_path / "s.toml"
    spec.write_text('[symbols]\nx = { kind = "real", min = 0 }\n[[claims]]\nid = "c"\nkind = "nonnegative"\n'
                    'expr = "x - 1"\nexpect = "proved"\n')
    assert main(["verify", str(spec)]) == 1


def test_verify_bad_input_exit_2(tmp_path, capsys):
    """Code in an expression: exit code 2, a message naming file, key and line."""
    spec = tmp_path / "bad.toml"
    spec.write_text('[symbols]\nx = { kind = "real" }\n[definitions]\nf = "__import__(\'os\')"\n')
    assert main(["verify", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml:4" in err and "definitions.f" in err


def test_verify_only_one_claim(tmp_path):
    """--only runs the named claims alone; an unknown id is bad input."""
    out = tmp_path / "v.json"
    assert main(["verify", "examples/croissant.toml", "--only", "gap-exponent", "--only", "derivation:covering",
                 "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert [c["claim"] for c in data["claims"]] == ["gap-exponent", "derivation:covering"]
    assert data["claims"][0]["status"] == "refuted"
    assert main(["verify", "examples/croissant.toml", "--only", "no-such-claim"]) == 2


def test_verify_jobs_default_is_auto_and_bounded(monkeypatch, capsys):
    """--jobs defaults to 'auto': one worker per available core, at most MAX_AUTO_JOBS; the verb passes the
    resolved number on. An explicit --jobs 1 is kept; a word other than 'auto' is exit 2."""
    import os

    import boundcheck.api as api
    from boundcheck.cli import _common

    seen = []
    real = api.verify

    def spy(problem, **kw):
        seen.append(kw["jobs"])
        return real(problem, **kw)

    monkeypatch.setattr(api, "verify", spy)
    args = ["verify", "examples/croissant.toml", "--only", "bound-decreasing-in-n"]
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert main(args) == 0 and seen[-1] == _common.MAX_AUTO_JOBS
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert main(args) == 0 and seen[-1] == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert main(args + ["--jobs", "1"]) == 0 and seen[-1] == 1
    assert main(args + ["--jobs", "auto"]) == 0 and seen[-1] == 2
    try:
        main(args + ["--jobs", "many"])
    except SystemExit as exc:  # argparse's own exit for a bad option value
        assert exc.code == 2
    else:
        raise AssertionError("--jobs many was accepted")
