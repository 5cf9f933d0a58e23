"""The counterexample search (layer 5 ``falsify``): proposes scenarios, evaluates them in parallel.

Two strategies share one evaluation back end (:class:`Runner`: in-process, a local process pool, or a
dask.distributed cluster):

* ``hypothesis``: Hypothesis draws batches of scenarios from :func:`._scenario.scenario_strategy` and
  ``target()`` steers it toward the largest deviation, one label per kind (quantity and space) so that
  every kind gets its own optimisation rather than one kind taking the whole budget. It runs in rounds
  sized to the remaining budget.
* ``evolve``: a steady-state evolutionary search that keeps every worker busy: half of the proposals
  are fresh random scenarios, half mutate one of the best scenarios of a randomly chosen quantity.
* ``random``: fresh random scenarios only (the baseline).

No strategy is told where counterexamples are: they see only the conjecture's scenario space and the
scores of what they evaluated.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import UsageError
from ._format import Conjecture, loads_conjecture
from ._measure import Evaluation, evaluate
from ._scenario import Scenario, draw_scenario, mutate_scenario, scenario_strategy, sweep_scenarios

__all__ = ["STRATEGIES", "SearchProgress", "SearchResult", "Runner", "search", "evaluate_payload", "kind_of"]

log = logging.getLogger(__name__)

STRATEGIES = ("hypothesis", "evolve", "random")
_CACHE: dict[str, Conjecture] = {}


def _payload_key(payload: dict[str, Any]) -> str:
    h = hashlib.sha256()
    for k in ("text", "path", "spec_text"):
        h.update(repr(payload.get(k)).encode())
    return h.hexdigest()


def conjecture_from_payload(payload: dict[str, Any]) -> Conjecture:
    """Rebuild (once per process) the conjecture a payload describes."""
    key = _payload_key(payload)
    conj = _CACHE.get(key)
    if conj is None:
        conj = loads_conjecture(payload["text"], file=payload.get("path"), spec_text=payload.get("spec_text"))
        _CACHE[key] = conj
    return conj


def evaluate_payload(payload: dict[str, Any], scenario: dict[str, Any]) -> Evaluation:
    """Worker entry point (picklable arguments): evaluate one scenario of a conjecture."""
    return evaluate(conjecture_from_payload(payload), Scenario.from_dict(scenario))


def kind_of(ev: Evaluation) -> str:
    """The kind of a counterexample, for grouping: quantity and space."""
    return f"{ev.scenario.quantity}/{ev.scenario.space}"


@dataclass(frozen=True, slots=True)
class SearchProgress:
    """What a progress display needs after each evaluation."""

    elapsed: float
    budget: float
    evaluated: int
    refuted: int
    best: Evaluation | None
    last: Evaluation | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The outcome of a search.

    Invariants: ``counterexamples`` are the ``refuted`` evaluations ranked by decreasing score;
    ``first_found`` maps each counterexample kind (:func:`kind_of`) to the seconds into the search
    when it was first seen.
    """

    conjecture: Conjecture
    evaluations: tuple[Evaluation, ...]
    counterexamples: tuple[Evaluation, ...]
    pre_asymptotic: tuple[Evaluation, ...]
    elapsed: float
    seed: int
    strategy: str
    workers: int
    backend: str
    first_found: tuple[tuple[str, float], ...] = ()
    invalid: int = 0
    unsettled: tuple[Evaluation, ...] = field(default=())

    @property
    def scenarios_per_second(self) -> float:
        return len(self.evaluations) / self.elapsed if self.elapsed > 0 else math.nan


class Runner:
    """Evaluates scenarios in-process, on a local process pool, or on a dask.distributed cluster."""

    def __init__(self, conj: Conjecture, *, workers: int = 1, dask: str | Any | None = None) -> None:
        self.payload = conj.payload()
        self.conj = conj
        self.workers = max(1, int(workers))
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._own_client = False
        if dask is not None:
            try:
                from distributed import Client
            except ImportError as err:
                msg = '--dask needs dask.distributed: pip install "dask[distributed]" (the "dask" extra)'
                raise UsageError(msg) from err
            if isinstance(dask, str):
                try:
                    self._client = Client(dask, timeout=20)
                except (OSError, TimeoutError, ValueError) as err:
                    raise UsageError(f"cannot connect to the dask scheduler at {dask!r}: {err}") from err
                self._own_client = True
            else:
                self._client = dask
            self.backend = "dask"
            try:
                self.workers = max(1, sum(self._client.nthreads().values()))
            except Exception:  # noqa: BLE001 - a count for the pipeline depth only
                self.workers = max(1, self.workers)
        elif self.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
            self.backend = "process-pool"
        else:
            self.backend = "in-process"

    def submit(self, scen: Scenario) -> Future | Any:
        if self._client is not None:
            return self._client.submit(evaluate_payload, self.payload, scen.to_dict(), pure=False)
        if self._pool is not None:
            return self._pool.submit(evaluate_payload, self.payload, scen.to_dict())
        fut: Future = Future()
        fut.set_result(evaluate(self.conj, scen))
        return fut

    def wait_any(self, futures: Sequence[Any]) -> list[Any]:
        """Futures among ``futures`` that are done (at least one)."""
        if self._client is not None:
            from distributed import wait as dwait

            done = dwait(list(futures), return_when="FIRST_COMPLETED").done
            return [f for f in futures if f in done]
        done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
        return [f for f in futures if f in done]

    def run_batch(self, scenarios: Sequence[Scenario]) -> list[Evaluation]:
        """Evaluate scenarios (in parallel where possible), results in order."""
        futures = [self.submit(s) for s in scenarios]
        return [f.result() for f in futures]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None and self._own_client:
            self._client.close()
        self._client = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Budget(BaseException):
    """Raised inside the Hypothesis test to end a round (a BaseException: Hypothesis does not shrink it)."""


class _State:
    def __init__(self, conj: Conjecture, budget: float, progress: Callable[[SearchProgress], None] | None,
                 max_scenarios: int | None) -> None:
        self.conj = conj
        self.budget = budget
        self.progress = progress
        self.max_scenarios = max_scenarios
        self.start = time.perf_counter()
        self.results: dict[Scenario, Evaluation] = {}
        self.order: list[Evaluation] = []
        self.first_found: dict[str, float] = {}
        self.best: Evaluation | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def out_of_budget(self) -> bool:
        if self.max_scenarios is not None and len(self.order) >= self.max_scenarios:
            return True
        return self.elapsed() >= self.budget

    def record(self, ev: Evaluation) -> None:
        self.results[ev.scenario] = ev
        self.order.append(ev)
        if ev.verdict == "refuted":
            self.first_found.setdefault(kind_of(ev), self.elapsed())
        if self.best is None or ev.score > self.best.score:
            self.best = ev
        if ev.verdict == "invalid":
            log.debug("invalid scenario %s: %s", ev.scenario.describe(), ev.note)
        if self.progress is not None:
            self.progress(SearchProgress(elapsed=self.elapsed(), budget=self.budget, evaluated=len(self.order),
                                         refuted=sum(1 for e in self.order if e.verdict == "refuted"),
                                         best=self.best, last=ev))


def _sweep(state: _State, runner: Runner, seed: int) -> None:
    """The opening design (:func:`._scenario.sweep_scenarios`), every worker busy, until done or out of budget."""
    todo = sweep_scenarios(state.conj, np.random.default_rng([seed, 777]))
    in_flight: dict[Any, Scenario] = {}
    depth = runner.workers * (2 if runner.backend != "in-process" else 1)
    while todo or in_flight:
        while todo and len(in_flight) < depth and not state.out_of_budget():
            scen = todo.pop(0)
            if scen not in state.results:
                in_flight[runner.submit(scen)] = scen
        if not in_flight:
            break
        for fut in runner.wait_any(list(in_flight)):
            in_flight.pop(fut)
            state.record(fut.result())
        if state.out_of_budget():
            todo = []
            for fut in list(in_flight):  # queued ones that have not started: the budget is spent
                if isinstance(fut, Future) and fut.cancel():  # (a dask future is left to finish)
                    in_flight.pop(fut)


def _run_hypothesis(state: _State, runner: Runner, seed: int) -> None:
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings, target
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    conj = state.conj
    batch = runner.workers
    _sweep(state, runner, seed)
    strategy = st.lists(scenario_strategy(conj), min_size=batch, max_size=batch)
    round_no = 0
    per_batch = None
    while not state.out_of_budget():
        remaining = state.budget - state.elapsed()
        examples = 12 if per_batch is None else int(max(8, min(400, remaining / max(per_batch, 1e-3))))

        def one(scenarios: list[Scenario]) -> None:
            if state.out_of_budget():
                raise _Budget()
            todo = [s for s in dict.fromkeys(scenarios) if s not in state.results]
            t0 = time.perf_counter()
            for ev in runner.run_batch(todo):
                state.record(ev)
            nonlocal_times.append(time.perf_counter() - t0)
            best: dict[str, float] = {}
            for s in scenarios:
                ev = state.results[s]
                best[kind_of(ev)] = max(best.get(kind_of(ev), -1.0), ev.score)
            for label, v in sorted(best.items()):
                target(v, label=label)

        nonlocal_times: list[float] = []
        test = given(strategy)(one)
        test = settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                        phases=(Phase.generate, Phase.target), suppress_health_check=list(HealthCheck),
                        verbosity=Verbosity.quiet, print_blob=False)(test)
        test = hseed(int(np.random.default_rng([seed, round_no]).integers(2**31)))(test)
        try:
            test()
        except _Budget:
            break
        if nonlocal_times:
            per_batch = float(np.mean(nonlocal_times))
        round_no += 1


def _run_streaming(state: _State, runner: Runner, seed: int, evolve: bool) -> None:
    rng = np.random.default_rng([seed, 424242])
    conj = state.conj
    in_flight: dict[Any, Scenario] = {}
    depth = runner.workers * (2 if runner.backend != "in-process" else 1)
    proposals = 0

    def propose() -> Scenario:
        nonlocal proposals
        proposals += 1
        if evolve and state.order and proposals > 2 * depth and rng.random() < 0.5:
            q = conj.quantities[int(rng.integers(len(conj.quantities)))]
            pool = sorted((e for e in state.order if e.scenario.quantity == q and e.verdict != "invalid"),
                          key=lambda e: -e.score)[:5]
            if pool:
                parent = pool[int(rng.integers(len(pool)))]
                return mutate_scenario(conj, parent.scenario, rng)
        return draw_scenario(conj, rng)

    while True:
        while len(in_flight) < depth and not state.out_of_budget():
            scen = propose()
            if scen in state.results or scen in in_flight.values():
                continue
            in_flight[runner.submit(scen)] = scen
        if not in_flight:
            break
        for fut in runner.wait_any(list(in_flight)):
            in_flight.pop(fut)
            state.record(fut.result())
        if state.out_of_budget():
            for fut in list(in_flight):
                state.record(fut.result())
                in_flight.pop(fut)
            break


def search(conj: Conjecture, *, budget: float | None = None, seed: int = 0, workers: int | None = None,
           dask: str | Any | None = None, strategy: str = "hypothesis",
           progress: Callable[[SearchProgress], None] | None = None,
           max_scenarios: int | None = None) -> SearchResult:
    """Search the conjecture's scenario space for counterexamples.

    Args:
        conj: the conjecture.
        budget: seconds of search (default: the file's ``[search] budget``). Scenarios running when it
            expires are finished.
        seed: seed of the search (each scenario carries its own seed, so artifacts replay alone).
        workers: local processes (default: the number of CPUs); 1 evaluates in this process.
        dask: address of a dask.distributed scheduler, or a ``distributed.Client``: evaluate there.
        strategy: one of :data:`STRATEGIES`.
        progress: called after every evaluation.
        max_scenarios: stop after this many evaluations (tests, benchmarks).

    Returns:
        A :class:`SearchResult`.

    Raises:
        UsageError: bad strategy, budget or workers; dask missing or unreachable.
    """
    if strategy not in STRATEGIES:
        raise UsageError(f"unknown strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
    budget = conj.search.budget if budget is None else float(budget)
    if not budget > 0 or not math.isfinite(budget):
        raise UsageError(f"budget must be a positive number of seconds, got {budget!r}")
    if workers is None:
        workers = os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise UsageError(f"workers must be a positive integer, got {workers!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"seed must be a non-negative integer, got {seed!r}")
    state = _State(conj, budget, progress, max_scenarios)
    with Runner(conj, workers=workers, dask=dask) as runner:
        if strategy == "hypothesis":
            _run_hypothesis(state, runner, seed)
        else:
            _run_streaming(state, runner, seed, evolve=strategy == "evolve")
        backend, nworkers = runner.backend, runner.workers
    evals = tuple(state.order)
    refuted = sorted((e for e in evals if e.verdict == "refuted"), key=lambda e: -e.score)
    pre = sorted((e for e in evals if e.verdict == "pre-asymptotic"), key=lambda e: -e.score)
    unsettled = sorted((e for e in evals if e.verdict == "unsettled"), key=lambda e: -e.score)
    return SearchResult(conjecture=conj, evaluations=evals, counterexamples=tuple(refuted),
                        pre_asymptotic=tuple(pre), elapsed=state.elapsed(), seed=seed, strategy=strategy,
                        workers=nworkers, backend=backend, first_found=tuple(state.first_found.items()),
                        invalid=sum(1 for e in evals if e.verdict == "invalid"), unsettled=tuple(unsettled))
