"""Argument checks at the public boundary of the empirical layer (numpy only).

Each helper names the argument and the bad value and raises :class:`boundcheck.errors.UsageError`.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..errors import UsageError

__all__ = ["check_n", "check_dim", "check_points", "check_rng", "check_positive", "check_choice",
           "check_values"]


def check_n(n: Any, name: str = "n", minimum: int = 1) -> int:
    """An integer count >= ``minimum``."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        if isinstance(n, float) and n.is_integer():
            n = int(n)
        else:
            raise UsageError(f"{name} must be an integer >= {minimum}, got {n!r}")
    n = int(n)
    if n < minimum:
        raise UsageError(f"{name} must be an integer >= {minimum}, got {n}")
    return n


def check_dim(dim: Any, space: str, minimum: int = 1, allowed: tuple[int, ...] | None = None) -> int:
    """A dimension the space ``space`` has."""
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        if isinstance(dim, float) and dim.is_integer():
            dim = int(dim)
        else:
            raise UsageError(f"space '{space}': dim must be an integer, got {dim!r}")
    dim = int(dim)
    if allowed is not None and dim not in allowed:
        raise UsageError(f"space '{space}' has no dimension {dim} (allowed: {', '.join(map(str, allowed))})")
    if dim < minimum:
        raise UsageError(f"space '{space}' has no dimension {dim} (needs dim >= {minimum})")
    return dim


def check_positive(x: Any, name: str, *, allow_zero: bool = False) -> float:
    """A finite real number > 0 (or >= 0)."""
    try:
        value = float(x)
    except (TypeError, ValueError) as err:
        msg = f"{name} must be a number, got {x!r}"
        raise UsageError(msg) from err
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise UsageError(f"{name} must be a finite number {'>=' if allow_zero else '>'} 0, got {x!r}")
    return value


def check_choice(value: Any, choices: tuple[str, ...] | list[str], what: str) -> str:
    """One of a set of names."""
    if not isinstance(value, str) or value not in choices:
        raise UsageError(f"unknown {what} {value!r} (known: {', '.join(choices)})")
    return value


def check_points(x: Any, name: str = "points", dim: int | None = None, *, allow_empty: bool = False) -> np.ndarray:
    """A finite float array of shape (n, dim); a 1-D array is read as n points in dimension 1."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as err:
        msg = f"{name} must be an array of numbers"
        raise UsageError(msg) from err
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise UsageError(f"{name} must have shape (n, dim), got shape {arr.shape}")
    if arr.shape[0] == 0 and not allow_empty:
        raise UsageError(f"{name} is empty")
    if dim is not None and arr.shape[1] != dim:
        raise UsageError(f"{name} must have {dim} columns, got {arr.shape[1]}")
    if not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise UsageError(f"{name} contains {bad} non-finite value(s) (nan or inf)")
    return arr


def check_values(x: Any, name: str, n: int | None = None) -> np.ndarray:
    """A finite 1-D float array (of length ``n`` when given)."""
    try:
        arr = np.asarray(x, dtype=float).reshape(-1)
    except (TypeError, ValueError) as err:
        msg = f"{name} must be an array of numbers"
        raise UsageError(msg) from err
    if n is not None and arr.shape[0] != n:
        raise UsageError(f"{name} must have {n} entries, got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise UsageError(f"{name} contains non-finite values (nan or inf)")
    return arr


def check_rng(rng: Any, name: str = "rng") -> np.random.Generator:
    """A numpy Generator (seeds are always explicit)."""
    if not isinstance(rng, np.random.Generator):
        raise UsageError(f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng)}")
    return rng
