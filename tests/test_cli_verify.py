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
