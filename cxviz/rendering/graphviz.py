"""Running Graphviz: one process lays out a whole batch of graphs.

Starting ``dot`` costs more than laying out a small diagram, so graphs that
share an engine are written one after another to a single process, which
prints one document per graph. The graphs stream in as cxviz draws them, so
Graphviz lays out one while the next is being drawn.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from dataclasses import dataclass
from functools import lru_cache

import graphviz
from graphviz.backend.execute import run_check

from ..diagnostics import RenderError
from ..fonts import fontconfig_environment
from ..graph.dot import DotGraph

__all__ = ["LayoutResult", "LayoutBatch", "layout", "layout_one", "graphviz_version", "graphviz_command"]

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


def _split(output: str) -> list[str]:
    marker = "<?xml"
    return [marker + part for part in output.split(marker)[1:]]


class _Stream:
    """One Graphviz process fed graph after graph while it runs.

    Threads write its input and read its output, so neither side waits for
    the other: Graphviz lays out one graph while cxviz draws the next.
    """

    def __init__(self, engine: str, fmt: str) -> None:
        command = graphviz_command(engine, fmt)
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, env={**os.environ, **fontconfig_environment()})
        except FileNotFoundError:
            raise _NotInstalled(_INSTALL_HINT.format(program=command[0])) from None
        except OSError as exc:
            raise RenderError(f"Graphviz could not be started: {exc}") from None
        self._pending: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._output: list[bytes] = []
        self._errors: list[bytes] = []
        self._threads = [
            threading.Thread(target=self._write, daemon=True),
            threading.Thread(target=self._read, args=(self.process.stdout, self._output), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self._errors), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _write(self) -> None:
        stdin = self.process.stdin
        try:
            while (chunk := self._pending.get()) is not None:
                stdin.write(chunk)
                stdin.flush()
        except OSError:
            pass  # Graphviz stopped reading: it failed, and its errors say why
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    @staticmethod
    def _read(stream, into: list[bytes]) -> None:
        into.append(stream.read())

    def send(self, source: str) -> None:
        self._pending.put(source.encode("utf-8"))

    def finish(self, timeout: float) -> tuple[int, bytes, str] | None:
        """Exit status, output and errors once every graph is laid out; None past ``timeout``."""
        self._pending.put(None)
        # Waiting on the output's reader ends the moment Graphviz is done, where
        # Popen.wait(timeout) would poll with growing sleeps.
        output_reader = self._threads[1]
        output_reader.join(timeout)
        timed_out = output_reader.is_alive()
        if timed_out:
            self.process.kill()
        code = self.process.wait()
        for thread in self._threads:
            thread.join()
        if timed_out:
            return None
        return code, b"".join(self._output), b"".join(self._errors).decode("utf-8", "replace")


class LayoutBatch:
    """Graphs laid out as they are added, with one Graphviz process per engine.

    SVG layouts stream: each graph goes to its engine's process the moment it
    is added, so Graphviz works while the caller draws the next graph. Other
    formats are laid out one graph per process in :meth:`results`.
    """

    def __init__(self, fmt: str = "svg", timeout: float = 30.0) -> None:
        self.fmt = fmt
        self.timeout = timeout
        self._graphs: list[DotGraph] = []
        self._streams: dict[str, _Stream | RenderError] = {}

    def add(self, graph: DotGraph) -> None:
        """Hand a graph over; its result comes, in the order added, from :meth:`results`."""
        self._graphs.append(graph)
        if self.fmt != "svg":
            return
        stream = self._streams.get(graph.engine)
        if stream is None:
            try:
                stream = self._streams[graph.engine] = _Stream(graph.engine, self.fmt)
            except RenderError as exc:
                stream = self._streams[graph.engine] = exc
        if isinstance(stream, _Stream):
            stream.send(graph.source)

    def results(self) -> list[LayoutResult]:
        """Every graph's result, in the order added.

        If an engine's process fails as a whole, or takes longer than the
        timeout once its last graph is handed over, its graphs are laid out
        one by one, each with its own timeout, so that one bad graph is
        reported alone and the others still render.
        """
        results: list[LayoutResult | None] = [None] * len(self._graphs)
        by_engine: dict[str, list[int]] = {}
        for index, graph in enumerate(self._graphs):
            by_engine.setdefault(graph.engine, []).append(index)
        for engine, indexes in sorted(by_engine.items()):
            stream = self._streams.get(engine)
            if isinstance(stream, _NotInstalled):
                for i in indexes:
                    results[i] = LayoutResult(error=stream)
                continue
            finished = stream.finish(self.timeout) if isinstance(stream, _Stream) else None
            if finished is not None:
                code, out, err = finished
                documents = _split(out.decode("utf-8", "replace"))
                if code == 0 and len(documents) == len(indexes):
                    warnings = _warnings(err)
                    for i, document in zip(indexes, documents):
                        results[i] = LayoutResult(document, warnings)
                    continue
            for i in indexes:
                results[i] = layout_one(self._graphs[i], self.fmt, self.timeout)
        return [r if r is not None else LayoutResult(error=RenderError("not laid out")) for r in results]


def layout(graphs: list[DotGraph], fmt: str = "svg", timeout: float = 30.0) -> list[LayoutResult]:
    """Lay out many graphs with one Graphviz process per engine (see :class:`LayoutBatch`)."""
    batch = LayoutBatch(fmt, timeout)
    for graph in graphs:
        batch.add(graph)
    return batch.results()


@lru_cache(maxsize=1)
def graphviz_version() -> str:
    """The installed Graphviz version, e.g. ``2.43.0``; empty if none."""
    try:
        return ".".join(str(part) for part in graphviz.version())
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, RuntimeError):
        return ""
