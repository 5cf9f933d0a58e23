"""The hostile-input corpus of issue 12: every reproduction, as (files, command line, expected outcome).

Each case writes its files into an ``input/`` folder, runs ``boundcheck ARGS`` with ``out/`` as the
working folder, and states the exit code and a piece of the message it must print. Files are made here
rather than stored, so that large inputs (100000 claims, deep nesting) cost nothing in the repository.
A ``BAIT`` file sits beside ``input/``: a case that tries to read it must fail, and its text must never
appear in anything written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

BAIT = "BAIT-SECRET-8f3a1c"  # the text of the files outside the input folder

GOOD = """name = "t"
[symbols]
x = { kind = "real", min = 1, max = 2 }
n = { kind = "integer", min = 1 }
"""


def spec(extra: str = "", claims: str = '[[claims]]\nid = "a"\nkind = "positive"\nexpr = "x"\n',
         header: str = GOOD) -> str:
    return header + extra + claims


def _conj(spec_file: str, **search: str) -> str:
    text = _conj_text(spec_file)
    for k, v in search.items():
        if f"\n{k} = " in text:
            text = re.sub(rf"\n{k} = [^\n]*", f"\n{k} = {v}", text)
        else:
            text = text.replace("budget = 5\n", f"budget = 5\n{k} = {v}\n")
    return text


def _conj_text(spec_file: str) -> str:
    return f"""name = "c"
[conjecture]
quantity = "spec_gap"
exponent = "-1/hausdorff_dim"
[search]
spaces = [{{ name = "cube", dim = [1, 2] }}]
n = [64, 2048]
points = 4
seeds = 2
queries = 200
budget = 5
[spec]
file = "{spec_file}"
expr = "1/sqrt(n)"
var = "n"
"""


@dataclass(frozen=True)
class Case:
    """One hostile input: its files, the command line (paths relative to ``input/`` are written as
    ``@name``), the exit code and a piece of the message expected, and the time allowed."""

    id: str
    files: dict[str, str | bytes]
    argv: tuple[str, ...]
    code: int
    says: str = ""
    seconds: float = 20.0
    stdin: str | None = None
    extra: dict = field(default_factory=dict)


def _artifact(**changes) -> str:
    data = {"format": "boundcheck-falsify-artifact/1", "conjecture": {"text": _conj("spec.toml"), "path": "c.toml",
                                                                     "spec_text": spec()},
            "scenario": {"quantity": "spec_gap", "space": {"name": "cube", "dim": 1}, "sampler": {"name": "iid"},
                         "map": {"name": "identity"}, "loss": None, "good": "mean", "bind": {}, "seed": 1},
            "seed": 1, "ns": [64, 128, 256, 512], "values": [[0.1, 0.1, 0.1, 0.1]] * 4, "summary": "s",
            "plot": None}
    data.update(changes)
    return json.dumps(data)


_CHAIN = "".join(f'a{i} = "a{i - 1}*a{i - 1} + x"\n' for i in range(1, 41))
_SQUARE = "".join(f'a{i} = "a{i - 1}*a{i - 1}"\n' for i in range(1, 41))
_MANY = "".join(f'[[claims]]\nid = "c{i}"\nkind = "positive"\nexpr = "x"\n' for i in range(20000))
_TEX = {
    "pdfmapfile": r"\\pdfmapfile{/etc/passwd}",
    "opencatalog": r"\\pdfcatalog{/OpenAction<</S/JavaScript/JS(app.alert(1))>>}",
    "launch": r"\\pdfannot width 1pt height 1pt depth 0pt{/Subtype/Link/A<</S/Launch/F(/bin/sh)>>}",
    "pdfinfo": r"\\pdfinfo{/Author(x)}",
    "chardef": r"\\chardef\\x=1",
    "catcode": r"\\catcode`\\%=11",
    "input": r"\\input{../bait.txt}",
    "caret-hex": r"x^^5cinput",
}

CASES: tuple[Case, ...] = (
    # --- critical: outside the output folder -------------------------------------------------------------
    Case("name-dotdot", {"s.toml": spec(header='name = "../../x"\n' + GOOD.split("\n", 1)[1])},
         ("latex", "@s.toml"), 0, "boundcheck-report/x/report.tex"),
    Case("name-dots", {"s.toml": spec(header='name = ".."\n' + GOOD.split("\n", 1)[1])},
         ("latex", "@s.toml"), 0, "boundcheck-report/bound/report.tex"),
    Case("name-absolute", {"s.toml": spec(header='name = "/tmp/x"\n' + GOOD.split("\n", 1)[1])},
         ("latex", "@s.toml"), 0, "boundcheck-report/tmp-x/report.tex"),
    Case("plot-outside", {"s.toml": spec(), "a.json": _artifact(plot="../bait.png")},
         ("latex", "@s.toml", "--counterexample", "@a.json"), 2, "leaves the folder"),
    Case("plot-absolute", {"s.toml": spec(), "a.json": _artifact(plot="/etc/passwd.png")},
         ("latex", "@s.toml", "--counterexample", "@a.json"), 2, "is absolute"),
    Case("plot-not-graphic", {"s.toml": spec(), "a.json": _artifact(plot="/etc/passwd")},
         ("latex", "@s.toml", "--counterexample", "@a.json"), 2, "must be a .pdf"),
    Case("check-plot-outside", {"s.toml": spec(), "a.json": _artifact(plot="../bait.png")},
         ("check", "@s.toml", "--no-pdf", "--stress-examples", "0", "--counterexamples", "@a.json"), 2,
         "leaves the folder"),
    *(Case(f"tex-{k}", {"s.toml": spec().replace('max = 2 }', f'max = 2, latex = "{v}" }}', 1)},
           ("latex", "@s.toml"), 2, "symbols.x.latex") for k, v in _TEX.items()),
    Case("conjecture-spec-absolute", {"c.toml": _conj("/etc/hostname")}, ("falsify", "@c.toml"), 2, "is absolute"),
    Case("conjecture-spec-dotdot", {"c.toml": _conj("../bait.toml")}, ("falsify", "@c.toml"), 2, "leaves the folder"),
    Case("conjecture-spec-device", {"c.toml": _conj("/dev/zero")}, ("falsify", "@c.toml"), 2, "is absolute"),
    Case("replay-recorded-path", {"a.json": _artifact(conjecture={"text": _conj("../bait.toml"),
                                                                  "path": "/somewhere/c.toml"})},
         ("falsify", "--replay", "@a.json"), 2, "leaves the folder"),
    # --- high: limits ------------------------------------------------------------------------------------
    Case("timeout-nan-spec", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="positive"\nexpr="x"\ntimeout=nan\n')},
         ("verify", "@s.toml"), 2, "claims[0].timeout"),
    Case("timeout-nan-cli", {"s.toml": spec()}, ("verify", "@s.toml", "--timeout", "nan"), 2, "--timeout"),
    Case("timeout-inf-cli", {"s.toml": spec()}, ("verify", "@s.toml", "--timeout", "inf"), 2, "--timeout"),
    Case("squaring-40", {"s.toml": spec('[definitions]\na0 = "x + 1"\n' + _CHAIN, '[[claims]]\nid="a"\n'
                                        'kind="positive"\nexpr="a40"\n')}, ("verify", "@s.toml"), 2, "definitions.a",
         seconds=30, extra={"parse_seconds": 1.0}),
    Case("pure-squaring-40", {"s.toml": spec('[definitions]\na0 = "x + 1"\n' + _SQUARE, '[[claims]]\nid="a"\n'
                                             'kind="positive"\nexpr="a40"\n')},
         ("verify", "@s.toml", "--timeout", "1"), 0, "unknown in", seconds=30),  # bounded; any verdict
    Case("tower", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="positive"\nexpr="((2**4096)**4096)**4096"\n')},
         ("verify", "@s.toml"), 2, "more than 5000 digits"),
    Case("gamma-huge", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="positive"\nexpr="gamma(10**9)"\n')},
         ("verify", "@s.toml"), 2, "gamma"),
    Case("literal-exponent", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="positive"\nexpr="1e999999999"\n')},
         ("verify", "@s.toml"), 2, "out of range"),
    Case("many-claims", {"s.toml": spec(claims=_MANY)}, ("verify", "@s.toml", "--only", "c7"), 0, "1 proved",
         seconds=40),
    Case("dev-zero", {}, ("verify", "/dev/zero"), 2, "not a regular file"),
    Case("folder", {}, ("verify", "."), 2, "folder"),
    Case("huge-file", {"s.toml": b"#" * (17 * 1024 * 1024)}, ("verify", "@s.toml"), 2, "the limit is"),
    Case("scaling-n", {}, ("scaling", "--n", "1:1e12"), 2, "would fit"),
    Case("scaling-queries", {}, ("scaling", "--queries", "1000000000000"), 2, "would fit"),
    Case("scaling-dim", {}, ("scaling", "--dim", "1000"), 2, "at most 64"),
    Case("scaling-plot-exe", {}, ("scaling", "--plot", "x.exe"), 2, "--plot"),
    Case("double-descent-n", {}, ("double-descent", "--n", "10000000"), 2, "would fit"),
    Case("stress-queries", {"s.toml": spec()}, ("stress", "@s.toml", "--queries", "10000000000"), 2, "would fit"),
    Case("conjecture-points", {"c.toml": _conj("spec.toml", points="1000000000"), "spec.toml": spec()},
         ("falsify", "@c.toml"), 2, "search.points"),
    Case("conjecture-n-boot", {"c.toml": _conj("spec.toml", n_boot="1000000000"), "spec.toml": spec()},
         ("falsify", "@c.toml"), 2, "search.n_boot"),
    Case("conjecture-queries", {"c.toml": _conj("spec.toml", queries="1000000000000"), "spec.toml": spec()}, ("falsify", "@c.toml"), 2, "search.queries"),
    Case("replay-dim", {"a.json": _artifact(scenario={"quantity": "spec_gap", "space": {"name": "cube",
                                                                                         "dim": 1000000}})},
         ("falsify", "--replay", "@a.json"), 2, "scenario.space.dim"),
    Case("replay-values-string", {"a.json": _artifact(values="abc")}, ("falsify", "--replay", "@a.json"), 2,
         "'values'"),
    Case("replay-huge-int", {"a.json": _artifact().replace('"seed": 1,', '"seed": ' + "9" * 150000 + ",", 1)},
         ("falsify", "--replay", "@a.json"), 2, "cannot read artifact"),
    # --- errors as messages -----------------------------------------------------------------------------
    Case("markup-expr", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="positive"\nexpr="x[/]"\n')},
         ("verify", "@s.toml"), 2, "x[/]"),
    Case("markup-section-names", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="increasing"\nexpr="x"\n'
                                                        'var="zz"\n')}, ("verify", "@s.toml"), 2, "[symbols]"),
    Case("min-sqrt-minus-one", {"s.toml": spec(header='[symbols]\nx = { kind = "real", min = "sqrt(-1)" }\n')},
         ("verify", "@s.toml"), 2, "real number"),
    Case("min-minus-oo", {"s.toml": spec(header='[symbols]\nx = { kind = "real", min = "-oo" }\n')},
         ("verify", "@s.toml"), 2, "finite"),
    Case("nesting-5000", {"s.toml": "a = " + "[" * 5000 + "]" * 5000 + "\n"}, ("verify", "@s.toml"), 2,
         "nested too deeply"),
    Case("out-is-a-file", {"s.toml": spec()}, ("check", "@s.toml", "-o", "@s.toml"), 2, "not a folder"),
    Case("json-is-a-folder", {"s.toml": spec()}, ("verify", "@s.toml", "--json", "."), 2, "is a folder"),
    Case("json-parent-missing", {"s.toml": spec()}, ("verify", "@s.toml", "--json", "no/such/x.json"), 2,
         "does not exist"),
    Case("certificates-is-a-file", {"s.toml": spec()}, ("verify", "@s.toml", "--certificates", "@s.toml"), 2,
         "not a folder"),
    Case("digits-4300", {"s.toml": spec('[definitions]\nb = "(2**4000)**4"\n',
                                        '[[claims]]\nid="a"\nkind="positive"\nexpr="x + b"\n')},
         ("verify", "@s.toml"), 0, "1 proved"),
    # --- low ------------------------------------------------------------------------------------------------
    Case("markup-title", {"s.toml": spec(header='title = "[bold red]T[/] [link=file:///etc/passwd]l[/link]"\n'
                                                + GOOD)}, ("verify", "@s.toml"), 0, "[link=file:///etc/passwd]"),
    Case("escape-sequence", {"s.toml": spec(claims='[[claims]]\nid="a\\u001b[2J"\nkind="positive"\nexpr="x"\n')},
         ("verify", "@s.toml"), 2, "control character"),
    Case("fullwidth-pi", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="positive"\nexpr="x + ｐｉ"\n')},
         ("verify", "@s.toml"), 2, "non-ASCII"),
    Case("version", {"s.toml": "version = 2\n" + spec()}, ("verify", "@s.toml"), 2, "version 2"),
    Case("bad-stress-table", {"s.toml": spec("[stress]\nfoo = 1\n")}, ("verify", "@s.toml"), 2, "stress.foo"),
    Case("keyword-symbol", {"s.toml": spec(header='[symbols]\nfor = { kind = "real", min = 1 }\n',
                                           claims='[[claims]]\nid="a"\nkind="positive"\nexpr="1"\n')},
         ("verify", "@s.toml"), 2, "reserved word"),
    Case("bom", {"s.toml": "\ufeff" + spec()}, ("verify", "@s.toml"), 2, "BOM"),
    Case("cycle", {"s.toml": spec('[definitions]\na = "b + 1"\nb = "a + 1"\n')}, ("verify", "@s.toml"), 2,
         "definition cycle: a -> b -> a"),
    Case("sum-201", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="positive"\nexpr="' + "+".join(["x"] * 201)
                                           + '"\n')}, ("verify", "@s.toml"), 0, "1 proved"),
    Case("long-expression", {"s.toml": spec(claims='[[claims]]\nid="a"\nkind="positive"\nexpr="' + "x+" * 1500
                                                   + 'zz"\n')}, ("verify", "@s.toml"), 2, "unknown name 'zz'",
         extra={"max_stderr": 600}),
    Case("stdin", {}, ("verify", "-"), 0, "1 proved", stdin=spec()),
)
