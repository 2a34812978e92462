"""cxviz benchmark: cold calls, peers, batches of varied specs, the cache, PDFs, reviewing changes, memory.

    .venv/bin/python bench/run.py                 # about ten minutes on 2 cores
    .venv/bin/python bench/run.py --quick         # fewer repeats
    .venv/bin/python bench/run.py --quick --specs 60   # smoke run: a corpus too small to judge by
    bench/install-peers                           # optional: Mermaid CLI and PlantUML to compare with

Every figure is measured in this run, on this machine. CPU time is user +
system time of a process and of every process under it (Graphviz, worker
processes, a browser), read from the kernel as each one is reaped. "Raw
Graphviz" lays out the very DOT cxviz writes, with no cxviz around it: all
the graphs of one engine in one process. The batches use specs that all
hold different text (bench/corpus.py), so no cache keyed on content helps.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import cxviz  # noqa: E402
import corpus  # noqa: E402
from cxviz.api import render_blank, render_pdf  # noqa: E402
from cxviz.fonts import font_cache_dir, fontconfig_environment  # noqa: E402
from cxviz.rendering.graphviz import graphviz_version  # noqa: E402

SAMPLES = ROOT / "samples"
PY = sys.executable
KINDS = ("journey", "empathy", "persona", "whys", "userflow")
# One sample per kind for the cold calls, and the largest sample (a service blueprint) besides.
COLD = (("journey", "journey-grocery.yaml"), ("journey", "blueprint-telco.yaml"), ("empathy", "empathy-maya.yaml"),
        ("persona", "persona-omar.yaml"), ("whys", "whys-checkout.yaml"), ("userflow", "userflow-checkout.yaml"))
HEAVY = ("weasyprint", "jinja2", "pypdf", "fontTools", "PIL", "http.client", "urllib.request", "email")
AIM_COLD_CPU = 0.150
AIM_BATCH = 1.25
AIM_BATCH_JOURNEY = 1.4
AIM_REBUILD = 0.5
MIN_SPECS = corpus.MIN_SPECS
REBUILD_SPECS = 500
PEERS = ROOT / "bench" / ".peers"


# -- measuring -------------------------------------------------------------------------

@dataclass
class Run:
    wall: float  # seconds until the process exited
    cpu: float   # user + system seconds of the process and every process under it
    code: int
    stdout: bytes
    stderr: bytes


def become_subreaper() -> bool:
    """Adopt orphaned grandchildren, so their CPU time is counted when they are reaped.

    A browser started by a peer leaves helpers that outlive their parent;
    without this they would go to init and their time would be lost.
    """
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _reap_orphans(deadline: float) -> int:
    """Wait for adopted orphans (see become_subreaper); the number still running at the deadline."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return 0
        if pid == 0:
            if time.monotonic() > deadline:
                return len(_children().get(os.getpid(), ()))
            time.sleep(0.01)


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    return children


def _tree_pss_kib(root: int, with_root: bool = True) -> int:
    """Proportional memory of a process and all its descendants, summed (KiB).

    PSS shares each page among the processes that map it, so worker processes
    forked from one parent are not counted for the pages they share.
    """
    children = _children()
    total, stack = 0, [root] if with_root else list(children.get(root, ()))
    while stack:
        pid = stack.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
        stack.extend(children.get(pid, ()))
    return total


def run(command: list[str], *, stdin: bytes | None = None, env: dict | None = None, cwd: Path | None = None,
        check: bool = True, sample_memory: list[int] | None = None, sample_root: bool = True) -> Run:
    """Run a command to its end; wall time, CPU time of its whole tree, peak memory.

    With ``sample_memory`` (a list), the tree's summed memory (PSS) is sampled
    every 20 ms and its peak appended (without the process itself unless ``sample_root``):
    for a memory run only, as sampling costs CPU.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                   stdout=out, stderr=err, env=env, cwd=cwd)
        sampler = None
        if sample_memory is not None:
            peak = [0]
            done = threading.Event()

            def sample() -> None:
                while not done.wait(0.02):
                    peak[0] = max(peak[0], _tree_pss_kib(process.pid, sample_root))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
        if stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.write(stdin)
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()
        _, status, _ = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if sampler is not None:
            done.set()
            sampler.join()
            sample_memory.append(peak[0])
        lingering = _reap_orphans(time.monotonic() + 10)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.seek(0)
        err.seek(0)
        result = Run(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
                     process.returncode, out.read(), err.read())
    if lingering:
        print(f"  note: {lingering} process(es) left by {Path(command[0]).name} still running; "
              "their CPU time is not counted", file=sys.stderr)
    if check and result.code != 0:
        raise RuntimeError(f"{' '.join(map(str, command[:6]))} ... exited {result.code}:\n"
                           f"{result.stderr.decode('utf-8', 'replace')[-2000:]}")
    return result


@dataclass
class Figure:
    """The medians of repeated runs."""

    wall: float
    cpu: float
    runs: int

    @classmethod
    def of(cls, runs: list[Run]) -> "Figure":
        return cls(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs), len(runs))


# The kernel's peak RSS of a process started straight from this one would count this process's own
# memory (it is inherited through fork and exec), so a small Python in between starts the command
# and reports the peak of the command's tree alone: the largest single process in it.
PEAK_RSS = r"""
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_rss(command: list[str], *, env: dict, cwd: Path, sample: bool = False) -> tuple[int, int | None]:
    """KiB: the peak RSS of the largest single process of the command's tree, and (``sample``) the
    peak of the whole tree's summed PSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        peaks: list[int] = []
        run([PY, "-I", "-S", "-c", PEAK_RSS, report.name, *command], env=env, cwd=cwd,
            sample_memory=peaks if sample else None, sample_root=False)
        return int(Path(report.name).read_text()), (peaks[0] if peaks else None)


def repeat(action, times: int, before=None) -> Figure:
    """Median of ``times`` runs of ``action`` (a function returning a Run); ``before`` runs untimed first."""
    results = []
    for _ in range(times):
        if before:
            before()
        results.append(action())
    return Figure.of(results)


def timed(action, repeats: int = 1) -> float:
    """Median seconds of ``repeats`` in-process calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot, all cores together."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds of this process and of every child it has reaped."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


@contextlib.contextmanager
def other_load():
    """Says how busy other processes kept the machine meanwhile: figures taken on a busy machine move."""
    busy, own, start = _machine_busy_seconds(), _own_seconds(), time.perf_counter()
    yield
    wall = time.perf_counter() - start
    others = max(0.0, (_machine_busy_seconds() - busy) - (_own_seconds() - own)) / wall
    note = "; the figures above are disturbed by it" if others > 0.25 else ""
    print(f"  [other processes kept {others:.2f} of {os.cpu_count()} cores busy on average during this section "
          f"({secs(wall)}){note}]")


# -- printing --------------------------------------------------------------------------

def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def table(headers: list[str], rows: list[list[str]], indent: int = 2) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    line = lambda cells: " " * indent + "  ".join(  # noqa: E731
        str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(headers))
    for row in rows:
        print(line(row))


def heading(text: str) -> None:
    print(f"\n{text}\n{'-' * len(text)}")


# -- Graphviz --------------------------------------------------------------------------

def engine_command(engine: str) -> list[str]:
    return [shutil.which("dot") or "dot", "-Tsvg"] if engine == "dot" else \
        [shutil.which("neato") or "neato", "-n2", "-Tsvg"]


def raw_graphviz(sources: dict[str, list[str]], env: dict) -> Run:
    """Graphviz alone on the sources: one process per engine, one after the other; summed."""
    total = Run(0.0, 0.0, 0, b"", b"")
    for engine, graphs in sorted(sources.items()):
        if not graphs:
            continue
        result = run(engine_command(engine), stdin="".join(graphs).encode("utf-8"), env=env)
        documents = result.stdout.count(b"</svg>")
        if documents != len(graphs):
            raise RuntimeError(f"{engine}: {documents} SVG documents for {len(graphs)} graphs")
        total = Run(total.wall + result.wall, total.cpu + result.cpu, 0, b"", b"")
    return total


# -- the sections ----------------------------------------------------------------------

def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def header(args) -> None:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    revision = ""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", str(ROOT), "status", "--porcelain", "--",
                                "cxviz"],
                               capture_output=True, text=True, check=True).stdout.strip()
        revision = f" (git {head}{', with uncommitted changes to cxviz/' if dirty else ''})"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"cxviz benchmark, {now}")
    print(f"machine: {os.cpu_count()} cores, {model}, {memory / 1024 / 1024:.1f} GiB RAM, "
          f"{platform.system()} {platform.release()}")
    print(f"cxviz {cxviz.__version__}{revision}, Graphviz {graphviz_version()}, "
          f"Python {platform.python_version()} ({PY})")
    print(f"load average before the run: {load_average()} (other work on the machine moves the figures)")
    if args.quick:
        print("QUICK RUN: fewer repeats, so the medians are rougher")
    if args.specs < MIN_SPECS or args.rebuild_specs < REBUILD_SPECS:
        print(f"SMOKE RUN: corpora of {args.specs} and {args.rebuild_specs} specs (below {MIN_SPECS} and "
              f"{REBUILD_SPECS}); their figures say nothing about performance")


def warm_up(work: Path, env: dict) -> None:
    """Untimed runs that byte-compile every module the measured commands import."""
    start = time.perf_counter()
    out = work / "warm-up"
    run([PY, "-c", "pass"], env=env)
    run([PY, "-m", "cxviz", "--version"], env=env)
    run([PY, "-m", "cxviz", "render", str(SAMPLES), "-o", str(out), "--no-cache", "-q", "--format", "svg,dot"],
        env=env, cwd=work)
    run([PY, "-m", "cxviz", "render", str(SAMPLES / "whys-checkout.yaml"), "-o", str(out / "one.pdf"),
         "--format", "pdf", "--no-cache", "-q"], env=env, cwd=work)
    shutil.rmtree(out, ignore_errors=True)
    print(f"warm-up: {secs(time.perf_counter() - start)} (byte-compiling into the work folder, untimed)")


def import_costs(report: str) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds of import per package, and per cxviz module, from ``python -X importtime``'s report.

    A module's own time counts for the nearest module above it (or itself) that is
    not in the standard library: the package whose import brought it in.
    """
    entries = []
    for line in report.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(fields) != 3 or not fields[0].strip().isdigit():
            continue
        depth = (len(fields[2]) - len(fields[2].lstrip(" ")) - 1) // 2
        entries.append((depth, fields[2].strip(), int(fields[0]) / 1e6))
    costs: dict[str, float] = {}
    own = {name: seconds for _, name, seconds in entries if name.split(".")[0] == "cxviz"}
    chain: list[str] = []
    for depth, name, seconds in reversed(entries):  # the report lists a module after what it imported
        del chain[depth:]
        chain.append(name)
        owner = next((m for m in reversed(chain) if m.split(".")[0] not in sys.stdlib_module_names), None)
        label = ("Python start-up and stdlib" if owner is None
                 else "editable-install finder" if owner.startswith("__editable__")
                 else "stdlib for cxviz" if owner.split(".")[0] == "cxviz" and owner != name
                 else owner.split(".")[0])
        costs[label] = costs.get(label, 0.0) + seconds
    return costs, own


def cold_calls(work: Path, env: dict, repeats: int) -> dict[str, Figure]:
    heading("1. Cold single call: one spec, one SVG, a fresh process (median of runs)")
    out = work / "cold"
    out.mkdir()
    script = Path(PY).parent / "cxviz"
    script = script if script.exists() else Path(shutil.which("cxviz") or "")
    svg = out / "one.svg"
    clear = lambda: svg.unlink(missing_ok=True)  # noqa: E731
    cli = lambda spec: [PY, "-m", "cxviz", "render", str(spec), "-o", str(svg), "--no-cache"]  # noqa: E731
    # Once untimed: byte-compiled modules, the fontconfig file and its cache, the samples' font subsets.
    for _, name in COLD:
        run(cli(SAMPLES / name), env=env, cwd=out)

    base = {
        "python -c pass": repeat(lambda: run([PY, "-c", "pass"], env=env), repeats),
        "python -m cxviz --version": repeat(lambda: run([PY, "-m", "cxviz", "--version"], env=env), repeats),
    }
    results: dict[str, Figure] = {}
    rows = []
    first_repeats = max(1, repeats // 3)
    for kind, name in COLD:
        spec_path = SAMPLES / name
        graph = cxviz.build_graph(cxviz.load(spec_path))
        dot = graph.source.encode("utf-8")
        ours = repeat(lambda: run(cli(spec_path), env=env, cwd=out), repeats, clear)
        console = (repeat(lambda: run([str(script), *cli(spec_path)[3:]], env=env, cwd=out), repeats, clear)
                   if script.name else None)

        def first_ever() -> Run:
            # No cache of any kind: a new machine, or a CI job without a cache.
            fresh = Path(tempfile.mkdtemp(prefix="xdg-", dir=work))
            try:
                return run(cli(spec_path), env={**env, "XDG_CACHE_HOME": str(fresh)}, cwd=out)
            finally:
                shutil.rmtree(fresh, ignore_errors=True)

        empty = repeat(first_ever, first_repeats, clear)
        raw = repeat(lambda: run(engine_command(graph.engine), stdin=dot, env=env), repeats)
        results[name] = ours
        rows.append([f"{kind} ({name})", ms(ours.cpu), ms(ours.wall),
                     ms(console.cpu) if console else "-", ms(console.wall) if console else "-",
                     ms(empty.cpu), f"{graph.engine}{' -n2' if graph.engine == 'neato' else ''}",
                     ms(raw.cpu), ms(raw.wall), ms(ours.cpu - raw.cpu - base["python -c pass"].cpu),
                     f"{verdict(ours.cpu <= AIM_COLD_CPU)}"])
    print(f"  {repeats} runs each ({first_repeats} with empty caches); CPU = user+sys of the process and its "
          "children (Graphviz)")
    table(["spec", "cxviz CPU", "wall", "script CPU", "wall", "empty-cache CPU", "raw", "raw CPU", "wall",
           "cxviz's own CPU", f"aim <= {ms(AIM_COLD_CPU)} CPU"], rows)
    print("  cxviz = python -m cxviz render SPEC -o one.svg --no-cache; script = .venv/bin/cxviz, the same; "
          "empty-cache = XDG_CACHE_HOME empty (no font subsets, no fontconfig cache);\n"
          "  raw = Graphviz alone on the DOT cxviz writes for the spec; cxviz's own CPU = cxviz - raw - "
          "python -c pass")
    for label, figure in base.items():
        print(f"  {label:<44} CPU {ms(figure.cpu):>7}  wall {ms(figure.wall):>7}")
    worst = max(results, key=lambda n: results[n].cpu)
    met = sum(f.cpu <= AIM_COLD_CPU for f in results.values())
    print(f"  aim: at most {ms(AIM_COLD_CPU)} CPU for one cold SVG: {verdict(met == len(results))} "
          f"({met} of {len(results)} specs; the worst, {worst}, {ms(results[worst].cpu)})")

    print("\n  Heavy modules the SVG path imported (a fresh process rendering through cxviz.cli.main):")
    probe = ("import sys\nfrom cxviz.cli import main\n"
             "code = main(['render', sys.argv[1], '-o', sys.argv[2], '--no-cache', '-q'])\n"
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules) + '|' + str(code))\n")
    for kind, name in COLD:
        result = run([PY, "-c", probe, str(SAMPLES / name), str(svg)], env=env, cwd=out)
        loaded, code = result.stdout.decode().strip().rsplit("|", 1)
        print(f"    {name:<26} {loaded.replace(',', ', ') if loaded else 'none of ' + ', '.join(HEAVY)}"
              f"{'' if code == '0' else f'  (exit {code})'}")

    name = COLD[0][1]
    print(f"\n  Import time, rendering {name} through cxviz.cli.main (python -X importtime, which adds overhead of "
          f"its own; median of {first_repeats + 1}),\n  each module counted for the package that brought it in "
          "(logging, imported by graphviz, counts for graphviz):")
    by_package: dict[str, list[float]] = {}
    by_module: dict[str, list[float]] = {}
    times = first_repeats + 1
    for _ in range(times):
        result = run([PY, "-X", "importtime", "-c", probe, str(SAMPLES / name), str(svg)], env=env, cwd=out)
        packages, modules = import_costs(result.stderr.decode("utf-8", "replace"))
        for found, into in ((packages, by_package), (modules, by_module)):
            for key, seconds in found.items():
                into.setdefault(key, []).append(seconds)
    median = lambda values: statistics.median(values + [0.0] * (times - len(values)))  # noqa: E731
    packages = sorted(((median(v), k) for k, v in by_package.items()), reverse=True)
    modules = sorted(((median(v), k) for k, v in by_module.items()), reverse=True)
    print("    " + ", ".join(f"{package} {ms(seconds)}" for seconds, package in packages if seconds >= 0.0005)
          + f"; all imports {ms(sum(seconds for seconds, _ in packages))}")
    print("    cxviz's own modules, the slowest: "
          + ", ".join(f"{module} {seconds * 1000:.1f} ms" for seconds, module in modules[:6]))
    return results


MERMAID_JOURNEY = """journey
  title Weekly groceries in the app
  section Awareness
    Sees a free-delivery promo on Instagram: 4: Dewi
    Asks the school parents' WhatsApp group: 4: Dewi
  section Consideration
    Installs the app, signs up with an OTP: 3: Dewi
    Compares vegetable prices with another app: 2: Dewi
  section Purchase
    Fills the basket from her usual list: 4: Dewi
    Picks a slot, pays with her e-wallet: 1: Dewi, App
  section Delivery
    Told two items were substituted: 1: Dewi, Warehouse
    Receives the order at the door: 4: Dewi, Courier
  section Retention
    Asks a refund for bruised tomatoes: 2: Dewi, Support
    Reorders last week's basket in one tap: 5: Dewi
"""

MERMAID_FLOW = """flowchart LR
  push([Opens the app from a basket reminder]) --> cart[Cart: items, substitutions, fee]
  cart --> slot[Delivery slot: next 3 days]
  slot --> pay[/Taps Pay now/]
  pay --> saved{Card saved?}
  saved -- Yes --> charge[[Authorise the card, 3-D Secure]]
  saved -- No --> card[Card details form]
  card --> charge
  charge --> ok{Payment authorised?}
  ok -- Yes --> done([Order confirmed])
  ok -- "No, first try" --> card
  ok -- "No, after 2 tries" --> fail([Payment declined])
  cart -.-> leave([Leaves with a full basket])
"""

PLANTUML_ACTIVITY = """@startuml
|Customer|
start
:Opens the app from a "basket reminder" push;
|App|
:Cart\\nItems, substitutions and delivery fee;
:Delivery slot\\nNext 3 days in 1-hour windows;
|Customer|
:Taps "Pay now";
|App|
if (Card saved?) then (Yes)
else (No)
  :Card details form;
endif
|Payment provider|
:Authorise the card (3-D Secure);
if (Payment authorised?) then (Yes)
  |App|
  :Order confirmed;
  stop
else (No, after 2 tries)
  |App|
  :Payment declined;
  stop
endif
@enduml
"""


def peers(work: Path, env: dict, repeats: int, cold: dict[str, Figure]) -> None:
    heading("2. Peers, when installed: one small diagram, cold single call (median of runs)")
    folder = work / "peers"
    folder.mkdir()
    rows, notes = [], []
    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    mmdc = PEERS / "node_modules" / ".bin" / "mmdc"
    mmdc = str(mmdc) if mmdc.exists() else shutil.which("mmdc")
    if mmdc and chromium:
        config = folder / "puppeteer.json"
        config.write_text(json.dumps({"executablePath": chromium, "args": [
            "--no-sandbox", "--disable-setuid-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}))
        version = run([mmdc, "--version"], env=env, check=False).stdout.decode().strip()
        for label, text, comparable in (("Mermaid journey", MERMAID_JOURNEY, "journey-grocery.yaml"),
                                        ("Mermaid flowchart", MERMAID_FLOW, "userflow-checkout.yaml")):
            source = folder / f"{label.split()[1]}.mmd"
            source.write_text(text)
            svg = source.with_suffix(".svg")
            command = [mmdc, "-i", str(source), "-o", str(svg), "-p", str(config), "-q"]
            first = run(command, env=env, cwd=folder)  # a browser's first start builds caches: reported apart
            figure = repeat(lambda: run(command, env=env, cwd=folder), repeats, lambda: svg.unlink(missing_ok=True))
            if not svg.exists():
                raise RuntimeError(f"mmdc wrote no SVG for the {label}")
            rows.append([f"{label} (mmdc {version}, Chromium)", ms(figure.cpu), ms(figure.wall),
                         ms(first.wall), comparable, ms(cold[comparable].cpu), ms(cold[comparable].wall)])
    else:
        notes.append("Mermaid CLI: not installed (needs chromium and mmdc); bench/install-peers installs both "
                     "(apt-get install chromium; npm install @mermaid-js/mermaid-cli into bench/.peers/ with "
                     "PUPPETEER_SKIP_DOWNLOAD=1)")
    plantuml = shutil.which("plantuml")
    if plantuml:
        source = folder / "activity.puml"
        source.write_text(PLANTUML_ACTIVITY)
        command = [plantuml, "-tsvg", str(source)]
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "plantuml"], capture_output=True,
                                 text=True).stdout.strip() or "?"
        first = run(command, env=env, cwd=folder)
        figure = repeat(lambda: run(command, env=env, cwd=folder), repeats,
                        lambda: source.with_suffix(".svg").unlink(missing_ok=True))
        if not source.with_suffix(".svg").exists():
            raise RuntimeError("PlantUML wrote no SVG")
        rows.append([f"PlantUML activity ({version}, Java)", ms(figure.cpu), ms(figure.wall), ms(first.wall),
                     "userflow-checkout.yaml", ms(cold["userflow-checkout.yaml"].cpu),
                     ms(cold["userflow-checkout.yaml"].wall)])
    else:
        notes.append("PlantUML: not installed; bench/install-peers installs it (apt-get install plantuml)")
    if rows:
        print(f"  {repeats} runs each, after one untimed first run; CPU includes the browser's or JVM's processes")
        table(["tool and diagram", "CPU", "wall", "first run wall", "cxviz, comparable spec", "CPU", "wall"], rows)
    for note in notes:
        print(f"  {note}")


BREAKDOWN = r"""
import json, sys, time
from pathlib import Path
import cxviz, cxviz.api
from cxviz.rendering.graphviz import layout
from cxviz.rendering.svg import finish_svg

describe = getattr(cxviz.api, "_description", lambda spec: spec.model.title)
paths = Path(sys.argv[1]).read_text().splitlines()
clock = time.perf_counter
times = {}
start = clock(); specs = [cxviz.load(p) for p in paths]; times["load"] = clock() - start
start = clock(); graphs = [cxviz.build_graph(s) for s in specs]; times["draw"] = clock() - start
start = clock(); laid_out = layout(graphs, "svg"); times["layout"] = clock() - start
failed = [r.error for r in laid_out if r.error is not None]
if failed:
    sys.exit(f"layout failed: {failed[0]}")

def finish(embed):
    return [finish_svg(r.output, title=s.model.title, description=describe(s), lang=s.model.lang,
                       overlays=g.overlays, order=g.order, embed_font=embed)
            for s, g, r in zip(specs, graphs, laid_out)]

start = clock(); finish(False); times["finish"] = clock() - start
start = clock(); finish(True); times["finish_font"] = clock() - start
print(json.dumps(times))
"""


def batches(work: Path, env: dict, count: int, seed: int, repeats: int) -> tuple[list, dict]:
    heading(f"3. Batches of {count} varied specs: the command line as a docs build calls it, and raw Graphviz"
            + (" (SMOKE RUN: too few specs to judge by)" if count < MIN_SPECS else ""))
    start = time.perf_counter()
    entries = corpus.generate(work / "corpus", count, seed)
    by_kind = {kind: [e for e in entries if e.kind == kind] for kind in KINDS}
    langs = {lang: sum(e.lang == lang for e in entries) for lang in ("en", "id", "ar")}
    print(f"  corpus: {len(entries)} specs written and validated in {secs(time.perf_counter() - start)} "
          f"({', '.join(f'{len(v)} {k}' for k, v in by_kind.items())}; "
          f"{', '.join(f'{n} {lang}' for lang, n in langs.items())}), every one with text of its own")

    sources: dict[str, dict[str, list[str]]] = {kind: {"dot": [], "neato": []} for kind in KINDS}
    for entry in entries:  # DOT collected through the API beforehand, not timed
        graph = cxviz.build_graph(cxviz.load(entry.path))
        sources[entry.kind][graph.engine].append(graph.source)
    everything = {engine: [s for kind in KINDS for s in sources[kind][engine]] for engine in ("dot", "neato")}

    out = work / "batch-out"
    subsets = font_cache_dir()

    def fresh() -> None:
        # A docs build with new text: no outputs yet, and no font subset made for these texts before.
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(subsets, ignore_errors=True)

    def cli(paths: list[str], *extra: str):
        return lambda: run([PY, "-m", "cxviz", "render", *paths, "-o", str(out), "--no-cache", "-q", *extra],
                           env=env, cwd=work)

    groups = [("all", [str(work / "corpus")], everything, len(entries))]
    groups += [(kind, [str(e.path) for e in by_kind[kind]], sources[kind], len(by_kind[kind])) for kind in KINDS]
    rows, figures = [], {}
    for label, paths, graphs, n in groups:
        default, single, raw = [], [], []
        for _ in range(repeats):  # interleaved, so that a slow moment of the machine hits all three alike
            fresh()
            default.append(cli(paths)())
            fresh()
            single.append(cli(paths, "--jobs", "1")())
            raw.append(raw_graphviz(graphs, env))
        d, s, r = Figure.of(default), Figure.of(single), Figure.of(raw)
        figures[label] = (d, s, r, n)
        aim = AIM_BATCH if label == "all" else AIM_BATCH_JOURNEY if label == "journey" else None
        rows.append([label, str(n), secs(r.wall), secs(r.cpu), secs(d.wall), secs(d.cpu), f"{d.cpu / d.wall:.2f}",
                     f"{d.wall / r.wall:.2f}x", f"<= {aim:.2f}x {verdict(d.wall / r.wall <= aim)}" if aim else "-",
                     secs(s.wall), secs(s.cpu), f"{s.wall / r.wall:.2f}x", verdict(d.wall <= s.wall),
                     f"{d.wall / n * 1000:.1f} ms"])
    print(f"  wall and CPU: median of {repeats} run(s); ratio = cxviz wall / raw Graphviz wall")
    table(["specs", "n", "raw wall", "raw CPU", f"cxviz {os.cpu_count()} jobs wall", "CPU", "cores", "ratio", "aim",
           "--jobs 1 wall", "CPU", "ratio", "default <= --jobs 1", "per spec"], rows)
    print(f"  cxviz = python -m cxviz render DIR -o OUT --no-cache -q (per kind: the kind's files named), outputs "
          f"and font subsets cleared before each run; cores = CPU / wall;\n  raw = the same DOT, every graph of an "
          f"engine in one dot -Tsvg / neato -n2 -Tsvg process")

    # The same tree when the font subsets are already on disk: what subsetting costs a batch.
    shutil.rmtree(out, ignore_errors=True)
    again = repeat(cli([str(work / "corpus")]), repeats, lambda: shutil.rmtree(out, ignore_errors=True))
    d = figures["all"][0]
    print(f"  all, font subsets already on disk (a rebuild whose text did not change, without the render cache): "
          f"{secs(again.wall)} wall, {secs(again.cpu)} CPU (vs {secs(d.wall)}, {secs(d.cpu)})")

    print("\n  Where the time goes, per kind (in process, through the API; a fresh process per kind, font subsets "
          "cleared; ms per diagram):")
    rows = []
    for kind in KINDS:
        listing = work / f"{kind}.txt"
        listing.write_text("\n".join(str(e.path) for e in by_kind[kind]))
        shutil.rmtree(subsets, ignore_errors=True)
        result = run([PY, "-c", BREAKDOWN, str(listing)], env=env, cwd=work, check=False)
        if result.code != 0:
            rows.append([kind, "error: " + result.stderr.decode("utf-8", "replace").strip().splitlines()[-1]])
            continue
        t = json.loads(result.stdout)
        n = len(by_kind[kind])
        steps = [t["load"], t["draw"], t["layout"], t["finish"], t["finish_font"] - t["finish"]]
        total = t["load"] + t["draw"] + t["layout"] + t["finish_font"]
        single, raw = figures[kind][1], figures[kind][2]
        per = lambda x: f"{x / n * 1000:.1f}"  # noqa: E731
        rows.append([kind, *(f"{per(x)} ({x / total:.0%})" for x in steps), per(total), per(raw.wall),
                     per(single.wall), per(single.wall - total)])
    table(["kind", "load+validate", "drawing (build_graph)", "Graphviz layout", "SVG finishing",
           "font embedding", "total", "raw Graphviz", "CLI --jobs 1", "CLI rest"], rows)
    print("  load+validate = cxviz.load (YAML, checks, persona files and photos); drawing = cxviz.build_graph; "
          "layout = cxviz's Graphviz runs (one process per engine);\n  finishing = finish_svg without the font, "
          "font embedding = what embed_font=True adds (subsetting); CLI rest = CLI --jobs 1 wall - total "
          "(start-up, imports, hashing, writing files)")
    return entries, figures


def rebuild(work: Path, env: dict, count: int, seed: int, repeats: int) -> None:
    heading(f"4. No-change rebuild: {count} varied specs, rendered once with a cache, then again unchanged"
            + (" (SMOKE RUN: too few specs to judge by)" if count < REBUILD_SPECS else ""))
    entries = corpus.generate(work / "rebuild", count, seed)
    cache, out = work / "rebuild-cache", work / "rebuild-out"
    command = [PY, "-m", "cxviz", "render", str(work / "rebuild"), "-o", str(out), "--cache-dir", str(cache)]
    # Both first renders make their font subsets, as for new text.
    shutil.rmtree(font_cache_dir(), ignore_errors=True)
    plain = run([*command[:-2], "--no-cache", "-q"], env=env, cwd=work)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(font_cache_dir(), ignore_errors=True)
    first = run([*command, "-q"], env=env, cwd=work)
    again = repeat(lambda: run([*command, "-q"], env=env, cwd=work), repeats)
    check = run(command, env=env, cwd=work).stderr.decode("utf-8", "replace").strip().splitlines()[-1]
    expected = f"({len(entries)} from the cache)"
    print(f"  render without the cache          {secs(plain.wall):>8} wall  {secs(plain.cpu):>8} CPU")
    print(f"  first render (empty cache)        {secs(first.wall):>8} wall  {secs(first.cpu):>8} CPU")
    print(f"  unchanged rebuild (median of {repeats})   {secs(again.wall):>8} wall  {secs(again.cpu):>8} CPU"
          f"   aim < {AIM_REBUILD:.1f} s: {verdict(again.wall < AIM_REBUILD)}")
    print(f"  the command line says: {check!r}{'' if expected in check else '  (NOT all from the cache)'}")


def pdfs(work: Path, env: dict, repeats: int) -> None:
    heading("5. Printable canvases (PDF): seconds per page")
    from pypdf import PdfReader

    rows = []
    first_spec = cxviz.load(SAMPLES / "whys-checkout.yaml")
    start = time.perf_counter()
    render_pdf(first_spec, paper="A3")
    first = time.perf_counter() - start
    for name in ("whys-checkout.yaml", "journey-grocery.yaml", "blueprint-telco.yaml", "empathy-omar.yaml",
                 "persona-maya.yaml"):
        spec = cxviz.load(SAMPLES / name)
        data = render_pdf(spec, paper="A3")
        pages = len(PdfReader(io.BytesIO(data)).pages)
        seconds = timed(lambda: render_pdf(spec, paper="A3"), repeats)
        rows.append([f"filled A3, {name}", str(pages), secs(seconds), secs(seconds / pages)])
    # A journey far longer than a sheet: split between steps onto as few pages as keep body text at 7 pt.
    dense = cxviz.load(ROOT / "tests" / "dense" / "journey-300-steps-id.yaml")
    data = render_pdf(dense)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    seconds = timed(lambda: render_pdf(dense), repeats)
    rows.append(["filled, 300-step journey (tests/dense), its own paper", str(pages), secs(seconds),
                 secs(seconds / pages)])
    for kind in ("journey", "empathy"):
        data = render_blank(kind, paper="A3")
        pages = len(PdfReader(io.BytesIO(data)).pages)
        seconds = timed(lambda: render_blank(kind, paper="A3"), repeats)
        rows.append([f"blank A3 {kind} canvas", str(pages), secs(seconds), secs(seconds / pages)])
    print(f"  in process (cxviz.api.render_pdf / render_blank), median of {repeats}; pages counted with pypdf")
    table(["canvas", "pages", "time", "per page"], rows)
    print(f"  first PDF of this process (imports WeasyPrint, loads fonts): {secs(first)}")
    target = work / "one.pdf"
    figure = repeat(lambda: run([PY, "-m", "cxviz", "render", str(SAMPLES / "whys-checkout.yaml"), "--format",
                                 "pdf", "--paper", "A3", "-o", str(target), "--no-cache"], env=env, cwd=work),
                    max(1, repeats // 2 + 1), lambda: target.unlink(missing_ok=True))
    print(f"  cold single call, python -m cxviz render whys-checkout.yaml --format pdf --paper A3: "
          f"{secs(figure.wall)} wall, {secs(figure.cpu)} CPU")


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
    # A tree ten wide at the top, each cause with three children, five levels deep at most.
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


def large(env: dict) -> None:
    heading("Large diagrams (one render in process, against raw Graphviz on the same DOT)")
    rows = []
    for label, text in (("300-step journey", big_journey(300)), ("1,000-node 5 Whys tree", big_whys(1000)),
                        ("500-node user flow", big_flow(500))):
        try:
            spec = cxviz.loads(text, limits=cxviz.Limits(max_items=5000))
            graph = cxviz.build_graph(spec)
            ours = timed(lambda: cxviz.render_svg(spec, limits=cxviz.Limits(layout_seconds=120)), 1)
            raw = raw_graphviz({graph.engine: [graph.source]}, env)
        except Exception as exc:  # a section that no longer runs is reported, not the end of the benchmark
            rows.append([label, "error", f"{type(exc).__name__}: {exc}"[:120], ""])
            continue
        rows.append([label, secs(ours), secs(raw.wall), f"{ours / raw.wall:.2f}x"])
    table(["diagram", "cxviz render_svg", "raw Graphviz", "ratio"], rows)


def memory(work: Path, env: dict) -> None:
    heading("7. Peak memory")
    out = work / "memory-out"
    command = [PY, "-m", "cxviz", "render", str(work / "corpus"), "-o", str(out), "--no-cache", "-q"]
    shutil.rmtree(out, ignore_errors=True)
    largest, tree = peak_rss(command, env=env, cwd=work, sample=True)
    shutil.rmtree(out, ignore_errors=True)
    single, _ = peak_rss([*command, "--jobs", "1"], env=env, cwd=work)
    print(f"  CLI batch run on the corpus, {os.cpu_count()} jobs: largest single process {largest / 1024:.0f} MiB "
          f"peak RSS; the whole process tree at its peak {tree / 1024:.0f} MiB (PSS summed, sampled every 20 ms)")
    print(f"  CLI batch run on the corpus, --jobs 1: {single / 1024:.0f} MiB peak RSS (largest single process)")
    print(f"  this benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB peak RSS "
          "(after every section, PDFs included)")


def reviewing(work: Path, repeats: int, seed: int) -> None:
    """Designers in git: comparing, marking, outlining, formatting and exporting revised specs; the preview."""
    import random

    import yaml

    heading("6. Reviewing changes (diff, fmt, outline, export, serve)")
    rows = []
    for name, lang in (("journey-300-steps-en.yaml", "en"), ("userflow-checkout-45-steps.yaml", "en"),
                       ("journey-dense-ar.yaml", "ar"), ("whys-branching-ar.yaml", "ar")):
        source = ROOT / "tests" / "dense" / name
        text = source.read_text(encoding="utf-8")
        # A revision as a team makes one: a few words rewritten, items added and dropped across the map.
        revised = corpus.vary_spec(yaml.safe_load(text), corpus.Varier(random.Random(seed), lang, share=0.04), "")
        new_text = yaml.safe_dump(revised, allow_unicode=True, sort_keys=False, width=100)
        old = cxviz.loads(text, name=name, base_dir=source.parent)
        new = cxviz.loads(new_text, name=name, base_dir=source.parent)
        changes = cxviz.diff_specs(old, new)
        marked = cxviz.mark_changes(new, changes, old_spec=old)
        width = float(marked.split('viewBox="', 1)[1].split()[2])
        scale = max(0.25, round(min(1.0, 16000 / (width * 4 / 3)), 2))  # a 300-step journey is wider than a PNG may be
        counts = {kind: sum(c.change == kind for c in changes) for kind in ("added", "changed", "removed", "moved")}
        figures = [
            ms(timed(lambda: cxviz.diff_specs(old, new), repeats)),
            ms(timed(lambda: cxviz.mark_changes(new, changes, old_spec=old), repeats)),
            secs(timed(lambda: cxviz.mark_changes(new, changes, old_spec=old, format="png", scale=scale),
                       max(1, repeats // 3))) + (f" (x{scale:g})" if scale < 1 else ""),
            ms(timed(lambda: cxviz.outline_spec(new), repeats)),
            ms(timed(lambda: cxviz.format_spec(text, name, base_dir=source.parent), repeats)),
            ms(timed(lambda: cxviz.export_mermaid(new), repeats)) if old.kind.name in ("journey", "userflow")
            else "-",
        ]
        rows.append([name, " ".join(f"{n}{k[0]}" for k, n in counts.items()), *figures])
    print(f"  in process, median of {repeats} (PNG: of {max(1, repeats // 3)}); each revision made by "
          "bench/corpus.py's varier (4% of words rewritten, items added and dropped), seed "
          f"{seed}; changes: a(dded) c(hanged) r(emoved) m(oved)")
    table(["spec (tests/dense)", "changes", "diff", "marked SVG", "marked PNG", "outline", "fmt", "Mermaid"], rows)

    # The preview: from a save to the new picture, over the samples and the 300-step journey.
    folder = work / "preview"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("import"))
    shutil.copy(ROOT / "tests" / "dense" / "journey-300-steps-en.yaml", folder)
    interval = 0.1
    rng = random.Random(seed)
    with cxviz.preview(folder, port=0, interval=interval) as live:
        start = time.perf_counter()
        live.wait_for_scan(300)
        first = time.perf_counter() - start
        latencies = {}
        for target in ("whys-checkout.yaml", "journey-300-steps-en.yaml"):
            path = folder / target
            original = path.read_text(encoding="utf-8")
            times = []
            for _ in range(max(3, repeats // 3)):
                word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9))
                path.write_text(re.sub(r"^(title: ['\"]?)", rf"\g<1>{word} ", original, count=1, flags=re.M),
                                encoding="utf-8")
                saved = time.perf_counter()
                while word not in (live.gallery.get(target).svg or ""):
                    if time.perf_counter() - saved > 60:
                        raise RuntimeError(f"the preview did not redraw {target} within a minute")
                    live.gallery.wait(live.gallery.version, 5)
                times.append(time.perf_counter() - saved)
            latencies[target] = statistics.median(times)
    print(f"  cxviz serve over {len(list(folder.glob('*.yaml')))} specs, checking every {interval:g} s: first "
          f"pictures of all in {secs(first)}; from a save to the new picture, median: "
          + ", ".join(f"{name} {secs(seconds)}" for name, seconds in latencies.items()))


# -- main ----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats; allows a smaller corpus (smoke run)")
    parser.add_argument("--specs", type=int, default=MIN_SPECS,
                        help=f"specs in the batch corpus (default and minimum {MIN_SPECS}; less only with --quick)")
    parser.add_argument("--rebuild-specs", type=int, default=REBUILD_SPECS,
                        help=f"specs in the rebuild corpus (default and minimum {REBUILD_SPECS}; less only with --quick)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the varied corpora")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (corpora, outputs)")
    args = parser.parse_args()
    if args.specs < MIN_SPECS and not args.quick:
        parser.error(f"--specs below {MIN_SPECS} is a smoke run: add --quick")
    if args.rebuild_specs < REBUILD_SPECS and not args.quick:
        parser.error(f"--rebuild-specs below {REBUILD_SPECS} is a smoke run: add --quick")
    if args.specs < 15 or args.rebuild_specs < 15:
        parser.error("a corpus needs at least 15 specs (one set of samples)")
    repeats = 3 if args.quick else 15
    batch_repeats = 1 if args.quick else 3
    pdf_repeats = 1 if args.quick else 3
    peer_repeats = 2 if args.quick else 5

    work = Path(tempfile.mkdtemp(prefix="cxviz-bench-"))
    # Every cache cxviz and fontconfig keep lives in the work folder: the figures do not depend on what
    # earlier runs left in ~/.cache, and the user's caches are left alone.
    os.environ["XDG_CACHE_HOME"] = str(work / "xdg-cache")
    fontconfig_environment.cache_clear()
    # Byte-compiled once into the work folder, as an installed package is: without this, a tree whose
    # sources are newer than their .pyc files (or PYTHONDONTWRITEBYTECODE) recompiles in every process.
    env = {**os.environ, **fontconfig_environment(), "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    for name in ("CI", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    become_subreaper()
    try:
        header(args)
        warm_up(work, env)
        with other_load():
            cold = cold_calls(work, env, repeats)
        with other_load():
            peers(work, env, peer_repeats, cold)
        with other_load():
            batches(work, env, args.specs, args.seed, batch_repeats)
        with other_load():
            rebuild(work, env, args.rebuild_specs, args.seed + 1, repeats=3 if args.quick else 7)
        with other_load():
            pdfs(work, env, pdf_repeats)
        with other_load():
            large(env)
        with other_load():
            reviewing(work, 3 if args.quick else 9, args.seed)
        with other_load():
            memory(work, env)
        print(f"\nload average after the run: {load_average()}")
    finally:
        if args.keep:
            print(f"\nwork folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
