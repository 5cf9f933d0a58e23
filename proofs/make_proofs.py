"""Regenerate the proof obligations in this folder (run from the repository root).

    python proofs/make_proofs.py [--out FOLDER]

Writes proofs/croissant/*.smt2 (one per claim of examples/croissant.toml that z3 proved) and
proofs/lemmas/*.smt2 (the 1-D grid covering lemma). tests/test_proofs.py re-checks every file with z3
and checks that regenerating them into a temporary folder (``--out``) gives the same files.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    import argparse

    from boundcheck import load, verify
    from boundcheck.prove.lemmas import grid_covering_1d

    ap = argparse.ArgumentParser(description="regenerate the SMT-LIB2 obligations")
    ap.add_argument("--out", default=str(ROOT / "proofs"), help="folder to write into (default: proofs/)")
    base = Path(ap.parse_args(argv).out)
    out = base / "croissant"
    for old in out.glob("*.smt2"):
        old.unlink()
    problem = load(ROOT / "examples" / "croissant.toml")
    verdicts = verify(problem, certificates_dir=out)
    lemma = grid_covering_1d()
    ldir = base / "lemmas"
    ldir.mkdir(parents=True, exist_ok=True)
    for label, text in lemma.obligations:
        (ldir / f"{lemma.name}-{label}.smt2").write_text(text, encoding="utf-8")
    bad = [v for v in verdicts if v.claim_id.startswith("derivation:") and not v.proved]
    sys.stdout.write(f"{sum(v.proved for v in verdicts)} claims proved; lemma {lemma.name}: {lemma.results}\n")
    return 1 if bad or not lemma.proved else 0


if __name__ == "__main__":
    sys.exit(main())
