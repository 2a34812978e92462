"""Rendering many specs at once: in parallel, through the cache, with progress.

The command line's ``render`` plans one job per spec (its outputs, one per
format) and hands them here. Specs whose outputs are cached are served
without parsing; the others are split among worker processes, each of which
validates its share and lays out all its SVGs with one Graphviz process.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .access import FileAccess
from .cache import RenderCache, file_hash
from .diagnostics import Diagnostic, RenderError
from .limits import Limits

__all__ = ["Job", "Outcome", "render_jobs"]


@dataclass(frozen=True)
class Job:
    """One spec and where each of its formats goes (``-`` is standard output)."""

    index: int
    source: str
    targets: dict[str, str]


@dataclass
class Outcome:
    """What became of one job."""

    job: Job
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: dict[str, bytes | RenderError] = field(default_factory=dict)
    valid: bool = True
    cached: bool = False
    spec_hash: str = ""
    dependencies: dict[str, str] = field(default_factory=dict)


def _render_chunk(jobs: list[Job], formats: tuple[str, ...], options: dict, access: FileAccess,
                  limits: Limits, strict: bool) -> list[Outcome]:
    """Validate and render a share of the jobs (runs in a worker process)."""
    from .api import load, render_many
    from .diagnostics import SpecError
    from .options import Options

    outcomes, ready = [], []
    for job in jobs:
        outcome = Outcome(job)
        try:
            # Hashed before reading, so that a spec edited meanwhile is never cached under its new hash.
            outcome.spec_hash = file_hash(Path(job.source)) if job.source != "-" else ""
        except OSError:
            pass  # reading it fails too, and says why
        try:
            spec = load(job.source, access=access, limits=limits)
        except SpecError as exc:
            outcome.diagnostics, outcome.valid = exc.diagnostics, False
        else:
            outcome.diagnostics = spec.diagnostics
            outcome.dependencies = {str(p): file_hash(p) for p in spec.dependencies}
            if strict and spec.warnings:
                outcome.valid = False
            else:
                ready.append((outcome, spec))
        outcomes.append(outcome)
    chosen = Options(limits=limits, dpi=options.get("png_dpi"),
                     **{k: v for k, v in options.items() if k != "png_dpi"})
    specs = [spec for _, spec in ready]
    warned = [len(spec.warnings) for spec in specs]
    for fmt in formats:
        for (outcome, _), output in zip(ready, render_many(specs, fmt, chosen)):
            outcome.outputs[fmt] = output.encode("utf-8") if isinstance(output, str) else output
    for (outcome, spec), before in zip(ready, warned):
        if len(spec.warnings) > before:
            # A warning found while drawing (a canvas printing below its text floor) fails a strict
            # run like any other, and keeps the outputs out of the cache, which could not repeat it.
            outcome.spec_hash = ""
            if strict:
                outcome.valid, outcome.outputs = False, {}
    return outcomes


#: The fewest SVG or DOT specs worth starting another worker process for.
_SPECS_PER_WORKER = 8


def _split(items: list, parts: int) -> list[list]:
    size = -(-len(items) // parts)
    return [items[i:i + size] for i in range(0, len(items), size)]


def render_jobs(
    jobs: list[Job],
    formats: tuple[str, ...],
    options: dict,
    *,
    access: FileAccess,
    limits: Limits,
    strict: bool = False,
    cache: RenderCache | None = None,
    workers: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Render every job; outcomes come back in job order.

    ``on_outcome`` is called as each outcome is known (cached ones first),
    for progress reporting.
    """
    outcomes: dict[int, Outcome] = {}
    misses: list[Job] = []
    for job in jobs:
        hit = _from_cache(job, formats, options, cache) if cache is not None else None
        if hit is None:
            misses.append(job)
            continue
        outcomes[job.index] = hit
        if on_outcome:
            on_outcome(hit)
    # A worker process costs about as much as drawing a few SVGs: a small batch of them
    # runs faster in this process, while every PDF or PNG is worth a worker of its own.
    per_worker = 1 if {"pdf", "png"} & set(formats) else _SPECS_PER_WORKER
    workers = max(1, min(workers, -(-len(misses) // per_worker)))
    if misses:
        chunks = _split(misses, workers * 4 if workers > 1 else 1)
        if workers == 1:
            results = (_render_chunk(chunk, formats, options, access, limits, strict) for chunk in chunks)
            for result in results:
                _collect(result, outcomes, formats, options, cache, on_outcome)
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor  # a single spec never starts workers

            from . import api  # noqa: F401  (imported once here, inherited by every forked worker)

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                futures = [pool.submit(_render_chunk, chunk, formats, options, access, limits, strict)
                           for chunk in chunks]
                for future in futures:
                    _collect(future.result(), outcomes, formats, options, cache, on_outcome)
    if cache is not None:
        cache.save()
    return [outcomes[job.index] for job in jobs]


def _collect(result: list[Outcome], outcomes: dict, formats, options, cache, on_outcome) -> None:
    for outcome in result:
        outcomes[outcome.job.index] = outcome
        if cache is not None and outcome.valid and outcome.spec_hash and all(
            isinstance(outcome.outputs.get(fmt), bytes) for fmt in formats
        ):
            path = Path(outcome.job.source)
            cache.remember(path, outcome.spec_hash, outcome.dependencies)
            for fmt in formats:
                cache.put(cache.key(outcome.spec_hash, outcome.dependencies, fmt, options), outcome.outputs[fmt])
        if on_outcome:
            on_outcome(outcome)


def _from_cache(job: Job, formats, options, cache: RenderCache) -> Outcome | None:
    if job.source == "-":
        return None
    path = Path(job.source)
    try:
        spec_hash = file_hash(path)
    except OSError:
        return None
    outputs = {}
    for fmt in formats:
        key = cache.known_key(path, spec_hash, fmt, options)
        data = cache.get(key) if key else None
        if data is None:
            return None
        outputs[fmt] = data
    return Outcome(job, outputs=outputs, cached=True, spec_hash=spec_hash)
