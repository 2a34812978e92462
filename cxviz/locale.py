"""The locale catalogue: every built-in word cxviz draws, in each language.

Catalogues are YAML files named after their language tag (``en.yaml``,
``id.yaml``, ``ar.yaml``) in ``cxviz/locales/`` or in a folder the user
names. A key missing from a catalogue falls back to English, so a partial
user catalogue still renders.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Catalogue", "catalogue", "available_languages", "language_warning", "in_language",
           "BUILTIN_DIR", "LANGUAGE_TAG"]

BUILTIN_DIR = Path(__file__).with_name("locales")


class Catalogue:
    """The words of one language, looked up by dotted key (``journey.lanes.pains``)."""

    def __init__(self, lang: str, entries: dict[str, Any], fallback: "Catalogue | None" = None):
        self.lang = lang
        self._entries = entries
        self._fallback = fallback

    @property
    def rtl(self) -> bool:
        """True when the language is written right to left."""
        return self.get("dir") == "rtl"

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def get(self, key: str, default: Any = None) -> Any:
        node: Any = self._entries
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if self._fallback is not None:
                    return self._fallback.get(key, default)
                return default
            node = node[part]
        return node

    def __getitem__(self, key: str) -> Any:
        value = self.get(key)
        if value is None:
            raise KeyError(f"no built-in word {key!r} in any catalogue")
        return value

    def number(self, value: int) -> str:
        """An integer written in the language's own digits (Arabic-Indic for ``ar``)."""
        digits = self.get("digits")
        text = str(value)
        if not digits or len(digits) != 10:
            return text
        return text.translate(str.maketrans("0123456789", digits))

    def format(self, key: str, **values: Any) -> str:
        """A catalogue string with ``{name}`` fields filled; integers in the language's digits."""
        localised = {k: self.number(v) if isinstance(v, int) else v for k, v in values.items()}
        return str(self[key]).format(**localised)


def _read(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a locale catalogue must be a mapping")
    return data


#: What a language tag may look like (en, ar, pt-BR, zh-Hant-TW): never a path.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


def _find(lang: str, extra_dirs: tuple[Path, ...]) -> Path | None:
    if not LANGUAGE_TAG.fullmatch(lang):
        return None
    for folder in (*extra_dirs, BUILTIN_DIR):
        candidate = Path(folder) / f"{lang}.yaml"
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=64)
def catalogue(lang: str = "en", extra_dirs: tuple[Path, ...] = ()) -> Catalogue:
    """The catalogue for ``lang``; unknown languages get English.

    A region tag falls back to its language (``ar-EG`` to ``ar``).
    """
    english = Catalogue("en", _read(BUILTIN_DIR / "en.yaml"))
    user_english = _find("en", extra_dirs)
    if user_english and user_english.parent != BUILTIN_DIR:
        english = Catalogue("en", _read(user_english), english)
    for tag in (lang, lang.split("-")[0]):
        if tag == "en":
            return english
        path = _find(tag, extra_dirs)
        if path is not None:
            return Catalogue(lang, _read(path), english)
    return english


def available_languages(extra_dirs: tuple[Path, ...] = ()) -> list[str]:
    """Language tags with a catalogue, built in or in ``extra_dirs``."""
    tags = {p.stem for folder in (*extra_dirs, BUILTIN_DIR) for p in Path(folder).glob("*.yaml")}
    return sorted(tags)


def language_warning(lang: str, extra_dirs: tuple[Path, ...] = ()) -> str | None:
    """What to warn about a language without built-in words (English is used), or None.

    A region tag counts as its language (``ar-EG`` as ``ar``), as in :func:`catalogue`.
    """
    have = available_languages(extra_dirs)
    if lang in have or lang.split("-")[0] in have:
        return None
    return f"no built-in words for {lang!r} (have {', '.join(have)}); using English"


def in_language(spec: Any, lang: str) -> Any:
    """A validated spec whose built-in words are drawn in ``lang`` instead of its own ``lang:``."""
    return dataclasses.replace(spec, model=dataclasses.replace(spec.model, lang=lang))
