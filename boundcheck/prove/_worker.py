"""Hard limits for the ladder (layer 3): each claim in a worker process killed at its deadline.

The rungs watch the clock and an alarm backs them up, but neither can stop a C-level computation (an
integer with millions of digits, a runaway z3 call) or a claim that eats the machine's memory. So every
claim runs in a child process made by ``fork`` after every import (no start-up cost beyond the fork
itself, a few milliseconds): the child caps its address space with ``RLIMIT_AS`` and proves the claim;
the parent waits until the claim's deadline plus a grace period and then kills it (SIGKILL). A claim that
is killed, or that dies of the memory cap, is UNKNOWN with that reason. ``jobs`` runs that many workers at
once; the verdicts do not depend on it (each claim is proved in a fresh copy of the same parent, so one
claim never sees another's caches), and they come back in claim order.

Where ``fork`` is unavailable (Windows) or forbidden (inside a daemonic worker process) claims run in the
calling process under the alarm only; :func:`sandbox_available` says which. Certificates are written by
the parent, with unique file names (``a/b`` and ``a_b`` get ``a_b.smt2`` and ``a_b-2.smt2``).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import UsageError
from .verdict import Status, Verdict

__all__ = ["run_claims", "sandbox_available", "check_timeout", "DEFAULT_MEMORY_MB", "GRACE_SECONDS"]

#: Address space a claim may add to the parent's (MiB).
DEFAULT_MEMORY_MB = 2048
#: Seconds a worker gets past its claim's deadline (the alarm fires at 1.1 t + 0.5) before it is killed.
GRACE_SECONDS = 2.0


def check_timeout(timeout: object, what: str = "timeout") -> float:
    """A claim time limit: a finite positive number of seconds.

    Raises:
        UsageError: nan, inf, zero, negative or not a number.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) \
            or timeout <= 0:
        raise UsageError(f"{what} must be a finite positive number of seconds, got {timeout!r}")
    return float(timeout)


def sandbox_available() -> bool:
    """Whether claims can run in killable worker processes here (``fork``, not inside a daemon process)."""
    return ("fork" in multiprocessing.get_all_start_methods() and hasattr(os, "fork")
            and not multiprocessing.current_process().daemon)


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _set_memory_cap(memory_bytes: int | None) -> None:
    if memory_bytes:
        try:
            import resource

            limit = _vm_bytes() + memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):  # pragma: no cover - no rlimit here; the deadline still holds
            pass


def _prove_safely(prove, claim, timeout: float) -> Verdict:
    try:
        return prove(claim, timeout)
    except MemoryError:
        return Verdict(claim.id, Status.UNKNOWN, "none", reason="out of memory (the per-claim memory cap)")
    except Exception as err:  # noqa: BLE001 - anything left is an internal error, and UNKNOWN is sound
        return Verdict(claim.id, Status.UNKNOWN, "none",
                       reason=f"internal error ({type(err).__name__}: {str(err)[:200]}); please report it")


#: Digits Python may convert between int and str in a worker (its default, 4300, would turn a claim over a
#: number such as (2**4000)**4 into "internal error"; the parser caps input numbers at 5000 digits).
INT_MAX_STR_DIGITS = 100_000


def allow_long_ints() -> None:
    """Raise Python's int <-> str digit limit to INT_MAX_STR_DIGITS (never lower it)."""
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is not None and 0 < get() < INT_MAX_STR_DIGITS:
        sys.set_int_max_str_digits(INT_MAX_STR_DIGITS)


def _worker_loop(tasks, results, claims, prove, timeouts, memory_bytes: int | None) -> None:
    """A worker: proves the claims whose indices arrive on ``tasks`` until it reads None."""
    _set_memory_cap(memory_bytes)
    allow_long_ints()
    try:
        while True:
            i = tasks.recv()
            if i is None:
                break
            v = _prove_safely(prove, claims[i], timeouts[i])
            try:
                results.send((i, v))
            except MemoryError:
                results.send((i, Verdict(claims[i].id, Status.UNKNOWN, "none",
                                         reason="out of memory (the per-claim memory cap)")))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        pass
    finally:
        sys.stdout.flush()


def _write_certificate(v: Verdict, claim_id: str, directory: str | Path, used: set[str]) -> Verdict:
    if not (v.status is Status.PROVED and v.certificate and v.certificate.smtlib):
        return v
    import re

    from .._paths import unique_name

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", claim_id).strip("_.") or "claim"
    path = d / unique_name(f"{stem[:100]}.smt2", used)
    path.write_text(v.certificate.smtlib, encoding="utf-8")
    return replace(v, certificate=replace(v.certificate, path=str(path)))


def run_claims(claims: Sequence, prove: Callable[[object, float], Verdict], *, timeouts: Sequence[float],
               certificates_dir: str | Path | None = None, jobs: int = 1, memory_mb: int | None = DEFAULT_MEMORY_MB,
               progress: Callable[[str, int, int], None] | None = None,
               meanwhile: Callable[[], None] | None = None) -> tuple[Verdict, ...]:
    """Prove ``claims`` with ``prove(claim, timeout)`` (which must not write certificates) under hard limits.

    Args:
        claims: objects with an ``id``.
        prove: the ladder for one claim.
        timeouts: seconds per claim (finite, positive).
        certificates_dir: where the parent writes the SMT-LIB2 obligations of claims proved by z3.
        jobs: worker processes at once (>= 1).
        memory_mb: address space each worker may add (None: no cap).
        progress: ``progress(claim_id, done, total)``.
        meanwhile: called once in this process while the first claims are proved in the workers (work that
            would otherwise delay the run, such as validating another part of the spec); what it raises
            stops the workers and propagates.

    Returns:
        One verdict per claim, in order.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"jobs must be a positive integer, got {jobs!r}")
    total = len(claims)
    out: list[Verdict | None] = [None] * total
    if not sandbox_available():
        if meanwhile is not None:
            meanwhile()
        for i, claim in enumerate(claims):
            if progress is not None:
                progress(claim.id, i, total)
            out[i] = prove(claim, timeouts[i])
    else:
        _pool(claims, prove, timeouts, jobs, memory_mb, progress, out, meanwhile)
    used: set[str] = set()
    if certificates_dir is not None:
        out = [_write_certificate(v, c.id, certificates_dir, used) for c, v in zip(claims, out)]
    if progress is not None:
        progress("", total, total)
    return tuple(out)  # type: ignore[arg-type]


_WARM = False


def _warm() -> None:
    """Do once, in the parent, the lazy imports every claim would otherwise repeat in its worker."""
    global _WARM
    if _WARM:
        return
    _WARM = True
    import sympy as sp
    import sympy.sets.handlers.functions  # noqa: F401 - imported lazily by sympy's set code
    from sympy.physics import units  # noqa: F401 - imported lazily by sp.simplify

    x = sp.Symbol("x", positive=True)
    e = sp.sqrt(x) + sp.log(x) + sp.exp(-x)
    for modules in ("numpy", "mpmath"):
        sp.lambdify([x], e, modules=modules)
    try:
        import z3

        z3.main_ctx()
    except ImportError:  # pragma: no cover
        pass


class _Worker:
    """One worker process of the pool, with the claim it is proving and that claim's deadline."""

    def __init__(self, ctx, claims, prove, timeouts, memory_bytes) -> None:
        # Pipe(duplex=False) returns (receiving end, sending end)
        self.results, results_send = ctx.Pipe(duplex=False)
        tasks_recv, self.tasks_send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_worker_loop, args=(tasks_recv, results_send, claims, prove, timeouts,
                                                           memory_bytes), daemon=True)
        self.proc.start()
        tasks_recv.close()
        results_send.close()
        self.index: int | None = None
        self.start = 0.0
        self.deadline = math.inf

    def give(self, i: int, timeout: float) -> None:
        self.index = i
        self.start = time.monotonic()
        self.deadline = self.start + timeout * 1.1 + 0.5 + GRACE_SECONDS
        self.tasks_send.send(i)

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.tasks_send.send(None)
            except OSError:
                kill = True
            self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.tasks_send.close()
        self.results.close()


def _pool(claims, prove, timeouts, jobs, memory_mb, progress, out, meanwhile=None) -> None:
    from multiprocessing.connection import wait

    _warm()
    ctx = multiprocessing.get_context("fork")
    memory = memory_mb * 1024 * 1024 if memory_mb else None
    pending = list(range(len(claims)))
    workers: list[_Worker] = []
    done = 0
    sys.stdout.flush()
    sys.stderr.flush()

    def spawn() -> _Worker:
        w = _Worker(ctx, claims, prove, timeouts, memory)
        workers.append(w)
        return w

    def feed(w: _Worker) -> None:
        i = pending.pop(0)
        if progress is not None:
            progress(claims[i].id, done, len(claims))
        w.give(i, timeouts[i])

    try:
        for _ in range(min(jobs, len(pending))):
            feed(spawn())
        if meanwhile is not None:
            meanwhile()
        while any(w.index is not None for w in workers):
            busy = [w for w in workers if w.index is not None]
            wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.results for w in busy], timeout=wait_for)
            for w in busy:
                if w.results not in ready:
                    continue
                i = w.index
                try:
                    j, v = w.results.recv()
                except (EOFError, OSError):
                    w.stop(kill=True)
                    workers.remove(w)
                    code = w.proc.exitcode
                    why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
                    v = Verdict(claims[i].id, Status.UNKNOWN, "none", seconds=time.monotonic() - w.start,
                                reason=f"the worker died ({why}); out of memory under the per-claim cap?")
                    w.index = None
                    out[i] = v
                    done += 1
                    if pending:
                        feed(spawn())
                    continue
                out[j] = v
                done += 1
                w.index = None
                if pending:
                    feed(w)
            now = time.monotonic()
            for w in [w for w in workers if w.index is not None and w.deadline <= now]:
                i = w.index
                w.stop(kill=True)
                workers.remove(w)
                out[i] = Verdict(claims[i].id, Status.UNKNOWN, "none", seconds=now - w.start,
                                 reason=f"timeout after {timeouts[i]:g} s (the worker was stopped)")
                done += 1
                if pending:
                    feed(spawn())
    finally:
        for w in workers:
            w.stop(kill=w.index is not None)
