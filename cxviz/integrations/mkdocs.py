"""An MkDocs plugin drawing cxviz diagrams inline in the pages.

In ``mkdocs.yml``::

    plugins:
      - search
      - cxviz:
          embed_font: true   # the font travels with the site (default)
          strict: false      # true: a spec's warnings fail the build

In a page, a fenced block written in the ``cxviz`` language holds a spec::

    ```cxviz
    kind: whys
    title: Late deliveries
    ...
    ```

and a spec file is drawn by a line of its own, in either form::

    ![cxviz](diagrams/journey.yaml)

    ```cxviz
    file: diagrams/journey.yaml
    ```

A path is relative to the page's file; when no file is there, to
``docs_dir``; a path starting with ``/`` is relative to ``docs_dir``. Spec
files (and the files specs refer to) must be inside the folder of
``mkdocs.yml``; ``mkdocs serve`` rebuilds when one of them changes.

Every diagram of the site is drawn in one batch, once all pages are read.
Each gets its own id prefix (from the page path and its place on the page),
so several diagrams share a page. The font, subset to the characters the
diagrams draw, is written once to ``assets/cxviz-HASH.css`` and linked from
every page (``extra_css``), rather than repeated in each SVG.

A spec error fails the build with the page, line and column::

    docs/index.md:12:5: error: stages[0].steps[0].emotion: 7 is outside the scale -2..2
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from ..access import AccessError, resolve_reference
from ..api import (Diagnostic, FileAccess, Options, RenderError, Severity, Spec, SpecError, inline_svg, load, loads,
                   render_many)
from .common import file_key, id_prefix, moved, page_css, used_characters, wrap

__all__ = ["CxvizPlugin", "CxvizConfig", "find_diagrams", "Block"]

log = logging.getLogger("mkdocs.plugins.cxviz")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
_IMAGE = re.compile(r"^(?P<indent>[ \t]*)!\[cxviz\]\((?P<path><[^>\n]+>|[^)\s]+)\)[ \t]*$")
_FILE_LINE = re.compile(r"^file:[ \t]*(?P<path>.*?)[ \t]*$")


class CxvizConfig(base.Config):
    embed_font = c.Type(bool, default=True)
    strict = c.Type(bool, default=False)


@dataclass
class Block:
    """A diagram found in a page's Markdown.

    ``line`` is the 1-based line of the fence (or of the image line);
    ``text`` the spec when written in the page; ``path`` the spec file named
    (``path_column``: where it starts on ``path_line``).
    """

    start: int  # first and last (0-based, exclusive) lines the block takes
    end: int
    indent: str
    line: int
    text: str | None = None
    path: str | None = None
    path_line: int = 0
    path_column: int = 0


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def find_diagrams(markdown: str) -> list[Block]:
    """The cxviz blocks and ``![cxviz](...)`` lines of a page, skipping other code blocks."""
    lines = markdown.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if fence and not (fence.group("fence")[0] == "`" and "`" in fence.group("info")):
            marker = fence.group("fence")
            end = i + 1
            while end < len(lines) and not _closes(lines[end], marker):
                end += 1
            info = fence.group("info").split()
            if info and info[0].lower() == "cxviz":
                blocks.append(_fenced(lines, i, end, fence.group("indent")))
            i = end + 1
            continue
        image = _IMAGE.match(lines[i])
        if image:
            blocks.append(Block(i, i + 1, image.group("indent"), i + 1, path=_unquote(image.group("path")),
                                path_line=i + 1, path_column=image.start("path") + 1))
        i += 1
    return blocks


def _fenced(lines: list[str], start: int, end: int, indent: str) -> Block:
    """The block fenced from line ``start`` to ``end`` (the closing fence, or the end of the page)."""
    body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in lines[start + 1:end]]
    block = Block(start, min(end + 1, len(lines)), indent, start + 1, text="\n".join(body) + "\n")
    significant = [(n, line) for n, line in enumerate(body) if line.strip() and not line.lstrip().startswith("#")]
    if len(significant) == 1:
        n, content = significant[0]
        reference = _FILE_LINE.match(content)
        if reference and reference.group("path"):
            block.text, block.path = None, _unquote(reference.group("path"))
            block.path_line = start + 2 + n
            block.path_column = len(indent) + reference.start("path") + 1
    return block


def _unquote(path: str) -> str:
    if len(path) >= 2 and path[0] + path[-1] in ('""', "''", "<>"):
        return path[1:-1]
    return path


@dataclass
class _Diagram:
    token: str
    prefix: str
    where: str  # FILE:LINE of the block, for drawing errors
    spec: Spec
    key: str


@dataclass
class _Page:
    page: object
    diagrams: list[_Diagram] = field(default_factory=list)


class CxvizPlugin(BasePlugin[CxvizConfig]):
    """Draws ``cxviz`` blocks and ``![cxviz](spec.yaml)`` lines as inline SVG."""

    def __init__(self) -> None:
        super().__init__()
        self._svgs: dict[str, str] = {}          # drawn SVGs (no font), by what they are made of
        self._chars: dict[str, dict] = {}        # characters each page's diagrams draw
        self._dirty = False
        self._server = None
        self._watched: set[Path] = set()

    # -- the build ---------------------------------------------------------------------

    def on_startup(self, *, command, dirty: bool) -> None:
        # Having this method keeps one plugin object across `mkdocs serve` rebuilds,
        # so diagrams that did not change are not drawn again.
        self._dirty = dirty

    def on_config(self, config):
        self._project = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        self._docs_dir = Path(config.docs_dir).resolve()
        self._root = Path(os.path.commonpath([self._project, self._docs_dir]))
        self._access = FileAccess(root=self._root)
        self._pages: dict[str, _Page] = {}
        self._problems: list[str] = []
        self._dependencies: set[Path] = set()
        self._nonce = secrets.token_hex(6)
        self._css_name: str | None = None
        if not self._dirty:
            self._chars = {}
        return config

    def _shown(self, path: Path | str) -> str:
        path = Path(path)
        try:
            return path.resolve().relative_to(self._project).as_posix()
        except ValueError:
            return str(path)

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        blocks = find_diagrams(markdown)
        if not blocks:
            return markdown
        source = Path(page.file.abs_src_path or self._docs_dir / page.file.src_uri)
        shown = self._shown(source)
        offset = _front_matter_lines(page, markdown)
        page_lines = markdown.split("\n")
        lines = [""] * offset + page_lines  # the file's lines, as the excerpts quote them
        entry = self._pages.setdefault(page.file.src_uri, _Page(page))
        entry.diagrams = []
        out, last = [], 0
        for index, block in enumerate(blocks, start=1):
            token = f"cxvizdiagram{self._nonce}n{len(self._pages)}x{index}"
            loaded = self._load(block, source.parent, shown, offset, lines)
            if loaded is not None:
                spec, text = loaded
                key = file_key(text, spec.base_dir, spec.dependencies)
                entry.diagrams.append(_Diagram(token, id_prefix(page.file.src_uri, index),
                                               f"{shown}:{offset + block.line}", spec, key))
            out += page_lines[last:block.start]
            out += ["", block.indent + token, ""]
            last = block.end
        out += page_lines[last:]
        return "\n".join(out)

    def _load(self, block: Block, page_dir: Path, shown: str, offset: int,
              lines: list[str]) -> tuple[Spec, str] | None:
        """Validate one block's spec (and its text); its problems are kept, located in the page or spec file."""
        if block.text is not None:
            def placed(diagnostics):
                return [moved(d, file=shown, first_line=offset + block.line, indent=len(block.indent), lines=lines)
                        for d in diagnostics]

            try:
                spec = loads(block.text, name=shown, base_dir=page_dir, access=self._access)
            except SpecError as exc:
                self._report(placed(exc.diagnostics))
                return None
            self._report(placed(spec.warnings))
            self._dependencies.update(spec.dependencies)
            return spec, block.text
        at = offset + block.path_line
        try:
            path = self._resolve(block.path, page_dir)
        except AccessError as exc:
            self._report([Diagnostic(Severity.ERROR, shown, at, block.path_column, "",
                                     f"{block.path}: {exc}", lines[at - 1] if at <= len(lines) else "")])
            return None
        self._dependencies.add(path)
        try:
            spec = load(path, access=self._access)
        except SpecError as exc:
            self._report([dataclasses.replace(d, file=self._shown(path)) for d in exc.diagnostics],
                         used_at=f"{shown}:{at}")
            return None
        self._report([dataclasses.replace(d, file=self._shown(path)) for d in spec.warnings], used_at=f"{shown}:{at}")
        text = path.read_bytes().decode("utf-8", "replace")
        self._dependencies.update(spec.dependencies)
        return spec, text

    def _resolve(self, reference: str, page_dir: Path) -> Path:
        if reference.startswith("/"):
            return resolve_reference(reference.lstrip("/"), self._docs_dir, self._access)
        try:
            return resolve_reference(reference, page_dir, self._access)
        except AccessError as exc:
            if str(exc) != "file not found":
                raise
            try:
                return resolve_reference(reference, self._docs_dir, self._access)
            except AccessError:
                raise exc from None

    def _report(self, diagnostics: list[Diagnostic], used_at: str = "") -> None:
        strict = self.config.strict
        for diagnostic in diagnostics:
            text = diagnostic.format()
            if used_at:
                text += f"\n{used_at}: note: the diagram is drawn here"
            if diagnostic.is_error or strict:
                self._problems.append(text)
            else:
                log.warning(text)

    def on_env(self, env, config, files):
        """Every page is read: draw the site's diagrams in one batch and put them in place."""
        diagrams = [d for entry in self._pages.values() for d in entry.diagrams]
        missing = {}
        for diagram in diagrams:
            if diagram.key not in self._svgs:
                missing.setdefault(diagram.key, diagram)
        if missing and not self._problems:
            drawn = render_many([d.spec for d in missing.values()], "svg", Options(embed_font=False))
            for (key, diagram), result in zip(missing.items(), drawn):
                if isinstance(result, RenderError):
                    self._problems.append(f"{diagram.where}: error: {result}")
                else:
                    self._svgs[key] = result
        used = {d.key for d in diagrams}
        self._svgs = {key: svg for key, svg in self._svgs.items() if key in used}
        if self._problems:
            count = len(self._problems)
            raise PluginError(f"cxviz: {count} error{'s' if count > 1 else ''} in diagrams:\n"
                              + "\n".join(self._problems))
        for uri, entry in self._pages.items():
            page = entry.page
            html = page.content or ""
            svgs = []
            for diagram in entry.diagrams:
                svg = self._svgs[diagram.key]
                svgs.append(svg)
                figure = wrap(inline_svg(svg, diagram.prefix))
                html, found = re.subn(rf"<p>\s*{diagram.token}\s*</p>", lambda _: figure, html)
                if not found:
                    html = html.replace(diagram.token, figure)
            page.content = html
            self._chars[uri] = used_characters(svgs)
        self._write_css(config)
        self._watch()
        return env

    def _write_css(self, config) -> None:
        if not self._chars:
            return
        chars: dict[str, set[str]] = {}
        for used in self._chars.values():
            for weight, found in used.items():
                chars.setdefault(weight, set()).update(found)
        css = page_css(chars if self.config.embed_font else None)
        digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:10]
        self._css_name = f"assets/cxviz-{digest}.css"
        self._css = css
        config.extra_css.append(self._css_name)

    def on_post_build(self, config) -> None:
        if self._css_name:
            target = Path(config.site_dir) / self._css_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self._css, encoding="utf-8")

    # -- mkdocs serve -------------------------------------------------------------------

    def on_serve(self, server, config, builder):
        self._server = server
        self._watch()
        return server

    def _watch(self) -> None:
        """Spec files outside docs_dir (which mkdocs watches already) are watched too."""
        if self._server is None:
            return
        for path in sorted(self._dependencies - self._watched):
            if not path.resolve().is_relative_to(self._docs_dir) and path.exists():
                self._server.watch(str(path), recursive=False)
            self._watched.add(path)


def _front_matter_lines(page, markdown: str) -> int:
    """How many lines of the page's file come before ``markdown`` (its front matter)."""
    try:
        source = getattr(page.file, "content_string", None)
        if source is None:
            source = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, TypeError, UnicodeDecodeError):
        return 0
    source = source.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0
