"""Tests of the spec reader: the Croissant example and table-driven bad input."""

import textwrap

import pytest
import sympy as sp

from boundcheck.errors import SpecError
from boundcheck.spec import load, loads

GOOD = textwrap.dedent('''
    name = "t"
    [symbols]
    n = { kind = "integer", min = 1 }
    x = { kind = "real", min_open = 0, max = 1 }
    [definitions]
    f = "1/n + x"
    [[claims]]
    id = "c1"
    kind = "decreasing"
    expr = "f"
    var = "n"
''')


def test_croissant_loads():
    """The flagship spec loads with its symbols, definitions and claims."""
    p = load("examples/croissant.toml")
    assert [s.name for s in p.symbols][:3] == ["n", "d", "K"]
    assert p.symbol("n").sym.is_integer and p.symbol("n").sym.is_positive
    assert p.symbol("delta").lo_open and p.symbol("delta").hi_open
    n, d = p.symbol("n").sym, p.symbol("d").sym
    assert sp.simplify(p.definition("radius").expanded - sp.sqrt(d) / 2 * n ** (-1 / d)) == 0
    assert {c.id for c in p.claims} >= {"bound-decreasing-in-n", "gap-exponent", "gap-exponent-d-ge-2"}
    assert p.claims[0].line is not None


def test_definitions_expand_in_order():
    """A definition using an earlier one is expanded into spec symbols only."""
    p = loads(GOOD)
    assert p.definition("f").expanded.free_symbols == {p.symbol("n").sym, p.symbol("x").sym}
    assert p.claims[0].expr == p.definition("f").expanded


def _replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


BAD = [
    ("toml", "name = [", "not valid TOML", None),
    ("unknown-name", _replace('f = "1/n + x"', 'f = "1/n + y"'), "unknown name 'y'", "definitions.f"),
    ("code", _replace('f = "1/n + x"', 'f = "__import__(\'os\').system(\'touch /tmp/pwned\')"'),
     "only plain function names may be called", "definitions.f"),
    ("empty-domain", _replace('x = { kind = "real", min_open = 0, max = 1 }', 'x = { kind = "real", min = 2, max = 1 }'),
     "empty domain", "symbols.x"),
    ("empty-open", _replace('x = { kind = "real", min_open = 0, max = 1 }', 'x = { kind = "real", min_open = 1, max = 1 }'),
     "empty domain", "symbols.x"),
    ("empty-integer", _replace('n = { kind = "integer", min = 1 }', 'n = { kind = "integer", min = "1/3", max = "2/3" }'),
     "no integer", "symbols.n"),
    ("unknown-var", _replace('var = "n"', 'var = "m"'), "'var' must name a symbol", "claims[0].var"),
    ("bad-kind", _replace('kind = "decreasing"', 'kind = "shrinking"'), "kind must be one of", "claims[0].kind"),
    ("missing-expr", _replace('expr = "f"\n', ''), "needs 'expr'", "claims[0].expr"),
    ("typo-key", _replace('var = "n"', 'var = "n"\nexpct = "proved"'), "unknown key 'expct'", "claims[0].expct"),
    ("bad-expect", _replace('var = "n"', 'var = "n"\nexpect = "true"'), "expect must be one of", "claims[0].expect"),
    ("symbol-kind", _replace('kind = "integer"', 'kind = "natural"'), "kind must be", "symbols.n.kind"),
    ("reserved-name", _replace('n = { kind', 'Eq = { kind'), "cannot be a symbol name", "symbols.Eq"),
    ("dup-id", GOOD + '[[claims]]\nid = "c1"\nkind = "positive"\nexpr = "f"\n', "duplicate claim id", "claims[1].id"),
    ("bad-assume", _replace('var = "n"', 'var = "n"\nassume = ["n"]'), "expected a comparison", "claims[0].assume[0]"),
]


@pytest.mark.parametrize("text,fragment,key", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input(tmp_path, text, fragment, key):
    """Each malformed spec raises SpecError naming the file, the key and a line."""
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        load(path)
    err = info.value
    assert fragment in str(err)
    assert err.file == str(path)
    assert err.line is not None
    if key:
        assert err.key == key


def test_error_line_points_at_the_key(tmp_path):
    """The reported line is the line of the offending key."""
    text = _replace('f = "1/n + x"', 'f = "1/n + y"')
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        load(path)
    line = text.splitlines()[info.value.line - 1]
    assert line.startswith("f = ")


def test_code_in_spec_never_runs(tmp_path):
    """An expression with code raises and leaves no trace on disk."""
    marker = tmp_path / "pwned"
    text = _replace('f = "1/n + x"', f'f = "__import__(\'os\').system(\'touch {marker}\')"')
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(SpecError):
        load(path)
    assert not marker.exists()
