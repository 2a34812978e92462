"""The locale catalogue: every built-in word cxviz draws, in each language.

Words live in YAML files named after their language tag (``en.yaml``,
``id.yaml``, ``ar.yaml``), in two places:

* ``cxviz/locales/<lang>.yaml`` holds the words every kind shares: the
  language's name, its direction and digits, ``common``, ``canvas``,
  ``canvas_blank``;
* each kind's folder (``Kind.folder``, found through :mod:`cxviz.registry`)
  holds its own words in ``locales/<lang>.yaml``.

A :class:`Catalogue` merges them under the dotted keys they always had
(``journey.lanes.pains``, ``kinds.journey``, ``common.legend``). The merge
rule: a kind's file may only add the keys of its own name, that is its
section ``<kind>:``, its entry ``kinds.<kind>`` and a section
``canvas_blank.<kind>:``; a file holding anything else is refused (ValueError
naming the file), and a shared word always wins over a kind's. A kind's file
is read the first time one of its words is asked for, so drawing one kind
never reads another kind's words.

A user may name folders of their own words holding whole-language files
(``xx.yaml`` with the shared sections and the kinds' ones, laid out as the
built-in files are once merged): they add a language or change single words,
being searched first, then the built-in words of that language, then English.
The folders come from ``extra_dirs`` when given; otherwise from
:func:`using_locale_dirs` (how ``Options.locale_dir`` applies to one render),
else from the environment variable ``CXVIZ_LOCALE_DIR`` (several folders
joined by ``os.pathsep``), which also reaches worker processes.

A word found nowhere never stops a drawing: the catalogue shows the key
itself and notes a :class:`MissingWord`, as it does for a word found only
in English when another language was asked for. :meth:`Catalogue.missing`
lists what a catalogue has noted; :func:`noting_missing_words` collects what
one piece of work (one render) noted, to report it as warnings.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from .diagnostics import RenderError

__all__ = ["Catalogue", "MissingWord", "LocaleError", "catalogue", "available_languages", "language_warning",
           "in_language", "noting_missing_words", "shared_sections", "kind_words", "user_locale_dirs",
           "using_locale_dirs", "split_locale_dirs", "BUILTIN_DIR", "LANGUAGE_TAG", "LOCALE_DIR_VARIABLE"]

BUILTIN_DIR = Path(__file__).with_name("locales")

#: The environment variable naming folders of the user's own words.
LOCALE_DIR_VARIABLE = "CXVIZ_LOCALE_DIR"


class LocaleError(RenderError):
    """A file of the user's own words that cannot be used: its place and what is wrong."""

_ABSENT = object()


@dataclasses.dataclass(frozen=True)
class MissingWord:
    """A word a catalogue was asked for and lacks.

    ``english`` is True when the English word was drawn instead; otherwise
    the key itself was drawn.
    """

    key: str
    lang: str
    english: bool

    @property
    def message(self) -> str:
        """The warning to show: which word, in which language, and what was drawn instead."""
        if self.english:
            return f"no word for {self.key!r} in {self.lang!r}; the English word is shown instead"
        if _english(self.lang):
            return f"no word for {self.key!r} in English; the key is shown instead"
        return f"no word for {self.key!r} in {self.lang!r} or English; the key is shown instead"


#: The lists the current piece of work collects missing words in (see :func:`noting_missing_words`).
_NOTING: contextvars.ContextVar[list[MissingWord] | None] = contextvars.ContextVar("cxviz_missing_words",
                                                                                  default=None)


@contextlib.contextmanager
def noting_missing_words() -> Iterator[list[MissingWord]]:
    """Collect every word looked up and missed inside the ``with`` block, once each, in order.

    >>> words = Catalogue("en", {"common": {"legend": "Legend"}})
    >>> with noting_missing_words() as missed:
    ...     words["common.legend"], words["common.no_such_word"]
    ('Legend', 'common.no_such_word')
    >>> [word.message for word in missed]
    ["no word for 'common.no_such_word' in English; the key is shown instead"]
    """
    noted: list[MissingWord] = []
    token = _NOTING.set(noted)
    try:
        yield noted
    finally:
        _NOTING.reset(token)


def _english(lang: str) -> bool:
    return lang.split("-")[0].lower() == "en"


def _walk(node: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return _ABSENT
        node = node[part]
    return node


def _kind_of_key(parts: list[str]) -> str | None:
    """The kind whose file may hold a key: ``journey`` for ``journey.x`` and ``kinds.journey``."""
    if len(parts) < 2:
        return None
    return parts[1] if parts[0] in ("kinds", "canvas_blank") else parts[0]


class Catalogue:
    """The words of one language, looked up by dotted key (``journey.lanes.pains``).

    ``entries`` are the words of one file; with ``kinds_in`` a language tag,
    a key the entries lack is looked up in the words its kind has in that
    language (:func:`kind_words`); ``fallback`` is the next catalogue asked.
    """

    def __init__(self, lang: str, entries: dict[str, Any], fallback: "Catalogue | None" = None,
                 kinds_in: str | None = None):
        self.lang = lang
        self._entries = entries
        self._fallback = fallback
        self._kinds_in = kinds_in
        # Each kind's words with the Kind they were read for, so a kind registered anew is read anew.
        self._kinds: dict[str, tuple[Any, dict[str, Any] | None]] = {}
        self._missing: dict[str, MissingWord] = {}

    @property
    def rtl(self) -> bool:
        """True when the language is written right to left."""
        return self.get("dir") == "rtl"

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return "rtl" if self.rtl else "ltr"

    def _own(self, parts: list[str]) -> Any:
        """A key's value in this catalogue's own words (its file, then its kinds' files), or _ABSENT."""
        value = _walk(self._entries, parts)
        if value is _ABSENT and self._kinds_in is not None:
            name = _kind_of_key(parts)
            words = self._words_of(name) if name is not None else None
            if words:
                value = _walk(words, parts)
        return value

    def _words_of(self, name: str) -> dict[str, Any] | None:
        from .registry import get_kind

        kind = get_kind(name, discover=False)
        cached = self._kinds.get(name)
        if cached is None or cached[0] is not kind:
            cached = self._kinds[name] = (kind, _words_of_kind(kind, self._kinds_in) if kind else None)
        return cached[1]

    def _lookup(self, key: str) -> tuple[Any, "Catalogue | None"]:
        """A key's value and the catalogue of the chain that has it (None if none has)."""
        parts = key.split(".")
        current: Catalogue | None = self
        while current is not None:
            value = current._own(parts)
            if value is not _ABSENT:
                return value, current
            current = current._fallback
        return None, None

    def get(self, key: str, default: Any = None) -> Any:
        """A word that may be absent (``digits``): ``default`` when no catalogue has it, noting nothing."""
        value, found = self._lookup(key)
        return default if found is None else value

    def __getitem__(self, key: str) -> Any:
        """A word; a missing one is noted (see :meth:`missing`) and shows as its key, or in English."""
        value, found = self._lookup(key)
        if found is None or value is None:
            self._note(MissingWord(key, self.lang, english=False))
            return key
        if _english(found.lang) and not _english(self.lang):
            self._note(MissingWord(key, self.lang, english=True))
        return value

    def _note(self, word: MissingWord) -> None:
        self._missing.setdefault(word.key, word)
        noted = _NOTING.get()
        if noted is not None and word not in noted:
            noted.append(word)

    def missing(self) -> list[MissingWord]:
        """Every word this catalogue was asked for and lacked so far, once each, in order."""
        return list(self._missing.values())

    def number(self, value: int | float | str) -> str:
        """A number cxviz writes itself, in the language's own digits (Arabic-Indic for ``ar``).

        Integers and floats are written plainly (``-1.5``); a string has its
        ASCII digits replaced, so a number formatted elsewhere (a scale tick)
        follows the language too. Text the user wrote never passes through here.
        """
        text = value if isinstance(value, str) else str(value)
        digits = self.get("digits")
        if not isinstance(digits, str) or len(digits) != 10:
            return text
        return text.translate(str.maketrans("0123456789", digits))

    def format(self, key: str, **values: Any) -> str:
        """A catalogue string with ``{name}`` fields filled; numbers in the language's digits."""
        localised = {k: self.number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                     for k, v in values.items()}
        return str(self[key]).format(**localised)


def _read(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a locale catalogue must be a mapping")
    return data


@lru_cache(maxsize=None)
def _read_kind_file(path: Path, name: str) -> dict[str, Any] | None:
    """A kind's words from ``path``, None if there is no such file; ValueError for words outside its keys."""
    try:
        data = _read(path)
    except FileNotFoundError:
        return None
    stray: list[str] = []
    for section, entries in data.items():
        if section in ("kinds", "canvas_blank") and isinstance(entries, dict):
            stray += [f"{section}.{key}" for key in entries if key != name]
        elif section != name:
            stray.append(str(section))
    if stray:
        raise ValueError(f"{path}: the words of kind {name!r} may only be under {name!r}, 'kinds.{name}' "
                         f"and 'canvas_blank.{name}', not {', '.join(map(repr, stray))}")
    return data


def kind_words(name: str, lang: str) -> dict[str, Any] | None:
    """The words kind ``name`` has in its own folder for ``lang``, or None (no such kind or file).

    Only kinds already known to :mod:`cxviz.registry` are asked: looking up
    words never scans installed packages for kinds.
    """
    from .registry import get_kind

    kind = get_kind(name, discover=False)
    return _words_of_kind(kind, lang) if kind is not None else None


def _words_of_kind(kind: Any, lang: str) -> dict[str, Any] | None:
    path = kind.locale_path(lang)
    return _read_kind_file(path, kind.name) if path is not None else None


@lru_cache(maxsize=1)
def shared_sections() -> frozenset[str]:
    """The top-level keys of the shared English words (``common``, ``canvas``...): no kind may take one."""
    return frozenset(_read(BUILTIN_DIR / "en.yaml")) | {"kinds"}


#: What a language tag may look like (en, ar, pt-BR, zh-Hant-TW): never a path.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


#: The folders set for the current piece of work (see :func:`using_locale_dirs`); None: the environment's.
_DIRS: contextvars.ContextVar[tuple[Path, ...] | None] = contextvars.ContextVar("cxviz_locale_dirs", default=None)


def split_locale_dirs(value: str | os.PathLike | None) -> tuple[Path, ...]:
    """Folders named in one string, joined by ``os.pathsep`` as in ``CXVIZ_LOCALE_DIR``."""
    if not value:
        return ()
    return tuple(Path(part) for part in str(value).split(os.pathsep) if part)


def user_locale_dirs() -> tuple[Path, ...]:
    """The folders of the user's own words in effect: those of :func:`using_locale_dirs`, else ``CXVIZ_LOCALE_DIR``."""
    chosen = _DIRS.get()
    return chosen if chosen is not None else split_locale_dirs(os.environ.get(LOCALE_DIR_VARIABLE))


@contextlib.contextmanager
def using_locale_dirs(dirs: str | os.PathLike | tuple | list | None) -> Iterator[tuple[Path, ...]]:
    """Use ``dirs`` (a folder, several joined by ``os.pathsep``, or a sequence) inside the block.

    ``None`` changes nothing: the folders in effect stay so.
    """
    if dirs is None:
        yield user_locale_dirs()
        return
    folders = tuple(Path(d) for d in dirs) if isinstance(dirs, (tuple, list)) else split_locale_dirs(dirs)
    token = _DIRS.set(folders)
    try:
        yield folders
    finally:
        _DIRS.reset(token)


def _user_file(tag: str, extra_dirs: tuple[Path, ...]) -> Path | None:
    for folder in extra_dirs:
        candidate = Path(folder) / f"{tag}.yaml"
        if Path(folder).resolve() != BUILTIN_DIR.resolve() and candidate.is_file():
            return candidate
    return None


def _where(path: Path, mark: Any) -> str:
    return f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)


def _check_words(path: Path, node: Any, keys: str = "") -> None:
    """Refuse a user's word that is not text (or a list of text), naming its place and key."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise LocaleError(f"{_where(path, key.start_mark)}: a key must be a word")
            _check_words(path, value, f"{keys}.{key.value}" if keys else str(key.value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag != "tag:yaml.org,2002:str":
                raise LocaleError(f"{_where(path, item.start_mark)}: {keys}: a list of words holds only text")
    elif isinstance(node, yaml.ScalarNode) and node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null"):
        raise LocaleError(f"{_where(path, node.start_mark)}: {keys}: a word must be text, not {node.value!r}; "
                          "quote it")


def _read_user(path: Path) -> dict[str, Any]:
    """A user's file of words, or a LocaleError with its file, line and column saying why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LocaleError(f"{path}: cannot be read: {exc}") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader) or {}
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise LocaleError(f"{_where(path, getattr(exc, 'problem_mark', None))}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise LocaleError(f"{path}:1:1: a file of words must be a mapping (language:, common:, journey: ...)")
    _check_words(path, root)
    if data.get("dir") not in (None, "ltr", "rtl"):
        raise LocaleError(f"{path}: dir must be ltr or rtl, not {data['dir']!r}")
    return data


def _fingerprint(dirs: tuple[Path, ...]) -> tuple:
    """What the user's files look like now, so that an edited file is read again."""
    seen = []
    for folder in dirs:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".yaml"):
                try:
                    info = entry.stat()
                except OSError:
                    continue
                seen.append((str(folder), entry.name, info.st_mtime_ns, info.st_size))
    return tuple(seen)


def catalogue(lang: str = "en", extra_dirs: tuple[Path, ...] | None = None) -> Catalogue:
    """The catalogue for ``lang``; unknown languages get English.

    A region tag falls back to its language (``ar-EG`` to ``ar``). For each,
    a user's file in ``extra_dirs`` (by default the folders in effect, see
    :func:`user_locale_dirs`) is asked first, then the built-in words;
    English (the user's, then the built-in) comes last. Raises
    :class:`LocaleError` for a user's file that cannot be used.
    """
    dirs = user_locale_dirs() if extra_dirs is None else tuple(Path(d) for d in extra_dirs)
    return _catalogue(lang, dirs, _fingerprint(dirs) if dirs else ())


@lru_cache(maxsize=64)
def _catalogue(lang: str, extra_dirs: tuple[Path, ...], _files: tuple) -> Catalogue:
    english = Catalogue("en", _read(BUILTIN_DIR / "en.yaml"), kinds_in="en")
    user_english = _user_file("en", extra_dirs)
    if user_english is not None:
        english = Catalogue("en", _read_user(user_english), english)
    if not LANGUAGE_TAG.fullmatch(lang):
        return english
    layers: list[tuple[dict[str, Any], str | None]] = []
    for tag in dict.fromkeys((lang, lang.split("-")[0])):
        if tag == "en":
            break
        user, built_in = _user_file(tag, extra_dirs), BUILTIN_DIR / f"{tag}.yaml"
        if user is not None:
            layers.append((_read_user(user), None))
        if built_in.is_file():
            layers.append((_read(built_in), tag))
        elif user is not None:
            layers.append(({}, tag))  # a kind may ship words in a language cxviz itself lacks
    if not layers:
        return english
    result = english
    for entries, tag in reversed(layers):
        result = Catalogue(lang, entries, result, kinds_in=tag)
    return result


def available_languages(extra_dirs: tuple[Path, ...] | None = None) -> list[str]:
    """Language tags with a catalogue, built in or in the user's folders (``extra_dirs``, or those in effect)."""
    dirs = user_locale_dirs() if extra_dirs is None else tuple(extra_dirs)
    tags = {p.stem for folder in (*dirs, BUILTIN_DIR) for p in Path(folder).glob("*.yaml")
            if LANGUAGE_TAG.fullmatch(p.stem)}
    return sorted(tags)


def language_warning(lang: str, extra_dirs: tuple[Path, ...] | None = None) -> str | None:
    """What to warn about a language without words, built in or the user's (English is used), or None.

    A region tag counts as its language (``ar-EG`` as ``ar``), as in :func:`catalogue`.
    """
    have = available_languages(extra_dirs)
    if lang in have or lang.split("-")[0] in have:
        return None
    return f"no built-in words for {lang!r} (have {', '.join(have)}); using English"


def in_language(spec: Any, lang: str) -> Any:
    """A validated spec whose built-in words are drawn in ``lang`` instead of its own ``lang:``."""
    return dataclasses.replace(spec, model=dataclasses.replace(spec.model, lang=lang))
