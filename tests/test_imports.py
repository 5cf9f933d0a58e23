"""The layers of DESIGN.md: lower layers do not import upper ones or solvers."""

import subprocess
import sys

import pytest

CASES = [
    ("boundcheck.parse", ["z3", "numpy", "rich", "matplotlib", "boundcheck.prove"]),
    ("boundcheck.spec", ["z3", "numpy", "rich", "matplotlib", "boundcheck.prove"]),
    ("boundcheck.symbolic", ["z3", "rich", "matplotlib", "boundcheck.prove", "boundcheck.report"]),
    ("boundcheck.empirical", ["sympy", "z3", "boundcheck.prove", "boundcheck.symbolic", "boundcheck.spec"]),
    ("boundcheck.prove.ladder", ["rich", "matplotlib", "boundcheck.report", "boundcheck.cli"]),
]


@pytest.mark.parametrize("module,forbidden", CASES, ids=[c[0] for c in CASES])
def test_layer_imports(module, forbidden):
    """Importing a layer in a fresh interpreter pulls in none of the forbidden modules."""
    code = (f"import sys, {module}\n"
            f"bad = [m for m in {forbidden!r} if m in sys.modules]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_library_does_not_print():
    """No print() in library code outside cli/ and report/."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "boundcheck"
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("cli/", "report/")):
            continue
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if re.match(r"\s*print\(", line):
                offenders.append(f"{rel}:{i}")
    assert offenders == []
