"""How to render: one closed record of every option, for every format.

>>> from cxviz import Options
>>> Options(paper="a4").paper
'a4'
>>> Options(papr="a4")
Traceback (most recent call last):
    ...
cxviz.diagnostics.OptionError: unknown option 'papr' (did you mean 'paper'?); the options are: lang, locale_dir, embed_font, scale, dpi, paper, orientation, min_text_pt, tile, blank, templates, limits
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import OptionError
from .limits import Limits

__all__ = ["Options", "ORIENTATIONS"]

ORIENTATIONS = ("portrait", "landscape")


@dataclass(frozen=True, init=False)
class Options:
    """Every choice a render may make; each format reads the ones that concern it.

    Built with keywords only; a misspelt or unknown name is an
    :class:`~cxviz.OptionError` that lists the valid ones.
    """

    #: The language of cxviz's own words (headings, lane names), overriding the spec's ``lang``.
    lang: str | None = None
    #: A folder of your own words (``xx.yaml`` files, as ``CXVIZ_LOCALE_DIR`` names): adds
    #: languages or changes single words, for every format; several joined by ``os.pathsep``.
    locale_dir: str | None = None
    #: SVG: embed the glyphs the diagram uses, so it looks the same in every viewer.
    embed_font: bool = True
    #: PNG: size relative to the SVG (1 = 96 dpi; 2 by default), or ``dpi`` instead.
    scale: float | None = None
    dpi: float | None = None
    #: PDF: the sheet (a4 ... a0, letter ...); the kind's own, or larger when needed, by default.
    paper: str | None = None
    orientation: str | None = None
    #: PDF: the smallest size body text prints at, in points; pages, sheets and a warning keep to it.
    min_text_pt: float = 7.0
    #: PDF: print across sheets of this paper.
    tile: str | None = None
    #: PDF: a blank canvas of the spec's kind, with its stage names and title.
    blank: bool = False
    #: PDF: a folder of templates overriding the built-in ones.
    templates: str | None = None
    #: Bounds on sizes and times (see :class:`~cxviz.Limits`).
    limits: Limits = field(default_factory=Limits)

    def __init__(self, **values):
        names = [f.name for f in dataclasses.fields(self)]
        for name in values:
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise OptionError(f"unknown option {name!r}{hint}; the options are: {', '.join(names)}")
        for f in dataclasses.fields(self):
            if f.name in values:
                value = values[f.name]
            elif f.default_factory is not dataclasses.MISSING:
                value = f.default_factory()
            else:
                value = f.default
            object.__setattr__(self, f.name, value)
        self._check()

    def _check(self) -> None:
        if self.orientation is not None and self.orientation not in ORIENTATIONS:
            raise OptionError(f"orientation must be portrait or landscape, not {self.orientation!r}")
        if self.scale is not None or self.dpi is not None:
            from .rendering.png import resolution

            try:
                resolution(self.scale, self.dpi)
            except ValueError as exc:
                raise OptionError(str(exc)) from None
        if isinstance(self.min_text_pt, bool) or not isinstance(self.min_text_pt, (int, float)) \
                or not 1 <= self.min_text_pt <= 72:
            raise OptionError(f"min_text_pt must be a size in points from 1 to 72, not {self.min_text_pt!r}")
        for name in ("paper", "tile"):
            if getattr(self, name) is not None:
                from .printing.paper import paper

                try:
                    paper(getattr(self, name))
                except (ValueError, AttributeError) as exc:
                    raise OptionError(str(exc)) from None
        if self.templates is not None:
            object.__setattr__(self, "templates", str(Path(self.templates)))
        if self.locale_dir is not None:
            self._check_locale_dir()
        if not isinstance(self.limits, Limits):
            raise OptionError(f"limits must be a cxviz.Limits, not {type(self.limits).__name__}")

    def _check_locale_dir(self) -> None:
        import os

        if not isinstance(self.locale_dir, (str, os.PathLike)) or not str(self.locale_dir):
            raise OptionError(f"locale_dir must name a folder, not {self.locale_dir!r}")
        folders = [part for part in str(self.locale_dir).split(os.pathsep) if part]
        for folder in folders:
            if not Path(folder).is_dir():
                raise OptionError(f"locale_dir: {folder}: not a folder of words (xx.yaml files)")
        object.__setattr__(self, "locale_dir", os.pathsep.join(str(Path(folder).resolve()) for folder in folders))

    def replace(self, **values) -> Options:
        """A copy with some options changed (checked like the constructor's)."""
        return Options(**{**self.as_dict(), **values})

    def as_dict(self) -> dict:
        """Every option by name."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
