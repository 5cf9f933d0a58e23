"""The example notebook runs from top to bottom (nbclient), so it cannot rot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"


@pytest.mark.slow
def test_notebook_executes(tmp_path: Path, monkeypatch) -> None:
    """Every cell runs without error; the verdict table, a proof and the plots are in the outputs."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the kernel imports this checkout of boundcheck
    nb = nbformat.read(NOTEBOOK, as_version=4)
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<table>" in html and "PROVED" in html and "REFUTED" in html
    assert "it is a sum of terms" in html or "it is a product of factors" in html  # a proof, step by step
    assert "Take " in html  # the witness of the refuted exponent
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # the terms plot and the matplotlib plot
    assert not [o for o in outputs if o.get("output_type") == "error"]
