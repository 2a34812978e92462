"""Running Graphviz: one process lays out a whole batch of graphs.

Starting ``dot`` costs more than laying out a small diagram, so graphs that
share an engine are written one after another to a single process, which
prints one document per graph.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import lru_cache

import graphviz
from graphviz.backend.execute import run_check

from ..diagnostics import RenderError
from ..fonts import fontconfig_environment
from ..graph.dot import DotGraph

__all__ = ["LayoutResult", "layout", "layout_one", "graphviz_version", "graphviz_command"]

_BINARY = ("pdf", "png")
_INSTALL_HINT = (
    "Graphviz's '{program}' program was not found on PATH; install Graphviz "
    "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"
)


class _NotInstalled(RenderError):
    """Graphviz itself is missing: no graph of a batch can be laid out."""


@dataclass(frozen=True)
class LayoutResult:
    """One graph's output, or the error that stopped it.

    ``output`` holds text formats (svg, dot); ``data`` binary ones (pdf, png).
    """

    output: str = ""
    warnings: tuple[str, ...] = ()
    error: RenderError | None = None
    data: bytes = b""


def graphviz_command(engine: str, fmt: str, *extra: str) -> list[str]:
    """The Graphviz command line that lays a graph out with ``engine`` to ``fmt``.

    ``neato`` runs as ``neato -n2``: cxviz's boards come with every position fixed.
    ``fmt`` may name a renderer too, as in ``png:cairo``.
    """
    if engine not in graphviz.ENGINES or fmt.partition(":")[0] not in graphviz.FORMATS:
        raise ValueError(f"Graphviz has no engine {engine!r} or format {fmt!r}")
    command = [os.fspath(graphviz.DOT_BINARY), f"-K{engine}", f"-T{fmt}", *extra]
    return command + ["-n2"] if engine == "neato" else command


def _run(args: list[str], source: str, timeout: float) -> tuple[int, bytes, str]:
    env = {**os.environ, **fontconfig_environment()}
    try:
        completed = run_check(args, input=source.encode("utf-8"), capture_output=True,
                              timeout=timeout, env=env, quiet=True)
    except graphviz.ExecutableNotFound:
        raise _NotInstalled(_INSTALL_HINT.format(program=args[0])) from None
    except graphviz.CalledProcessError as exc:
        return exc.returncode, exc.stdout or b"", (exc.stderr or b"").decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz layout took longer than {timeout:g} s and was stopped; "
            "simplify the diagram or raise the limit (--limit layout_seconds=SECONDS)"
        ) from None
    except OSError as exc:
        raise RenderError(f"Graphviz could not be started: {exc}") from None
    return completed.returncode, completed.stdout, completed.stderr.decode("utf-8", "replace")


def _warnings(stderr: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in stderr.splitlines() if line.strip())


def layout_one(graph: DotGraph, fmt: str = "svg", timeout: float = 30.0, *,
               attributes: dict[str, str] | None = None) -> LayoutResult:
    """Lay out a single graph; ``attributes`` are graph attributes given on the command line (``-G``)."""
    extra = [f"-G{name}={value}" for name, value in (attributes or {}).items()]
    try:
        code, out, err = _run(graphviz_command(graph.engine, fmt, *extra), graph.source, timeout)
    except RenderError as exc:
        return LayoutResult(error=exc)
    if code != 0 or not out:
        message = "; ".join(_warnings(err)) or f"exit status {code}"
        return LayoutResult(error=RenderError(f"Graphviz failed: {message}"))
    if fmt.partition(":")[0] in _BINARY:
        return LayoutResult(warnings=_warnings(err), data=out)
    return LayoutResult(out.decode("utf-8", "replace"), _warnings(err))


def _split(output: str, fmt: str) -> list[str]:
    if fmt == "svg":
        marker = "<?xml"
        parts = output.split(marker)
        return [marker + p for p in parts[1:]]
    return []


def layout(graphs: list[DotGraph], fmt: str = "svg", timeout: float = 30.0) -> list[LayoutResult]:
    """Lay out many graphs with one Graphviz process per engine.

    If a batch fails as a whole, its graphs are laid out one by one, so
    that one bad graph is reported alone and the others still render.
    """
    results: list[LayoutResult | None] = [None] * len(graphs)
    by_engine: dict[str, list[int]] = {}
    for index, graph in enumerate(graphs):
        by_engine.setdefault(graph.engine, []).append(index)
    for engine, indexes in sorted(by_engine.items()):
        if len(indexes) > 1 and fmt == "svg":
            batch = "".join(graphs[i].source for i in indexes)
            try:
                # The whole batch gets one graph's time: past it, each graph runs alone with
                # its own limit, so one graph that never finishes costs one limit, not one per graph.
                code, out, err = _run(graphviz_command(engine, fmt), batch, timeout)
            except RenderError as exc:
                if isinstance(exc, _NotInstalled):
                    for i in indexes:
                        results[i] = LayoutResult(error=exc)
                    continue
                code, out, err = 1, b"", ""  # laid out one by one below
            documents = _split(out.decode("utf-8", "replace"), fmt)
            if code == 0 and len(documents) == len(indexes):
                warnings = _warnings(err)
                for i, document in zip(indexes, documents):
                    results[i] = LayoutResult(document, warnings)
                continue
        for i in indexes:
            results[i] = layout_one(graphs[i], fmt, timeout)
    return [r if r is not None else LayoutResult(error=RenderError("not laid out")) for r in results]


@lru_cache(maxsize=1)
def graphviz_version() -> str:
    """The installed Graphviz version, e.g. ``2.43.0``; empty if none."""
    try:
        return ".".join(str(part) for part in graphviz.version())
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, RuntimeError):
        return ""
