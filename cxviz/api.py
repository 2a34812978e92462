"""The public Python API: what the command line does, a program can do.

>>> import cxviz
>>> spec = cxviz.loads('''
... kind: whys
... title: Late deliveries
... problem: Orders arrive a day late
... whys:
...   - because: Couriers collect after the cut-off
...     root: true
...     countermeasure: Move the cut-off to 16:00
... ''')
>>> spec.kind.name
'whys'
>>> spec.where("whys[0].because")
Location(file='<string>', line=6, column=14)
>>> svg = cxviz.render(spec, "svg")
>>> 'id="whys.0" class="node cxviz-root-cause"' in svg
True
>>> cxviz.render(spec, "png", cxviz.Options(scale=1))[:4]
b'\\x89PNG'
>>> cxviz.schema("nope")
Traceback (most recent call last):
    ...
cxviz.diagnostics.OptionError: unknown kind 'nope'; the kinds are: journey, empathy, persona, whys, userflow
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .access import FileAccess, spec_link_problem
from .diagnostics import (CxvizError, Diagnostic, OptionError, PathError, RenderError, Reporter, Severity,
                          SpecError, format_diagnostics, printable)
from .limits import Limits
from .loading import LoadedSource, parse_yaml, read_source
from .located import Location
from .locale import catalogue
from .options import Options
from .registry import Kind, RenderContext, all_kinds, get_kind, kind_names
from .document import Document
from .diffing import Change
from .schema import json_schema, reference_markdown, yaml_key
from .validation import Spec, validate_source

if TYPE_CHECKING:  # drawing code loads when something is drawn, not when a spec is read
    from .graph.dot import DotGraph
    from .rendering.graphviz import LayoutBatch
    from .serving import Preview

__all__ = [
    # reading specs
    "Spec",
    "Location",
    "FileAccess",
    "Limits",
    "load",
    "loads",
    "check",
    "checks",
    # editing specs
    "format_spec",
    # rendering
    "Options",
    "FORMATS",
    "render",
    "render_many",
    "render_files",
    "FileResult",
    "build_graph",
    "render_dot",
    "render_svg",
    "render_svgs",
    "render_png",
    "render_pngs",
    "render_pdf",
    "render_blank",
    "render_pack",
    "inline_svg",
    "write_output",
    # what cxviz knows
    "kinds",
    "kind_names",
    "languages",
    "language_warning",
    "use_locale_dir",
    "noting_missing_words",
    "papers",
    "schema",
    "reference",
    "starter",
    "import_notes",
    # other diagram languages
    "export_mermaid",
    # comparing versions
    "Change",
    "diff_specs",
    "diff_texts",
    "format_changes",
    "mark_changes",
    "outline_spec",
    "tracked_folders",
    "read_revision",
    # live preview
    "preview",
    # errors and diagnostics
    "CxvizError",
    "SpecError",
    "RenderError",
    "OptionError",
    "PathError",
    "Diagnostic",
    "Severity",
    "format_diagnostics",
    "printable",
]


def load(path: str | Path, *, limits: Limits | None = None, access: FileAccess | None = None) -> Spec:
    """Read and validate a spec file (``"-"`` for standard input).

    Raises :class:`~cxviz.SpecError` carrying every diagnostic if the spec
    has errors; warnings are kept on the returned :class:`Spec`. ``access``
    says which files the spec's references may reach (its own folder by
    default).
    """
    spec, diagnostics = _validate(_read(path, limits, access), limits, access)
    if spec is None:
        raise SpecError(diagnostics)
    return spec


def loads(text: str, *, name: str = "<string>", base_dir: str | Path | None = None,
          limits: Limits | None = None, access: FileAccess | None = None) -> Spec:
    """Validate spec text; relative file references resolve against ``base_dir``."""
    source = parse_yaml(text, name, limits)
    if base_dir is not None:
        source.path = Path(base_dir) / "__spec__.yaml"
    spec, diagnostics = _validate(source, limits, access)
    if spec is None:
        raise SpecError(diagnostics)
    spec.name = name
    return spec


def check(path: str | Path, *, limits: Limits | None = None, access: FileAccess | None = None) -> list[Diagnostic]:
    """Every error and warning in a spec file, without raising."""
    return _validate(_read(path, limits, access), limits, access)[1]


def _read(path: str | Path, limits: Limits | None, access: FileAccess | None) -> LoadedSource:
    """A spec file read and parsed, unless it is a link leading out of its folder."""
    if str(path) != "-":
        problem = spec_link_problem(Path(path), access or FileAccess())
        if problem is not None:
            source = LoadedSource(str(path), "", None, Reporter(str(path)))
            source.reporter.error(0, 0, "", problem)
            return source
    return read_source(path, limits)


def checks(text: str, *, name: str = "<string>", limits: Limits | None = None) -> list[Diagnostic]:
    """Every error and warning in spec text, without raising."""
    return _validate(parse_yaml(text, name, limits), limits)[1]


def _validate(source, limits, access=None):
    return validate_source(source, limits, access=access)


def _context(spec: Spec, options: dict | None) -> RenderContext:
    return RenderContext(catalogue(spec.model.lang), spec.base_dir, dict(options or {}))


def build_graph(spec: Spec, **options) -> DotGraph:
    """The Graphviz graph for a spec, before layout (its ``scene`` names what it draws).

    A word cxviz lacks in the spec's language becomes a warning on the spec.
    """
    with _noting_missing_words(spec):
        return spec.kind.build_graph(spec.model, _context(spec, options))


@contextlib.contextmanager
def _noting_missing_words(spec: Spec):
    """Warn on ``spec`` (at its ``lang:``) about each built-in word drawn in English or as its key."""
    from .locale import noting_missing_words

    with noting_missing_words() as missed:
        yield
    if not missed:
        return
    try:
        location = spec.where("lang")
        line, column = location.line, location.column
    except PathError:
        line = column = 0
    source = spec.source_text.splitlines()[line - 1] if 0 < line <= spec.source_text.count("\n") + 1 else ""
    for word in missed:
        warning = Diagnostic(Severity.WARNING, spec.name, line, column, "lang", word.message, source)
        if warning not in spec.diagnostics:
            spec.diagnostics.append(warning)


def render_dot(spec: Spec, **options) -> str:
    """The DOT source Graphviz lays out for a spec."""
    return build_graph(spec, **options).source


def _description(spec: Spec) -> str:
    model = spec.model
    if model.description:
        return model.description
    locale = catalogue(model.lang)
    if spec.kind.describe is not None:
        return spec.kind.describe(model, locale)
    return f"{locale['kinds.' + spec.kind.name]}: {model.title}"


def _build_graphs(specs: list[Spec], options: dict, batch: LayoutBatch) -> list[DotGraph | RenderError]:
    """Each spec's graph, or the error that stopped building it; graphs go to ``batch`` as they are built."""
    graphs: list[DotGraph | RenderError] = []
    for spec in specs:
        try:
            graph = build_graph(spec, **options)
        except RenderError as exc:
            graphs.append(exc)
        except Exception as exc:  # one spec's bug must not stop the batch
            graphs.append(drawing_failed(exc))
        else:
            graphs.append(graph)
            batch.add(graph)
    return graphs


def _svg_layouts(specs: list[Spec], options: dict, limits: Limits):
    """Each spec with its graph and Graphviz's SVG of it, or the RenderError that stopped it.

    The graphs are laid out with one Graphviz process per engine, each
    graph as soon as it is drawn.
    """
    from .rendering.graphviz import LayoutBatch

    batch = LayoutBatch("svg", limits.layout_seconds)
    graphs = _build_graphs(specs, options, batch)
    laid_out = iter(batch.results())
    for spec, graph in zip(specs, graphs):
        if isinstance(graph, RenderError):
            yield spec, None, graph
            continue
        result = next(laid_out)
        yield spec, graph, result.output if result.error is None else result.error


def render_svgs(specs: list[Spec], *, embed_font: bool = True, limits: Limits | None = None,
                **options) -> list[str | RenderError]:
    """Render many specs to SVG with one Graphviz process per engine.

    Each entry is the SVG text, or the :class:`~cxviz.RenderError` that
    stopped that spec (the others still render).
    """
    return [svg for _, svg in _finished_svgs(specs, embed_font, limits or Limits(), options)]


def _finished_svgs(specs: list[Spec], embed_font: bool, limits: Limits, options: dict):
    """Each spec's graph (None when it failed) and finished SVG, or the RenderError that stopped it."""
    from .rendering.svg import finish_svg

    for spec, graph, svg in _svg_layouts(specs, options, limits):
        if isinstance(svg, RenderError):
            yield graph, svg
            continue
        yield graph, finish_svg(svg, title=spec.model.title, description=_description(spec),
                                lang=spec.model.lang, overlays=graph.overlays, order=graph.order,
                                embed_font=embed_font)


def inline_svg(svg: str, prefix: str) -> str:
    """A finished SVG ready to sit inside an HTML page: no XML prolog, every id prefixed by ``prefix``."""
    from .rendering.svg import inline_svg as inlined

    return inlined(svg, prefix)


def drawing_failed(exc: Exception) -> RenderError:
    """A RenderError for an unexpected failure while drawing one spec."""
    return RenderError(f"could not be drawn ({type(exc).__name__}: {exc}); this is a bug in cxviz, please report it")


def render_svg(spec: Spec, *, embed_font: bool = True, limits: Limits | None = None,
               inline_prefix: str | None = None, **options) -> str:
    """Render one spec to SVG text; raises :class:`~cxviz.RenderError` on failure.

    With ``inline_prefix`` the SVG is ready to embed in HTML: no XML prolog,
    and every id prefixed, so that several diagrams can share one page.
    """
    result = render_svgs([spec], embed_font=embed_font, limits=limits, **options)[0]
    if isinstance(result, RenderError):
        raise result
    return result if inline_prefix is None else inline_svg(result, inline_prefix)


def render_pngs(specs: list[Spec], *, scale: float | None = None, dpi: float | None = None,
                limits: Limits | None = None, **options) -> list[bytes | RenderError]:
    """Render many specs to PNG images, drawn by Graphviz in the SVG's font.

    ``scale`` is relative to the SVG's size (1 = one pixel per CSS pixel,
    96 dpi; default 2); ``dpi`` gives the resolution instead. Each entry is
    the PNG's bytes, or the :class:`~cxviz.RenderError` that stopped that
    spec, such as an image over ``limits.max_png_pixels``. Raises ValueError
    for a scale or dpi out of range.
    """
    from .rendering.png import check_size, diagram_png, pixel_size, resolution, svg_size

    dots = resolution(scale, dpi)
    limits = limits or Limits()
    results: list[bytes | RenderError] = []
    # Laid out to SVG first, to learn each size before any bitmap is allocated.
    for spec, graph, svg in _svg_layouts(specs, options, limits):
        try:
            if isinstance(svg, RenderError):
                raise svg
            check_size(pixel_size(*svg_size(svg), dots), dots, limits.max_png_pixels)
            results.append(diagram_png(graph, dots, limits.layout_seconds, title=spec.model.title,
                                       description=_description(spec), lang=spec.model.lang))
        except RenderError as exc:
            results.append(exc)
        except Exception as exc:  # one spec's bug must not stop the batch
            results.append(drawing_failed(exc))
    return results


def render_png(spec: Spec, *, scale: float | None = None, dpi: float | None = None,
               limits: Limits | None = None, **options) -> bytes:
    """Render one spec to PNG bytes; raises :class:`~cxviz.RenderError` on failure.

    See :func:`render_pngs` for ``scale`` and ``dpi``.
    """
    result = render_pngs([spec], scale=scale, dpi=dpi, limits=limits, **options)[0]
    if isinstance(result, RenderError):
        raise result
    return result


def kinds() -> list[Kind]:
    """Every diagram kind cxviz draws."""
    return all_kinds()


def _kind(name: str) -> Kind:
    """The kind called ``name``; an :class:`OptionError` listing the kinds if there is none."""
    kind = get_kind(name) if isinstance(name, str) else None
    if kind is None:
        names = kind_names()
        close = difflib.get_close_matches(str(name), names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise OptionError(f"unknown kind {name!r}{hint}; the kinds are: {', '.join(names)}")
    return kind


def schema(kind_name: str) -> str:
    """The JSON Schema of a kind's spec, as indented JSON text."""
    kind = _kind(kind_name)
    document = json_schema(kind.model, title=f"cxviz {kind.name} spec", const={"kind": kind.name})
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def reference(kind_name: str) -> str:
    """The Markdown reference of a kind's spec fields (the common header left out)."""
    kind = _kind(kind_name)
    header = tuple(yaml_key(f) for f in dataclasses.fields(Document))
    # A record shared by several kinds (a persona) is documented once, with the kind it belongs to.
    elsewhere = {record: f"{anchor}-{owner}" for other in all_kinds() if other is not kind
                 for owner, shared in [(other.name, other.shares)] for record, anchor in shared.items()}
    return reference_markdown(kind.model, skip=header, scope=kind.name, elsewhere=elsewhere)


def format_spec(text: str, name: str = "<string>", *, base_dir: str | Path | None = None,
                limits: Limits | None = None, access: FileAccess | None = None) -> str:
    """Spec text with its keys in the spec format's order, comments, blank lines and quotes kept.

    Each mapping's keys are put in the order its record declares them (the
    header, ``kind`` to ``authors``, first), level by level; keys the format
    does not know stay last, in their order. The spec is validated first,
    file references resolved against ``base_dir``: a spec with errors raises
    :class:`~cxviz.SpecError` with every diagnostic. Formatting twice changes
    nothing, and the formatted spec draws exactly as the original.
    """
    from .formatting import format_spec as formatted  # ruamel.yaml loads only to format

    return formatted(text, name, base_dir=base_dir, limits=limits, access=access)


def starter(kind_name: str, lang: str = "en") -> str:
    """A commented starter spec for a kind, in ``lang``."""
    kind = _kind(kind_name)
    text = kind.starter_path.read_text(encoding="utf-8")
    return text.replace("lang: en", f"lang: {lang}", 1)


def import_notes(path: str | Path, kind: str, *, title: str | None = None, lang: str | None = None,
                 format: str | None = None, limits: Limits | None = None,
                 on_warning: Callable[[Diagnostic], None] | None = None) -> str:
    """A spreadsheet of sticky notes (CSV or XLSX, one row a note) as the YAML text of a ``kind`` spec.

    The first row names the columns (in en, id, ar or jv); the notes keep the
    order of the rows. ``format`` is ``csv`` or ``xlsx`` (default: by the
    suffix), ``title`` defaults to the file's name and ``lang`` to the
    language of the header row. The text returned validates; bad cells raise
    :class:`~cxviz.SpecError` with a diagnostic at their row and column.
    ``on_warning`` receives the spec's warnings, placed at their cells too.
    """
    from .importing import import_notes as run  # the spreadsheet readers load only for an import

    return run(path, kind, title=title, lang=lang, format=format, limits=limits, on_warning=on_warning)


def export_mermaid(spec: Spec) -> str:
    """A journey or user-flow spec as Mermaid text, for places that render only Mermaid.

    A journey becomes a Mermaid ``journey`` (a section per stage, a task per
    step scored 1 to 5 from its emotion), a user flow a ``flowchart`` (a
    shape per type of step, a subgraph per lane). The export is lossy: what
    Mermaid cannot show (a journey's other lanes, the legend...) is left
    out, as README.md lists. Raises :class:`~cxviz.OptionError` for the other
    kinds.
    """
    from .exporting.mermaid import export

    return export(spec.kind.name, spec.model)


def diff_specs(old: Spec, new: Spec) -> list[Change]:
    """What changed from one version of a spec to another: things added, removed, changed and moved.

    Things are matched by what they say and where they sit, not by their
    place in a list alone, so inserting a step is one addition (see
    :mod:`cxviz.diffing` for the rule). Each :class:`Change` has ``as_dict()``
    for JSON.
    """
    from .diffing import diff_specs as diffed

    return diffed(old, new)


def outline_spec(spec: Spec) -> str:
    """What a spec shows as an indented outline, one thing a line (see :func:`cxviz.diffing.outline`).

    Meant for line-based tools: ``cxviz outline`` is a git textconv driver.
    """
    from .diffing import outline

    return outline(build_graph(spec).scene)


def tracked_folders(name: str) -> list[Path]:
    """The folders of the current git work tree holding a tracked file called ``name`` (see :mod:`cxviz.diffing`)."""
    from .diffing import tracked_folders as folders

    return folders(name)


def diff_texts(old_text: str, new_text: str, name: str = "<string>", *, old_name: str | None = None,
               base_dir: str | Path | None = None, limits: Limits | None = None,
               access: FileAccess | None = None) -> list[Change]:
    """:func:`diff_specs` of two spec texts; raises :class:`~cxviz.SpecError` if either has errors.

    ``old_name`` names the old text in diagnostics (default ``name``);
    relative file references resolve against ``base_dir`` in both.
    """
    old = loads(old_text, name=old_name or name, base_dir=base_dir, limits=limits, access=access)
    new = loads(new_text, name=name, base_dir=base_dir, limits=limits, access=access)
    return diff_specs(old, new)


def format_changes(changes: list[Change], name: str) -> str:
    """Changes as text for a terminal: a count line, then one line per change."""
    from .diffing import format_changes as formatted

    return formatted(changes, name)


def mark_changes(new_spec: Spec, changes: list[Change], *, old_spec: Spec | None = None, format: str = "svg",
                 embed_font: bool = True, scale: float | None = None, dpi: float | None = None,
                 limits: Limits | None = None, **options) -> str | bytes:
    """The new version drawn with ``changes`` (from :func:`diff_specs`) marked on it.

    Shapes of added, changed and moved things get the classes
    ``cxviz-diff-added``, ``cxviz-diff-changed`` and ``cxviz-diff-moved``, an
    outline told apart by its dash pattern and a ``+``/``~``/``↕`` badge; a
    legend under the drawing (``#diff-legend``) explains them in the spec's
    language and lists what was removed. Given ``old_spec``, the legend also
    draws each removed thing as a faded ghost (``cxviz-diff-removed``).

    ``format`` is ``svg`` (text), ``png`` or ``pdf`` (bytes, drawn from that
    SVG by ``rsvg-convert``; ``scale``/``dpi`` as for :func:`render_png`, the
    PDF one page of the drawing's own size). Raises
    :class:`~cxviz.RenderError` when a version cannot be drawn.
    """
    from .diffmarks import mark_svg
    from .fonts import embedded_font_css
    from .rendering.svg import used_characters

    if format not in ("svg", "png", "pdf"):
        raise OptionError(f"changes are drawn as svg, png or pdf, not {format!r}")
    limits = limits or Limits()
    embed = embed_font and format == "svg"  # rsvg-convert finds the font through fontconfig
    # Both versions in one batch: one Graphviz process, and each graph's scene from the drawing itself.
    drawn = []
    for graph, svg in _finished_svgs([new_spec] + ([old_spec] if old_spec is not None else []), False, limits,
                                     options):
        if isinstance(svg, RenderError):
            raise svg
        drawn.append((svg, graph.scene))
    (svg, scene), old = drawn[0], (drawn[1] if old_spec is not None else None)
    font_css = (lambda marked: embedded_font_css(used_characters(marked))) if embed else None
    lang = new_spec.model.lang
    marked = mark_svg(svg, scene, changes, catalogue(lang), font_css=font_css, old=old)
    if format == "svg":
        return marked
    from .rendering.convert import svg_to_pdf, svg_to_png
    from .rendering.png import resolution

    if format == "png":
        return svg_to_png(marked, resolution(scale, dpi), lang=lang, max_pixels=limits.max_png_pixels,
                          timeout=limits.layout_seconds)
    return svg_to_pdf(marked, lang=lang, timeout=limits.layout_seconds)


def read_revision(revision: str, path: str | Path) -> str:
    """A file's text at a git revision (``git show REV:PATH``); OptionError with the reason if it cannot be read."""
    from .diffing import read_revision as read

    return read(revision, path)


def preview(path: str | Path, *, port: int = 8737, options: Options | None = None,
            interval: float = 0.5) -> Preview:
    """A live preview of the specs under ``path`` (a folder, or one spec file), served on 127.0.0.1 only.

    Nothing is served until it starts: ``with cxviz.preview("samples", port=0) as live:`` serves at
    ``live.url`` until the block ends (or use ``start()`` and ``stop()``; ``wait()`` blocks). The page
    lists the specs and shows each one drawn with ``options``; a save redraws it (files are checked
    every ``interval`` seconds) and the page follows without a reload. A spec with errors shows them
    at their lines and keeps its last picture; clicking a part of a diagram shows the line it is
    written on (:meth:`Spec.where` of the part's id). ``port`` 0 picks a free port. Raises
    :class:`~cxviz.OptionError` for a path that is neither a folder nor a ``.yaml``/``.yml`` file,
    a bad port or interval, and, from ``start()``, for a port in use.
    """
    from .serving import Preview as Served

    return Served(path, port=port, options=options, interval=interval)


def languages(locale_dir: str | Path | None = None) -> list[str]:
    """The languages cxviz has words in: its own, and those of the folder of your own words in effect.

    ``locale_dir`` names that folder (see :attr:`Options.locale_dir`); by
    default the one :func:`use_locale_dir` or ``CXVIZ_LOCALE_DIR`` set. Any
    other language gets English words, with a warning.
    """
    from .locale import available_languages

    with _locale_dirs(locale_dir):
        return available_languages()


def language_warning(lang: str, locale_dir: str | Path | None = None) -> str | None:
    """What to warn about a language cxviz has no words in, or None; OptionError for a malformed tag.

    The languages of the folder of your own words count (``locale_dir``, or the one in effect).
    """
    from .locale import LANGUAGE_TAG, language_warning as warning

    if not isinstance(lang, str) or not LANGUAGE_TAG.fullmatch(lang):
        raise OptionError(f"{lang!r} is not a language tag (such as en, id, ar or pt-BR)")
    with _locale_dirs(locale_dir):
        return warning(lang)


@contextlib.contextmanager
def use_locale_dir(locale_dir: str | Path):
    """Use a folder of your own words inside a ``with`` block, worker processes included.

    It sets ``CXVIZ_LOCALE_DIR`` for the block: every render, blank canvas,
    pack, spec loaded and language check in it adds the folder's languages
    and words. Yields the folder's absolute path; :class:`OptionError` if it
    is not a folder.
    """
    import os

    from .locale import LOCALE_DIR_VARIABLE

    folder = Options(locale_dir=str(locale_dir)).locale_dir
    previous = os.environ.get(LOCALE_DIR_VARIABLE)
    os.environ[LOCALE_DIR_VARIABLE] = folder
    try:
        yield folder
    finally:
        if previous is None:
            os.environ.pop(LOCALE_DIR_VARIABLE, None)
        else:
            os.environ[LOCALE_DIR_VARIABLE] = previous


def _locale_dirs(locale_dir: str | Path | None):
    """A ``with`` block using the folder of your own words ``locale_dir`` (None: the one in effect)."""
    from .locale import using_locale_dirs

    if locale_dir is not None:
        locale_dir = Options(locale_dir=str(locale_dir)).locale_dir
    return using_locale_dirs(locale_dir)


def _forget_stale_language_warnings(specs: list[Spec]) -> None:
    """Drop the warning that a spec's language has no words when the folder now in effect has them."""
    from .locale import language_warning as warning

    for spec in specs:
        if warning(spec.model.lang) is None:
            spec.diagnostics[:] = [d for d in spec.diagnostics if not (
                d.field == "lang" and d.severity == Severity.WARNING and d.message.startswith("no built-in words"))]


@contextlib.contextmanager
def noting_missing_words():
    """Collect, in a ``with`` block, the built-in words drawn in English (or as their key) for want of a word.

    Each item has ``key``, ``lang`` and ``message``. Rendering a spec turns
    them into warnings on the spec; this is for what has no spec, such as a
    blank canvas.
    """
    from .locale import noting_missing_words as noting

    with noting() as missed:
        yield missed


def papers() -> list[str]:
    """The paper sizes a canvas prints on (A0 to A5, Letter, Legal, Tabloid)."""
    from .printing.paper import PAPERS

    return [paper.name for paper in PAPERS.values()]


def write_output(target: str | Path, data: str | bytes, *, only_if_changed: bool = False) -> bool:
    """Write an output file safely; ``-`` is standard output. Returns whether anything was written.

    The file is replaced whole or not at all; a device or FIFO is written
    straight to and a symbolic link keeps pointing where it did (see
    :mod:`cxviz.output`). ``only_if_changed`` leaves a file with the same
    bytes untouched, so that its time stamp does not change.
    """
    from .output import write_atomically, write_if_changed

    if only_if_changed:
        return write_if_changed(str(target), data.encode("utf-8") if isinstance(data, str) else data)
    write_atomically(str(target), data)
    return True


# -- One entry point -----------------------------------------------------------------------

#: The formats :func:`render` writes: text for SVG and DOT, bytes for PNG and PDF.
FORMATS = ("svg", "png", "pdf", "dot")


def _options(options: Options | None, values: dict) -> Options:
    if options is not None and not isinstance(options, Options):
        raise OptionError(f"options must be a cxviz.Options, not {type(options).__name__}")
    base = options or Options()
    return base.replace(**values) if values else base


def _in_language(specs: list[Spec], lang: str | None) -> list[Spec]:
    if lang is None:
        return specs
    from .locale import in_language

    return [in_language(spec, lang) for spec in specs]


def render_many(specs: list[Spec], format: str = "svg", options: Options | None = None,
                **values) -> list[str | bytes | RenderError]:
    """Render many specs to one format, in one batch: one Graphviz process per engine.

    Each entry is the output (text for SVG and DOT, bytes for PNG and PDF),
    or the :class:`~cxviz.RenderError` that stopped that spec while the
    others still render. ``values`` change single options of ``options``.
    """
    chosen = _options(options, values)
    if format not in FORMATS:
        raise OptionError(f"unknown format {format!r}; the formats are: {', '.join(FORMATS)}")
    specs = _in_language(list(specs), chosen.lang)
    if chosen.locale_dir is None:
        return _render_many(specs, format, chosen)
    with _locale_dirs(chosen.locale_dir):
        _forget_stale_language_warnings(specs)
        return _render_many(specs, format, chosen)


def _render_many(specs: list[Spec], format: str, chosen: Options) -> list[str | bytes | RenderError]:
    if format == "svg":
        return render_svgs(specs, embed_font=chosen.embed_font, limits=chosen.limits)
    if format == "png":
        return render_pngs(specs, scale=chosen.scale, dpi=chosen.dpi, limits=chosen.limits)
    results: list[str | bytes | RenderError] = []
    for spec in specs:
        try:
            with _noting_missing_words(spec):
                results.append(_print_or_dot(spec, format, chosen))
        except RenderError as exc:
            results.append(exc)
        except CxvizError:
            raise
        except Exception as exc:  # one spec's bug must not stop the batch
            results.append(drawing_failed(exc))
    return results


def _print_or_dot(spec: Spec, format: str, chosen: Options) -> str | bytes:
    """One spec as DOT text or as a PDF canvas, filled or blank."""
    if format == "dot":
        return render_dot(spec)
    if chosen.blank:
        from .printing import canvases

        return canvases.render_blank_for(spec, paper=chosen.paper, orientation=chosen.orientation,
                                         templates=chosen.templates, tile=chosen.tile)
    return render_pdf(spec, paper=chosen.paper, orientation=chosen.orientation, templates=chosen.templates,
                      tile=chosen.tile, limits=chosen.limits, min_text_pt=chosen.min_text_pt)


def render(spec: Spec, format: str = "svg", options: Options | None = None, **values) -> str | bytes:
    """Render one spec: SVG or DOT text, PNG or PDF bytes.

    ``options`` is an :class:`~cxviz.Options` record; ``values`` change
    single options of it (``render(spec, "pdf", paper="a4")``). Raises
    :class:`~cxviz.RenderError` when the diagram cannot be drawn.
    """
    result = render_many([spec], format, options, **values)[0]
    if isinstance(result, RenderError):
        raise result
    return result


@dataclasses.dataclass
class FileResult:
    """What became of one spec file in :func:`render_files`.

    ``outputs`` holds each format's bytes or the RenderError that stopped
    it; ``written`` the targets that now hold an output (a file whose bytes
    did not change is left untouched). ``valid`` is False when the spec
    has errors (or warnings, with ``strict``).
    """

    source: str
    targets: dict[str, str]
    diagnostics: list[Diagnostic]
    outputs: dict[str, bytes | RenderError]
    written: list[str]
    valid: bool
    cached: bool

    @property
    def failures(self) -> list[RenderError]:
        """The formats that could not be drawn."""
        return [output for output in self.outputs.values() if isinstance(output, RenderError)]

    @property
    def ok(self) -> bool:
        return self.valid and not self.failures


def render_files(sources: list[str | Path], formats: tuple[str, ...] = ("svg",), *,
                 targets: list[dict[str, str]] | None = None, options: Options | None = None,
                 access: FileAccess | None = None, strict: bool = False, cache: bool | str | Path = True,
                 jobs: int | None = None,
                 on_result: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Render many spec files to one or more formats, as a build tool does.

    Specs whose outputs are in the cache (``cache``: True for the user's
    cache folder, a folder, or False) are not read again; the others are
    shared among ``jobs`` worker processes (one per core by default), each
    laying out its SVGs with one Graphviz process. ``targets`` gives, for
    each source, the file each format is written to (``-`` for standard
    output); without it nothing is written and the bytes are returned.
    ``on_result`` is called as each file is done, for progress. Results
    come back in the order of ``sources``; one file's errors never stop
    the others.
    """
    import os

    from .batch import Job, render_jobs
    from .cache import RenderCache, default_cache_dir

    chosen = _options(options, {})
    for fmt in formats:
        if fmt not in FORMATS:
            raise OptionError(f"unknown format {fmt!r}; the formats are: {', '.join(FORMATS)}")
    if targets is not None and len(targets) != len(sources):
        raise OptionError("render_files needs one mapping of targets for each source")
    plan = [Job(index, str(source), dict(targets[index]) if targets else {fmt: "" for fmt in formats})
            for index, source in enumerate(sources)]
    store = None
    if cache:
        store = RenderCache(default_cache_dir() if cache is True else Path(cache))
    from .locale import LOCALE_DIR_VARIABLE

    # The folder of your own words reaches the worker processes, and the cache key, as it would
    # have from the environment.
    locale_dir = chosen.locale_dir or os.environ.get(LOCALE_DIR_VARIABLE) or None
    if locale_dir is not None and chosen.locale_dir is None:
        try:
            chosen = chosen.replace(locale_dir=locale_dir)
        except OptionError as exc:
            raise OptionError(f"{LOCALE_DIR_VARIABLE}: {exc}") from None
    batch_options = {key: value for key, value in chosen.as_dict().items()
                     if key not in ("limits", "scale", "dpi") and value is not None}
    if "png" in formats:
        from .rendering.png import resolution

        # As dots per inch, so that scale 2 and dpi 192 share cached images.
        batch_options["png_dpi"] = resolution(chosen.scale, chosen.dpi)
    results: dict[int, FileResult] = {}

    def done(outcome) -> None:
        written = []
        if targets is not None:
            for fmt, target in outcome.job.targets.items():
                output = outcome.outputs.get(fmt)
                if isinstance(output, bytes):
                    write_output(target, output, only_if_changed=True)
                    written.append(target)
        result = FileResult(outcome.job.source, outcome.job.targets, list(outcome.diagnostics),
                            dict(outcome.outputs), written, outcome.valid, outcome.cached)
        results[outcome.job.index] = result
        if on_result is not None:
            on_result(result)

    with use_locale_dir(chosen.locale_dir) if chosen.locale_dir else contextlib.nullcontext():
        render_jobs(plan, tuple(formats), batch_options, access=access or FileAccess(), limits=chosen.limits,
                    strict=strict, cache=store, workers=jobs or (os.cpu_count() or 1), on_outcome=done)
    return [results[index] for index in range(len(plan))]


# -- Printable canvases (PDF) --------------------------------------------------------
# The print stage lives in cxviz.printing, imported only when a canvas is printed.


def render_pdf(spec: Spec, *, paper: str | None = None, orientation: str | None = None,
               templates: str | Path | None = None, tile: str | None = None,
               limits: Limits | None = None, min_text_pt: float | None = None, **options) -> bytes:
    """A printable canvas of a spec, as PDF bytes.

    The diagram is the same graph the SVG shows, its body text printed at
    ``min_text_pt`` (7 by default, see :attr:`Options.min_text_pt`) or
    larger: a journey too long for the sheet continues on further pages,
    and without ``paper`` a diagram too large for its kind's sheet moves to
    a larger one, up to A0. When nothing keeps that floor, a warning on
    ``spec`` says how small its text prints. Without ``orientation``, the
    one that prints the diagram larger. ``templates`` is a folder of canvas
    templates searched before the built-in ones (see
    :mod:`cxviz.printing.pages`); ``tile`` prints the canvas across sheets of
    that paper.
    """
    from .printing import canvases

    return canvases.render_pdf(spec, paper=paper, orientation=orientation, templates=templates, tile=tile,
                               limits=limits, min_text_pt=min_text_pt, **options)


def render_blank(kind_name: str, *, lang: str = "en", paper: str | None = None,
                 orientation: str | None = None, title: str | None = None,
                 stages: list[str] | int | None = None, lanes: list[str] | None = None,
                 templates: str | Path | None = None, tile: str | None = None,
                 locale_dir: str | Path | None = None) -> bytes:
    """A blank canvas of a kind, with its guiding questions, as PDF bytes.

    For journeys, ``stages`` is a number of stages or their names, and
    ``lanes`` the lanes to draw (keys of ``journey.lanes`` in the locale);
    other kinds ignore them. ``locale_dir`` is a folder of your own words
    (see :attr:`Options.locale_dir`). Raises KeyError for an unknown kind.
    """
    from .printing import canvases

    with _locale_dirs(locale_dir):
        return canvases.render_blank(kind_name, lang=lang, paper=paper, orientation=orientation, title=title,
                                     stages=stages, lanes=lanes, templates=templates, tile=tile)


def render_pack(specs: list[Spec], *, blank: bool = False, title: str | None = None, lang: str = "en",
                paper: str | None = None, templates: str | Path | None = None,
                locale_dir: str | Path | None = None, min_text_pt: float | None = None) -> bytes:
    """Several canvases in one PDF, each on its own sheet size, after a cover page.

    With ``blank``, each spec gives a blank canvas of its kind with the
    spec's title (and a journey's stages). ``locale_dir`` is a folder of your
    own words (see :attr:`Options.locale_dir`). Filled canvases keep body
    text at ``min_text_pt`` or larger as :func:`render_pdf` does, warning on
    the spec when they cannot.
    """
    from .printing import canvases

    with _locale_dirs(locale_dir):
        if locale_dir is not None:
            _forget_stale_language_warnings(list(specs))
        return canvases.render_pack(specs, blank=blank, title=title, lang=lang, paper=paper, templates=templates,
                                    min_text_pt=min_text_pt)
