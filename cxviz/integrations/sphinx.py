"""A Sphinx extension: the ``cxviz`` directive draws a diagram inline in HTML pages.

In ``conf.py``::

    extensions = ["cxviz.integrations.sphinx"]
    cxviz_embed_font = True   # the font travels with the page (default)
    cxviz_root = None         # spec files must be inside this folder, relative to conf.py (default: the source dir)

In a document, a spec file (relative to the document, or to the source
folder when it starts with ``/``, as for Sphinx's other directives)::

    .. cxviz:: diagrams/journey.yaml

or the spec itself, indented under the directive::

    .. cxviz::

       kind: whys
       title: Late deliveries
       ...

A spec's errors are Sphinx errors at the document's line (or the spec
file's) and its warnings are Sphinx warnings, so ``-W`` fails on either.
The spec file, and every file it refers to, is a dependency of the
document: editing it rebuilds the page.

The diagrams of a page are drawn in one Graphviz batch when the page is
written; each has an id prefix of its own (from the document's name and its
place in it), and the page carries the font once, subset to the characters
its diagrams draw. Builders other than HTML leave the diagrams out, with a
notice.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import __version__
from ..api import Diagnostic, FileAccess, Options, RenderError, SpecError, inline_svg, load, loads, render_many
from .common import id_prefix, moved, page_css, used_characters, wrap

__all__ = ["setup", "CxvizDirective", "cxviz_diagram"]

logger = logging.getLogger(__name__)


class cxviz_diagram(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """A diagram waiting to be drawn: ``path`` (a spec file) or ``text`` and ``base_dir``, and ``prefix``."""


def _root(env) -> Path:
    configured = env.config.cxviz_root
    return Path(configured) if configured else Path(env.srcdir).resolve()


def _resolve_root(app, config) -> None:
    """``cxviz_root`` is relative to the folder of conf.py."""
    if config.cxviz_root:
        config.cxviz_root = str((Path(app.confdir) / config.cxviz_root).resolve())


def _access(env) -> FileAccess:
    return FileAccess(root=_root(env))


class CxvizDirective(SphinxDirective):
    """``.. cxviz:: spec.yaml``, or ``.. cxviz::`` with the spec as its content."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        if self.arguments and self.content:
            return [self._problem("give either a spec file or a spec under the directive, not both")]
        if not self.arguments and not self.content:
            return [self._problem("needs a spec file (.. cxviz:: journey.yaml) or a spec under the directive")]
        node = cxviz_diagram()
        self.set_source_info(node)
        node["classes"] = self.options.get("class", [])
        serial = self.env.new_serialno("cxviz") + 1
        node["prefix"] = id_prefix(self.env.docname, serial)
        spec = self._from_file(node) if self.arguments else self._from_content(node)
        if spec is None:
            return []
        for dependency in spec.dependencies:
            self.env.note_dependency(str(dependency))
        return [node]

    def _problem(self, message: str) -> nodes.system_message:
        return self.state.document.reporter.error(f"cxviz: {message}", line=self.lineno)

    def _from_file(self, node):
        relative, absolute = self.env.relfn2path(self.arguments[0])
        path = Path(absolute)
        self.env.note_dependency(relative)
        root = _root(self.env)
        if not path.is_relative_to(root):
            logger.error(f"cxviz: {self.arguments[0]}: is outside {root}; set cxviz_root in conf.py to a folder "
                         "that holds it", location=(self.env.docname, self.lineno), type="cxviz")
            return None
        if not path.is_file():
            logger.error(f"cxviz: {self.arguments[0]}: no such spec file", location=(self.env.docname, self.lineno),
                         type="cxviz")
            return None
        shown = _shown(path, self.env)
        try:
            spec = load(path, access=_access(self.env))
        except SpecError as exc:
            _report([dataclasses.replace(d, file=shown) for d in exc.diagnostics])
            return None
        _report([dataclasses.replace(d, file=shown) for d in spec.warnings])
        node["path"] = str(path)
        return spec

    def _from_content(self, node):
        text = "\n".join(self.content) + "\n"
        source, offset = self.content.info(0)
        document = Path(source) if source else Path(self.env.doc2path(self.env.docname))
        shown = _shown(document, self.env)
        base_dir = document.parent
        try:
            spec = loads(text, name=shown, base_dir=base_dir, access=_access(self.env))
        except SpecError as exc:
            self._report_inline(exc.diagnostics, shown, document, offset)
            return None
        self._report_inline(spec.warnings, shown, document, offset)
        node["text"] = text
        node["base_dir"] = str(base_dir)
        return spec

    def _report_inline(self, diagnostics: list[Diagnostic], shown: str, document: Path, offset: int) -> None:
        """Diagnostics of the spec written in the directive, at their lines of the document."""
        try:
            lines = document.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = None
        placed = []
        for diagnostic in diagnostics:
            first_line, indent = offset, 0
            if 0 < diagnostic.line <= len(self.content):
                line = self.content.info(diagnostic.line - 1)[1] + 1
                first_line = line - diagnostic.line
                content = self.content[diagnostic.line - 1]
                if lines is not None and 0 < line <= len(lines) and content and lines[line - 1].endswith(content):
                    indent = len(lines[line - 1]) - len(content)
            placed.append(moved(diagnostic, file=shown, first_line=first_line, indent=indent, lines=lines))
        _report(placed)


def _shown(path: Path, env) -> str:
    """A path as Sphinx shows a document's (absolute)."""
    return str(Path(path).resolve())


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in sorted(diagnostics, key=lambda d: (d.file, d.line, d.column)):
        subject = f"{diagnostic.field}: " if diagnostic.field else ""
        excerpt = diagnostic.format().partition("\n")[2]
        message = f"{subject}{diagnostic.message}" + (f"\n{excerpt}" if excerpt else "")
        location = f"{diagnostic.file}:{diagnostic.line}" if diagnostic.line else diagnostic.file
        if diagnostic.is_error:
            logger.error(message, location=location, type="cxviz", subtype="spec")
        else:
            logger.warning(message, location=location, type="cxviz", subtype="spec")


def _spec(node, env):
    """The node's spec again, validated (its problems were reported when the document was read)."""
    if "path" in node:
        return load(node["path"], access=_access(env))
    return loads(node["text"], base_dir=node["base_dir"], access=_access(env))


def _draw(app, doctree, docname) -> None:
    diagrams = list(doctree.findall(cxviz_diagram))
    if not diagrams:
        return
    if app.builder.format != "html":
        if not getattr(app, "_cxviz_noticed", False):
            logger.info(f"cxviz: diagrams are drawn in HTML output only; the {app.builder.name} output leaves them out")
            app._cxviz_noticed = True
        for node in diagrams:
            node.parent.remove(node)
        return
    specs, kept = [], []
    for node in diagrams:
        try:
            specs.append(_spec(node, app.env))
            kept.append(node)
        except SpecError as exc:  # changed since the document was read
            _report(exc.diagnostics)
            node.parent.remove(node)
    svgs = render_many(specs, "svg", Options(embed_font=False))
    drawn = [svg for svg in svgs if isinstance(svg, str)]
    style = "<style>" + page_css(used_characters(drawn) if app.config.cxviz_embed_font else None) + "</style>\n"
    for node, svg in zip(kept, svgs):
        if isinstance(svg, RenderError):
            logger.error(f"cxviz: {svg}", location=node, type="cxviz", subtype="render")
            node.parent.remove(node)
            continue
        html = wrap(inline_svg(svg, node["prefix"]))
        if node["classes"]:
            html = html.replace('class="cxviz-diagram"', f'class="cxviz-diagram {" ".join(node["classes"])}"', 1)
        raw = nodes.raw("", style + html, format="html")
        style = ""  # once per page
        node.replace_self(raw)


def _skip(self, node) -> None:
    raise nodes.SkipNode


def setup(app):
    app.add_config_value("cxviz_embed_font", True, "html", types=(bool,))
    app.add_config_value("cxviz_root", None, "env", types=(str, type(None)))
    app.add_node(cxviz_diagram, **{name: (_skip, None) for name in ("html", "latex", "text", "man", "texinfo")})
    app.add_directive("cxviz", CxvizDirective)
    app.connect("config-inited", _resolve_root)
    app.connect("doctree-resolved", _draw)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
