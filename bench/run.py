"""cxviz benchmark: prints figures and ratios for single and batch renders,
printed canvases, the cache, cold start, memory, and large diagrams.

    .venv/bin/python bench/run.py            # about a minute on 2 cores
    .venv/bin/python bench/run.py --quick    # fewer repeats

Every figure is measured in this run, on this machine; "raw Graphviz" lays
out the very DOT cxviz writes, in one process, with no cxviz around it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cxviz  # noqa: E402
from cxviz.api import render_blank, render_pdf  # noqa: E402
from cxviz.fonts import fontconfig_environment  # noqa: E402
from cxviz.rendering.graphviz import graphviz_version  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
ENGINE = {"dot": ["dot"], "neato": ["neato", "-n2"]}


def timed(action, repeats: int = 1) -> float:
    """Median seconds of ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def raw_graphviz(sources_by_engine: dict[str, list[str]]) -> float:
    """Seconds for Graphviz alone to lay out the sources, one process per engine."""
    env = {**os.environ, **fontconfig_environment()}
    start = time.perf_counter()
    for engine, sources in sources_by_engine.items():
        if sources:
            subprocess.run([*ENGINE[engine], "-Tsvg"], input="".join(sources).encode(), env=env,
                           capture_output=True, check=True)
    return time.perf_counter() - start


def row(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<44} {value:>14}  {note}")


def make_tree(folder: Path, count: int) -> list[Path]:
    """``count`` specs: the samples copied into numbered folders (with their photos)."""
    paths = []
    copies = -(-count // len(SAMPLES))
    for n in range(copies):
        target = folder / f"set{n:03d}"
        shutil.copytree(ROOT / "samples", target)
        # Personas first: a partial last set must keep the files its journeys refer to.
        paths += sorted(target.glob("*.yaml"), key=lambda p: (not p.name.startswith("persona"), p.name))
    for extra in paths[count:]:
        extra.unlink()
    return paths[:count]


def big_journey(steps: int) -> str:
    stages = []
    for s in range(steps // 10):
        items = "\n".join(
            f"      - action: Step {s}.{i} of a long journey\n        emotion: {((s + i) % 5) - 2}\n"
            f"        touchpoints: [App]\n        pains: [Waits for step {i}]" for i in range(10))
        stages.append(f"  - name: Stage {s}\n    goal: Goal of stage {s}\n    steps:\n{items}")
    return "kind: journey\ntitle: A 300-step journey\nstages:\n" + "\n".join(stages) + "\n"


def big_whys(nodes: int) -> str:
    lines = ["kind: whys", "title: A 1,000-cause tree", "problem: Many causes", "whys:"]
    # A tree ten wide at the top, each cause with nine children, five levels deep at most.
    count = 0

    def add(depth: int, indent: str) -> None:
        nonlocal count
        for _ in range(10 if depth == 1 else 3):
            if count >= nodes:
                return
            count += 1
            lines.append(f"{indent}- because: Cause number {count} at level {depth}")
            if depth == 5:
                lines.append(f"{indent}  root: true")
            elif count < nodes:
                lines.append(f"{indent}  whys:")
                add(depth + 1, indent + "    ")

    add(1, "  ")
    return "\n".join(lines) + "\n"


def big_flow(nodes: int) -> str:
    lines = ["kind: userflow", "title: A 500-step flow", "lanes: [Customer, App, Payment provider]", "nodes:",
             "  - {id: n0, type: entry, label: Start, lane: Customer}"]
    lanes = ["Customer", "App", "Payment provider"]
    for i in range(1, nodes - 1):
        kind = "decision" if i % 7 == 0 else "screen"
        lines.append(f"  - {{id: n{i}, type: {kind}, label: Step {i}, lane: {lanes[i % 3]}}}")
    lines.append(f"  - {{id: n{nodes - 1}, type: end, outcome: success, label: Done, lane: App}}")
    lines.append("edges:")
    for i in range(nodes - 1):
        lines.append(f"  - {{from: n{i}, to: n{i + 1}, label: next}}")
        if i % 7 == 0 and i:
            lines.append(f"  - {{from: n{i}, to: n{min(i + 3, nodes - 1)}, label: skip}}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--specs", type=int, default=500, help="size of the batch (default 500)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    work = Path(tempfile.mkdtemp(prefix="cxviz-bench-"))
    print(f"cxviz {cxviz.__version__}, Graphviz {graphviz_version()}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores")

    specs = [cxviz.load(path) for path in SAMPLES]
    cxviz.render_svgs(specs)  # warm: fonts loaded, subsets cached

    print("\nSingle diagrams (in process, warm; median)")
    for kind in ("journey", "empathy", "persona", "whys", "userflow"):
        spec = next(s for s in specs if s.kind.name == kind)
        graph = cxviz.build_graph(spec)
        ours = timed(lambda: cxviz.render_svg(spec), repeats)
        raw = timed(lambda: raw_graphviz({graph.engine: [graph.source]}), repeats)
        row(f"{kind} ({Path(spec.name).name})", f"{ours * 1000:.1f} ms",
            f"raw Graphviz {raw * 1000:.1f} ms, ratio {ours / raw:.2f}x")

    print(f"\nBatch of {args.specs} specs (the samples copied; in process, one Graphviz process per engine)")
    tree = work / "tree"
    paths = make_tree(tree, args.specs)
    loaded = [cxviz.load(path) for path in paths]
    graphs = [cxviz.build_graph(s) for s in loaded]
    by_engine: dict[str, list[str]] = {"dot": [], "neato": []}
    for graph in graphs:
        by_engine[graph.engine].append(graph.source)
    raw = timed(lambda: raw_graphviz(by_engine), 1)
    ours = timed(lambda: cxviz.render_svgs(loaded), 1)
    load_time = timed(lambda: [cxviz.load(p) for p in paths], 1)
    row("raw Graphviz, same DOT", f"{raw:.2f} s", f"{raw / len(paths) * 1000:.1f} ms per diagram")
    row("cxviz render_svgs (draw + layout + finish)", f"{ours:.2f} s",
        f"{ours / len(paths) * 1000:.1f} ms per diagram, ratio {ours / raw:.2f}x")
    row("cxviz load + validate", f"{load_time:.2f} s", f"{load_time / len(paths) * 1000:.1f} ms per spec")
    for kind in ("journey", "empathy", "persona", "whys", "userflow"):
        mine = [s for s in loaded if s.kind.name == kind]
        sources = {"dot": [], "neato": []}
        for spec in mine:
            graph = cxviz.build_graph(spec)
            sources[graph.engine].append(graph.source)
        raw_kind = timed(lambda: raw_graphviz(sources), 1)
        ours_kind = timed(lambda: cxviz.render_svgs(mine), 1)
        row(f"  {kind} only ({len(mine)} specs)", f"{ours_kind / len(mine) * 1000:.1f} ms",
            f"per diagram, {len(mine) / ours_kind:.0f}/s; raw {raw_kind / len(mine) * 1000:.1f} ms, "
            f"ratio {ours_kind / raw_kind:.2f}x")

    print(f"\nCommand line on the {args.specs}-spec tree (all cores)")
    cache = work / "cache"
    out = work / "out"
    command = [sys.executable, "-m", "cxviz", "render", str(tree), "-o", str(out), "-q", "--cache-dir", str(cache)]
    first = timed(lambda: subprocess.run(command, check=True, capture_output=True), 1)
    again = timed(lambda: subprocess.run(command, check=True, capture_output=True), repeats)
    row("cxviz render TREE (cold cache)", f"{first:.2f} s", f"{len(paths) / first:.0f} specs/s")
    row("no-change rebuild (cache)", f"{again:.2f} s", f"{first / again:.0f}x faster")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    row("peak memory of a CLI run", f"{peak:.0f} MiB")

    print("\nCold start: one SVG from a fresh process")
    one = SAMPLES[-1]
    cold = timed(lambda: subprocess.run([sys.executable, "-m", "cxviz", "render", str(one), "-o", "-", "--no-cache"],
                                        check=True, capture_output=True), repeats)
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, cxviz.cli; cxviz.cli.main(['render', sys.argv[1], '-o', '-', "
         "'--no-cache']); print('weasyprint' in sys.modules, file=sys.stderr)", str(one)],
        capture_output=True, text=True, check=True)
    row("python -m cxviz render one.yaml -o -", f"{cold * 1000:.0f} ms",
        f"WeasyPrint imported: {probe.stderr.strip().splitlines()[-1]}")

    print("\nPrinted canvases (PDF)")
    whys = cxviz.load(ROOT / "samples" / "whys-checkout.yaml")
    a3 = timed(lambda: render_pdf(whys, paper="A3", orientation="landscape"), repeats)
    row("filled A3 canvas, one page (5 Whys)", f"{a3:.2f} s", "per page")
    journey = cxviz.load(ROOT / "samples" / "journey-grocery.yaml")
    data = render_pdf(journey, paper="A3")
    from pypdf import PdfReader
    import io

    pages = len(PdfReader(io.BytesIO(data)).pages)
    jt = timed(lambda: render_pdf(journey, paper="A3"), 3)
    row(f"filled A3 journey ({pages} pages)", f"{jt:.2f} s", f"{jt / pages:.2f} s per page")
    blank = timed(lambda: render_blank("journey", paper="A3"), repeats)
    row("blank A3 journey canvas", f"{blank:.2f} s", "per page")

    print("\nLarge diagrams (single render, in process)")
    for label, text in (("300-step journey", big_journey(300)), ("1,000-node 5 Whys tree", big_whys(1000)),
                        ("500-node user flow", big_flow(500))):
        spec = cxviz.loads(text, limits=cxviz.Limits(max_items=5000))
        graph = cxviz.build_graph(spec)
        ours = timed(lambda: cxviz.render_svg(spec, limits=cxviz.Limits(layout_seconds=120)), 1)
        raw = timed(lambda: raw_graphviz({graph.engine: [graph.source]}), 1)
        row(label, f"{ours:.2f} s", f"raw Graphviz {raw:.2f} s, ratio {ours / raw:.2f}x")

    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak memory of this benchmark process: {peak_self:.0f} MiB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
