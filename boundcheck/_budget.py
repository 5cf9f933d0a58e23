"""Memory budget of the numeric verbs (bottom layer): estimate before allocating, refuse what cannot fit.

``scaling --n 1:1e12`` or a conjecture with ``points = 1e9`` would ask numpy for terabytes; instead of a
MemoryError deep inside (or the machine swapping), the options are checked here against an estimate of
the largest arrays they imply, and the error says what would fit. The budget is half the machine's
memory, at most 8 GiB, or ``BOUNDCHECK_MEMORY_MB`` when set. Estimates are deliberately rough upper
bounds (8-byte floats, a factor for the k-d tree and temporaries): they catch orders of magnitude.
"""

from __future__ import annotations

import math
import os

from .errors import UsageError

__all__ = ["budget_bytes", "check_fits", "MAX_DIM"]

#: Largest dimension of a latent (or ambient) space a measurement accepts: nearest-neighbour search
#: in more dimensions is a brute-force scan and the exponents it measures are not informative.
MAX_DIM = 64
_GIB = 1024 ** 3


def budget_bytes() -> int:
    """Bytes one numeric run may allocate."""
    env = os.environ.get("BOUNDCHECK_MEMORY_MB")
    if env:
        try:
            return max(64, int(float(env))) * 1024 * 1024
        except ValueError:
            pass
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        total = 8 * _GIB
    return int(min(8 * _GIB, total // 2))


def _fmt(nbytes: float) -> str:
    if not math.isfinite(nbytes):
        return "unboundedly much"
    for unit, size in (("TiB", 1024 ** 4), ("GiB", _GIB), ("MiB", 1024 ** 2)):
        if nbytes >= size:
            return f"{nbytes / size:.3g} {unit}"
    return f"{nbytes / 1024:.3g} KiB"


def check_fits(what: str, nbytes: float, *, option: str, value: float, scale: float = 1.0,
               budget: int | None = None) -> None:
    """Raise a UsageError when ``nbytes`` (the estimate for ``option = value``) exceeds the budget.

    ``scale`` says how the estimate grows with the option (1: linearly; 2: quadratically): the message
    gives the largest value of the option that fits, the others unchanged.

    Raises:
        UsageError: "``what`` needs about X for option = value (budget Y); option <= Z would fit".
    """
    budget = budget_bytes() if budget is None else budget
    if nbytes <= budget:
        return
    fits = value * (budget / nbytes) ** (1 / scale) if nbytes > 0 and math.isfinite(nbytes) else 0
    hint = f"; {option} <= {int(fits):,} would fit" if fits >= 1 else ""
    raise UsageError(f"{what} needs about {_fmt(nbytes)} of memory for {option} = {value:,.0f}, more than the budget "
                     f"of {_fmt(budget)} (BOUNDCHECK_MEMORY_MB){hint}")


def check_dim(dim: float | None, option: str = "--dim") -> None:
    """A space's dimension: at most MAX_DIM.

    Raises:
        UsageError: naming the option.
    """
    if dim is not None and dim > MAX_DIM:
        raise UsageError(f"{option} {dim:g}: at most {MAX_DIM} dimensions (nearest-neighbour search beyond that "
                         "is a brute-force scan, and n would need to be astronomically large for a scaling law)")
