"""A persona another spec is about: written in place, or a persona spec file it names.

Journey maps and empathy maps both have a ``persona:`` field, and both
resolve it here, by one rule:

* a mapping (``name``, ``photo``, ``quote``...) is the persona itself; its
  photo is checked, relative to the spec's folder;
* a string names a persona spec file (``kind: persona``) relative to the
  spec's folder; that spec is loaded and validated (its errors reported
  against its own file), and the persona fields are taken from it, with the
  photo found relative to the persona's file but written relative to this
  spec's folder, where drawing reads it. An empty string is an error.

Either way the result is a plain :class:`~cxviz.kinds.persona.model.Persona`
(never the persona spec with its title, authors or version), or None when
there is no persona or it could not be loaded (after reporting why).
"""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath

from ...validation import Checker
from .model import Persona

__all__ = ["resolve_persona"]


def resolve_persona(value: str | Persona | None, path: str, checker: Checker) -> Persona | None:
    """The persona ``value`` (at spec field ``path``) stands for; see the module's rule."""
    if value is None:
        return None
    if isinstance(value, Persona):
        return _with_photo_checked(value, f"{path}.photo", checker)
    loaded = checker.load_reference(path, value, "persona")
    if loaded is None:
        return None
    fields = {field.name: getattr(loaded, field.name) for field in dataclasses.fields(Persona)}
    if loaded.photo:
        # The persona spec checked its photo against its own folder.
        fields["photo"] = str(PurePosixPath(checker.drawn_path(value)).parent / loaded.photo)
    return Persona(**fields)


def _with_photo_checked(persona: Persona, path: str, checker: Checker) -> Persona:
    """An inline persona, its photo checked and named as drawing will read it."""
    if not persona.photo:
        return persona
    drawn = checker.check_image(path, persona.photo)
    if drawn is not None and drawn != persona.photo:
        return dataclasses.replace(persona, photo=drawn)
    return persona
