"""Sticky notes exported from a workshop board (CSV or XLSX), one row a note, turned into a spec.

The first row names the columns, in English, Indonesian, Arabic or Javanese;
every later row is one note. Each kind reads its own columns (see
:data:`COLUMNS`); the notes keep the order of the rows. Problems are reported
at the row and column of the cell, as spreadsheet programs number them::

    notes.csv:7:3: error: lane: unknown lane 'painz'; did you mean 'pains'?
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from .diagnostics import Diagnostic, OptionError, Severity, SpecError
from .limits import Limits

__all__ = ["COLUMNS", "HEADER_WORDS", "import_notes"]

#: The languages whose header and value words are known, in the order a tie is decided.
LANGUAGES = ("en", "id", "jv", "ar")

#: Each column's header words by language. A word may belong to several languages.
HEADER_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "stage": {"en": ("stage", "phase"), "id": ("tahap", "tahapan", "fase"), "ar": ("المرحلة", "مرحلة"),
              "jv": ("tataran", "tahapan")},
    "step": {"en": ("step",), "id": ("langkah",), "ar": ("الخطوة", "خطوة"), "jv": ("langkah", "tindak")},
    "lane": {"en": ("lane", "swimlane", "row"), "id": ("jalur", "lajur"), "ar": ("المسار", "مسار"),
             "jv": ("jalur", "larikan")},
    "text": {"en": ("text", "sticky note", "content"), "id": ("teks", "isi"), "ar": ("النص", "نص"),
             "jv": ("tulisan", "teks", "isi")},
    "score": {"en": ("score", "emotion"), "id": ("skor", "nilai", "emosi"), "ar": ("الدرجة", "درجة"),
              "jv": ("biji", "rasa")},
    "area": {"en": ("area", "quadrant"), "id": ("area", "bagian", "kuadran"), "ar": ("المجال", "المنطقة", "مجال"),
             "jv": ("bagean", "wilayah")},
    "field": {"en": ("field",), "id": ("bidang", "kolom"), "ar": ("الحقل", "حقل"), "jv": ("isian", "perangan")},
    "id": {"en": ("id", "key"), "id": ("id", "kode"), "ar": ("المعرف", "معرف"), "jv": ("id", "kode")},
    "because": {"en": ("because", "why", "cause"), "id": ("karena", "sebab", "penyebab"),
                "ar": ("السبب", "لأن"), "jv": ("amarga", "jalaran")},
    "parent": {"en": ("parent",), "id": ("induk",), "ar": ("الأصل", "أصل"), "jv": ("induk", "babon")},
    "root": {"en": ("root", "root cause"), "id": ("akar", "akar masalah"), "ar": ("جذري", "السبب الجذري"),
             "jv": ("oyot",)},
    "countermeasure": {"en": ("countermeasure", "fix"), "id": ("penanggulangan", "perbaikan", "solusi"),
                       "ar": ("الإجراء المضاد", "العلاج", "الحل"), "jv": ("pangatasan", "tandang")},
    "evidence": {"en": ("evidence",), "id": ("bukti",), "ar": ("الدليل", "دليل"), "jv": ("bukti", "paseksen")},
    "type": {"en": ("type",), "id": ("jenis", "tipe"), "ar": ("النوع", "نوع"), "jv": ("jinis",)},
    "next": {"en": ("next", "to"), "id": ("berikutnya", "lanjut", "ke"), "ar": ("التالي", "إلى"),
             "jv": ("sabanjure", "banjur")},
    "label": {"en": ("label",), "id": ("label",), "ar": ("التسمية", "تسمية"), "jv": ("label", "tetenger")},
    "outcome": {"en": ("outcome", "result"), "id": ("hasil",), "ar": ("النتيجة", "نتيجة"), "jv": ("asil",)},
    "owner": {"en": ("owner", "who"), "id": ("pemilik", "penanggung jawab", "pj"), "ar": ("المسؤول",),
              "jv": ("sing ngurus", "penanggung jawab")},
    "due": {"en": ("due", "deadline", "due date"), "id": ("tenggat", "batas waktu"), "ar": ("الموعد", "الموعد النهائي"),
            "jv": ("wates wektu", "tenggat")},
    "condition": {"en": ("condition", "when"), "id": ("syarat", "kondisi", "ketika"), "ar": ("الشرط", "شرط"),
                  "jv": ("syarat", "yen")},
    "optional": {"en": ("optional",), "id": ("opsional", "pilihan"), "ar": ("اختياري",), "jv": ("opsional",)},
    "note": {"en": ("note", "detail"), "id": ("catatan", "keterangan"), "ar": ("ملاحظة", "الملاحظة"),
             "jv": ("cathetan",)},
}

#: Each kind's columns: those it needs, then those it may have. Other columns are left alone.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "journey": (("stage", "lane"), ("step", "text", "score", "owner", "due")),
    "empathy": (("area", "text"), ()),
    "persona": (("field", "text"), ()),
    "whys": (("because",), ("id", "parent", "root", "countermeasure", "evidence")),
    "userflow": (("id",), ("type", "text", "lane", "next", "label", "condition", "optional", "outcome", "note")),
}

# Words that name a value (a lane, an area, a field, a step type) besides the kind's own locale words.
_VALUE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "journey": {
        "actions": ("action", "steps", "step", "doing"), "touchpoints": ("touchpoint",), "thoughts": ("thought",),
        "emotions": ("emotion", "score", "feeling"), "pains": ("pain", "pain points", "pain point"),
        "opportunities": ("opportunity", "idea", "ideas"), "todo": ("todos", "to do", "next steps"),
        "channel": ("channel", "channels", "kanal", "saluran", "القناة"), "goal": ("goal", "goals"),
        "metrics": ("metric", "metrics", "metrik", "المقاييس", "ukuran"),
    },
    "empathy": {
        "says": ("say",), "thinks": ("think",), "does": ("do",), "feels": ("feel",), "sees": ("see",),
        "hears": ("hear",), "pains": ("pain",), "gains": ("gain",), "goal": ("tujuan",),
        "who": ("person", "siapa", "sapa", "sopo", "من"),
    },
    "persona": {
        "name": ("nama", "jeneng", "الاسم", "اسم"), "photo": ("foto", "picture", "الصورة", "صورة"), "quote": ("kutipan", "pethikan", "الاقتباس", "اقتباس"),
        "age": ("umur", "العمر"), "role": ("occupation", "pekerjaan", "الدور", "الوظيفة"),
        "frustrations": ("pains", "frustration"), "behaviours": ("behaviors", "behaviour", "behavior"),
        "goals": ("goal",), "motivations": ("motivation",), "channels": ("channel",), "brands": ("brand",),
        "personality": ("trait", "traits"), "tech": ("tech comfort", "technology"),
    },
    "userflow": {"decision": ("branch",), "system": ("system step",), "end": ("exit point",)},
}

_LIST_LANES = ("touchpoints", "thoughts", "pains", "opportunities", "todo", "evidence", "frontstage", "backstage",
               "support")
_BLUEPRINT_LANES = ("evidence", "frontstage", "backstage", "support")
_EMPATHY_LISTS = ("says", "thinks", "does", "feels", "sees", "hears", "pains", "gains")
_PERSONA_SINGLE = ("name", "photo", "quote", "age", "role", "location", "bio", "tech")
_PERSONA_LISTS = ("goals", "frustrations", "motivations", "behaviours", "channels", "brands")
_NODE_TYPES = ("entry", "screen", "action", "decision", "system", "end")
_OUTCOMES = ("success", "failure", "exit")

_YES = {"yes", "y", "true", "1", "x", "✓", "✔", "root", "ya", "iya", "benar", "inggih", "iyo", "نعم"}
_NO = {"", "no", "n", "false", "0", "-", "tidak", "bukan", "ora", "mboten", "لا"}


def _norm(text: str) -> str:
    """A header or value word as compared: case, spacing, Arabic tatweel and a trailing colon ignored."""
    text = unicodedata.normalize("NFKC", text).replace("\u0640", "").casefold()
    text = re.sub(r"[\s_\-]+", " ", text).strip().rstrip(":*").strip()
    return text


def _clean(value: Any) -> str:
    """A cell as text: numbers without a stray ``.0``, dates as YYYY-MM-DD, whitespace runs as one space."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).split())


@dataclass
class Cell:
    """One cell's text and where it is (1-based row and column, the column's header as written)."""

    text: str
    row: int
    column: int
    header: str


@dataclass
class Sheet:
    """The cells of a sheet under their canonical column names, row by row."""

    name: str
    rows: list[dict[str, Cell]]
    lang: str | None


class _Notes:
    """Collects the errors of one import, every one at once."""

    def __init__(self, name: str):
        self.name = name
        self.errors: list[Diagnostic] = []
        self.where: dict[str, Cell] = {}  # spec path -> the cell that wrote it

    def error(self, cell: Cell | None, message: str, row: int = 0) -> None:
        if cell is None:
            self.errors.append(Diagnostic(Severity.ERROR, self.name, row, 1 if row else 0, "", message))
        else:
            self.errors.append(Diagnostic(Severity.ERROR, self.name, cell.row, cell.column, cell.header, message))

    def note(self, path: str, cell: Cell) -> None:
        self.where.setdefault(path, cell)


# -- reading the sheet ---------------------------------------------------------------

def _read_csv(path: Path, name: str, limits: Limits) -> list[tuple[int, list[Any]]]:
    data = path.read_bytes()
    if len(data) > limits.max_file_bytes:
        raise _fail(name, f"the file is {len(data)} bytes; the limit is {limits.max_file_bytes}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _fail(name, "not UTF-8 text; save the sheet as 'CSV UTF-8'", line) from None
    first = text.split("\n", 1)[0]
    # Spreadsheets in locales with a decimal comma (Indonesian, much of Europe) write ';' between cells.
    delimiter = max((",", ";", "\t"), key=first.count) if first.strip() else ","
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            rows.append((number, cells))
    except csv.Error as exc:
        raise _fail(name, f"not readable as CSV: {exc}", len(rows) + 1) from None
    return rows


def _read_xlsx(path: Path, name: str, limits: Limits) -> list[tuple[int, list[Any]]]:
    import zipfile

    import openpyxl  # loaded only for a workbook: a CSV import does not need it

    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _fail(name, f"the file is {size} bytes; the limit is {limits.max_file_bytes}")
    from openpyxl.utils.exceptions import InvalidFileException

    # Read through a handle: openpyxl judges a file name by its suffix, a board export may not have ours.
    with open(path, "rb") as handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
            raise _fail(name, f"not an .xlsx workbook ({exc}); save the sheet as Excel Workbook (.xlsx) "
                              "or CSV") from None
        try:
            if not book.worksheets:
                return []
            rows = []
            for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
                rows.append((number, list(cells)))
                if number > limits.max_items + 1 and any(c not in (None, "") for c in cells):
                    break  # reported as too many notes
            return rows
        finally:
            book.close()


def _fail(name: str, message: str, line: int = 0) -> SpecError:
    return SpecError([Diagnostic(Severity.ERROR, name, line, 1 if line else 0, "", message)])


def _header_lookup() -> dict[str, tuple[str, frozenset[str]]]:
    """Every header word: the column it names and the languages it belongs to."""
    found: dict[str, tuple[str, set[str]]] = {}
    for column, by_lang in HEADER_WORDS.items():
        for lang, words in by_lang.items():
            for word in words:
                found.setdefault(_norm(word), (column, set()))[1].add(lang)
    return {word: (column, frozenset(langs)) for word, (column, langs) in found.items()}


def read_sheet(path: Path, kind: str, name: str, fmt: str, limits: Limits) -> Sheet:
    """The notes of a CSV or XLSX file under ``kind``'s column names; SpecError if it has none to read."""
    raw = (_read_xlsx if fmt == "xlsx" else _read_csv)(path, name, limits)
    raw = [(number, [_clean(c) for c in cells]) for number, cells in raw]
    raw = [(number, cells) for number, cells in raw if any(cells)]
    required, optional = COLUMNS[kind]
    wanted = required + optional
    if not raw:
        raise _fail(name, f"the file is empty; its first row names the columns: {', '.join(wanted)}")
    header_row, headers = raw[0]
    lookup = _header_lookup()
    columns: dict[str, int] = {}
    votes = {lang: 0 for lang in LANGUAGES}
    errors: list[Diagnostic] = []
    for index, header in enumerate(headers):
        column, langs = lookup.get(_norm(header), (None, frozenset()))
        if kind == "whys" and column == "text":
            column = "because"
        if column is None or column not in wanted:
            continue  # boards export more (author, colour, votes): those columns are not notes
        if column in columns:
            errors.append(Diagnostic(Severity.ERROR, name, header_row, index + 1, header,
                                     f"a second {column!r} column (the first is column {columns[column] + 1})"))
            continue
        columns[column] = index
        for lang in langs:
            votes[lang] += 1
    for column in required:
        if column not in columns:
            words = "; ".join(f"{lang}: {', '.join(HEADER_WORDS[column][lang])}" for lang in LANGUAGES)
            errors.append(Diagnostic(Severity.ERROR, name, header_row, 1, "",
                                     f"no {column!r} column; the columns of a {kind} sheet are {', '.join(wanted)} "
                                     f"(header words for {column!r}: {words})"))
    if errors:
        raise SpecError(errors)
    if len(raw) - 1 > limits.max_items:
        raise _fail(name, f"{len(raw) - 1} notes; the limit is {limits.max_items}", raw[limits.max_items + 1][0])
    best = max(LANGUAGES, key=lambda lang: votes[lang])  # max keeps the first of a tie
    rows = []
    for number, cells in raw[1:]:
        rows.append({column: Cell(cells[index] if index < len(cells) else "", number, index + 1,
                                  headers[index].strip())
                     for column, index in columns.items()})
    return Sheet(name, rows, best if votes[best] else None)


# -- words for values ------------------------------------------------------------------

def _value_words(kind: str, keys: tuple[str, ...], section: str | None) -> dict[str, str]:
    """Every word naming one of ``keys``: the key itself, its English variants and the kind's locale words."""
    from .locale import kind_words

    words: dict[str, str] = {}
    for key in keys:
        words[_norm(key)] = key
        for extra in _VALUE_WORDS.get(kind, {}).get(key, ()):
            words.setdefault(_norm(extra), key)
    for lang in LANGUAGES:
        entries = (kind_words(kind, lang) or {}).get(kind) or {}
        if section:
            entries = entries.get(section) or {}
        for key, word in entries.items():
            if key in keys and isinstance(word, str):
                words.setdefault(_norm(word), key)
    return words


def _choose(notes: _Notes, cell: Cell, words: dict[str, str], what: str) -> str | None:
    """The key ``cell`` names among ``words``; an error with the nearest word when it names none."""
    key = words.get(_norm(cell.text))
    if key is not None:
        return key
    keys = sorted(set(words.values()), key=list(words.values()).index)
    # The key itself when the typo is near one (painz: pains), else the word it is near (titik masalh).
    close = (difflib.get_close_matches(_norm(cell.text), keys, n=1, cutoff=0.6)
             or difflib.get_close_matches(_norm(cell.text), list(words), n=1, cutoff=0.6))
    hint = f"; did you mean {close[0]!r}?" if close else f" (one of {', '.join(keys)})"
    notes.error(cell, f"unknown {what} {cell.text!r}{hint}")
    return None


def _number(notes: _Notes, cell: Cell, low: float, high: float, what: str, whole: bool = False) -> float | None:
    text = cell.text.replace("\u2212", "-").replace(",", ".").lstrip("+")
    try:
        value = float(text)
    except ValueError:
        notes.error(cell, f"{cell.text!r} is not a number on {what} {_num(low)}..{_num(high)}")
        return None
    if value != value or not low <= value <= high or (whole and not value.is_integer()):
        notes.error(cell, f"{cell.text} is {'not a whole number on' if whole and low <= value <= high else 'outside'} "
                          f"{what} {_num(low)}..{_num(high)}")
        return None
    return _num(value)


_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'", "「": "」"}


def _unquoted(text: str) -> str:
    """A quote's words without the marks around them: the diagram draws its own."""
    if len(text) > 2 and _QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _single(notes: _Notes, holder: dict, key: str, cell: Cell, seen: dict, what: str) -> None:
    """Set a field that holds one text; a second, different text is an error naming the first's row."""
    if key in holder and holder[key] != cell.text:
        notes.error(cell, f"{what} is given already on row {seen[key].row}; it holds one text")
        return
    holder[key] = cell.text
    seen.setdefault(key, cell)


# -- one builder a kind -------------------------------------------------------------------

def _journey(sheet: Sheet, notes: _Notes) -> dict:
    lanes = ("actions", "channel", "emotions", "goal", "metrics") + _LIST_LANES
    words = _value_words("journey", lanes, "lanes")
    words.update({w: k for w, k in _value_words("journey", ("goal",), None).items() if k == "goal"})
    stages: list[dict] = []
    stage: dict | None = None
    step: dict | None = None
    for row in sheet.rows:
        get = row.get
        stage_cell, step_cell, lane_cell = row["stage"], get("step"), row["lane"]
        text_cell, score_cell = get("text"), get("score")
        text = text_cell.text if text_cell else ""
        if stage_cell.text:
            if stage is None or stage["name"] != stage_cell.text:
                stage = next((s for s in stages if s["name"] == stage_cell.text), None)
                if stage is None:
                    stage = {"name": stage_cell.text, "steps": [], "at": stage_cell, "seen": {}}
                    stages.append(stage)
                    notes.note(f"stages[{len(stages) - 1}]", stage_cell)
                step = None
        elif stage is None:
            notes.error(stage_cell, "empty, and no stage above it; name the stage on the first note")
            continue
        lane = _choose(notes, lane_cell, words, "lane") if lane_cell.text else None
        if lane_cell.text and lane is None:
            continue
        s = stages.index(stage)
        if lane in ("goal", "metrics"):
            if score_cell is not None and score_cell.text:
                notes.error(score_cell, f"a score belongs to a step, not to the stage's {lane}")
            if not text:
                notes.error(text_cell or lane_cell, f"empty; the stage's {lane} needs its text")
            elif lane == "goal":
                _single(notes, stage, "goal", text_cell, stage["seen"], "the stage's goal")
                notes.note(f"stages[{s}].goal", text_cell)
            else:
                name, sep, value = text.partition(":") if ":" in text else text.partition("=")
                if not sep or not name.strip() or not value.strip():
                    notes.error(text_cell, f"{text!r}: a metric is written 'name: value', as in 'NPS: 32'")
                else:
                    stage.setdefault("metrics", {})[name.strip()] = value.strip()
                    notes.note(f"stages[{s}].metrics", text_cell)
            continue
        # Which step the note belongs to: the one its step cell names, a new one for an action note
        # with no step cell, else the step of the row above.
        if step_cell is not None and step_cell.text:
            step = next((st for st in stage["steps"] if st["key"] == step_cell.text), None)
            if step is None:
                step = {"key": step_cell.text, "at": step_cell, "seen": {}}
                stage["steps"].append(step)
        elif lane == "actions" and text:
            step = {"key": None, "at": text_cell, "seen": {}}
            stage["steps"].append(step)
        elif step is None:
            notes.error(step_cell or lane_cell, f"no step: name it in the step column, or start it with an "
                                                f"'actions' note in stage {stage['name']!r}")
            continue
        t = stage["steps"].index(step)
        path = f"stages[{s}].steps[{t}]"
        notes.note(path, step["at"])
        if lane == "emotions" and text:
            value = _number(notes, text_cell, -2, 2, "the emotion scale")
            if value is not None:
                _score(notes, step, value, text_cell, path)
        elif lane == "actions":
            if text:
                _single(notes, step, "action", text_cell, step["seen"], f"the action of step {t + 1}")
                notes.note(f"{path}.action", text_cell)
        elif lane == "channel":
            if text:
                _single(notes, step, "channel", text_cell, step["seen"], "the step's channel")
                notes.note(f"{path}.channel", text_cell)
        elif lane == "todo" and text:
            items = step.setdefault(lane, [])
            notes.note(f"{path}.todo[{len(items)}]", text_cell)
            items.append(_todo(notes, text, get("owner"), get("due"), f"{path}.todo[{len(items)}]"))
        elif lane is not None and text:
            items = step.setdefault(lane, [])
            notes.note(f"{path}.{lane}[{len(items)}]", text_cell)
            items.append(_unquoted(text) if lane == "thoughts" else text)
        if lane != "todo":
            for column in ("owner", "due"):
                cell = get(column)
                if cell is not None and cell.text:
                    notes.error(cell, f"only a to-do has an {column}; this note is in lane {lane!r}"
                                if column == "owner" else f"only a to-do has a due date; this note is in lane {lane!r}")
        if score_cell is not None and score_cell.text:
            value = _number(notes, score_cell, -2, 2, "the emotion scale")
            if value is not None:
                _score(notes, step, value, score_cell, path)
        elif lane is not None and not text and not (lane == "actions" and step_cell is not None and step_cell.text):
            notes.error(text_cell or lane_cell, f"empty; a note in lane {lane!r} needs its text")
        elif lane is None and text:
            notes.error(lane_cell, f"empty; say which lane the note {text!r} goes in")
    blueprint = False
    out_stages = []
    for s, stage in enumerate(stages):
        out = {"name": stage["name"]}
        for key in ("goal", "metrics"):
            if key in stage:
                out[key] = stage[key]
        steps = []
        for step in stage["steps"]:
            action = step.get("action")
            if action is None:
                if step["key"] is None or re.fullmatch(r"[\d.]+", step["key"]):
                    notes.error(step["at"], f"step {step['key']!r} has no action: add a note in lane 'actions'")
                    continue
                action = step["key"]
            item: dict = {"action": action}
            for key in ("touchpoints", "channel", "thoughts", "emotion", "pains", "opportunities", "todo",
                        *_BLUEPRINT_LANES):
                if key in step:
                    item[key] = step[key]
            blueprint = blueprint or any(key in step for key in _BLUEPRINT_LANES)
            steps.append(item)
        if steps:
            out["steps"] = steps
        out_stages.append(out)
    if not out_stages:
        notes.error(None, "no stages: the sheet has no notes", row=1)
    spec: dict = {}
    if blueprint:
        spec["type"] = "service-blueprint"  # only a blueprint draws those lanes
    spec["stages"] = out_stages
    return spec


def _yes_no(notes: _Notes, cell: Cell, what: str) -> bool:
    """Whether a yes/no cell says yes; an error for a word that is neither."""
    flag = _norm(cell.text)
    if flag not in _YES and flag not in _NO:
        notes.error(cell, f"{cell.text!r}: write yes (or x) for {what}, or leave it empty")
    return flag in _YES


def _todo(notes: _Notes, text: str, owner: Cell | None, due: Cell | None, path: str) -> str | dict:
    """A to-do note: its text alone, or with the owner and due date of its row."""
    if not (owner is not None and owner.text) and not (due is not None and due.text):
        return text
    todo: dict = {"action": text}
    if owner is not None and owner.text:
        todo["owner"] = owner.text
        notes.note(f"{path}.owner", owner)
    if due is not None and due.text:
        todo["due"] = due.text  # a date cell reads as YYYY-MM-DD; the spec's checks say what else is wrong
        notes.note(f"{path}.due", due)
    return todo


def _score(notes: _Notes, step: dict, value: float, cell: Cell, path: str) -> None:
    if "emotion" in step and step["emotion"] != value:
        notes.error(cell, f"the step is scored {step['emotion']} already on row {step['seen']['emotion'].row}")
        return
    step["emotion"] = value
    step["seen"].setdefault("emotion", cell)
    notes.note(f"{path}.emotion", cell)


def _empathy(sheet: Sheet, notes: _Notes) -> dict:
    keys = ("who", "goal") + _EMPATHY_LISTS
    words = _value_words("empathy", keys, "areas")
    for combined, key in (("thinks_feels", "thinks"), ("says_does", "says")):
        words.update({w: key for w, k in _value_words("empathy", (combined,), "areas").items() if k == combined})
    spec: dict = {}
    seen: dict = {}
    for row in sheet.rows:
        area = _choose(notes, row["area"], words, "area")
        text = row["text"]
        if area is None:
            continue
        if not text.text:
            notes.error(text, f"empty; a note in {area!r} needs its text")
        elif area in ("goal", "who"):
            _single(notes, spec, area, text, seen, area)
            notes.note(area, text)
        else:
            items = spec.setdefault(area, [])
            notes.note(f"{area}[{len(items)}]", text)
            items.append(_unquoted(text.text) if area == "says" else text.text)
    return {key: spec[key] for key in keys if key in spec}


def _persona(sheet: Sheet, notes: _Notes) -> dict:
    keys = ("name", "photo", "quote", "age", "role", "location", "bio") + _PERSONA_LISTS + ("personality", "tech")
    words = _value_words("persona", keys, None)
    spec: dict = {}
    seen: dict = {}
    for row in sheet.rows:
        key = _choose(notes, row["field"], words, "field")
        text = row["text"]
        if key is None:
            continue
        if not text.text:
            notes.error(text, f"empty; the {key} needs its text")
        elif key == "age":
            value = _number(notes, text, 0, 130, "the age range", whole=True)
            if value is not None:
                _single(notes, spec, key, Cell(value, text.row, text.column, text.header), seen, key)
                notes.note(key, text)
        elif key == "tech":
            value = _number(notes, text, 0, 100, "the tech comfort scale")
            if value is not None:
                _single(notes, spec, key, Cell(value, text.row, text.column, text.header), seen, key)
                notes.note(key, text)
        elif key == "personality":
            match = re.fullmatch(r"(.+?)\s*(?:/|\||↔|<->|–|—)\s*(.+?)\s*[:=]\s*([-+\u2212]?[\d.,]+)\s*%?", text.text)
            if not match:
                notes.error(text, f"{text.text!r}: a trait is written 'pole / pole: value', "
                                  "as in 'Introvert / Extrovert: 70'")
                continue
            value = _number(notes, Cell(match[3], text.row, text.column, text.header), 0, 100, "the trait scale")
            if value is not None:
                items = spec.setdefault(key, [])
                notes.note(f"{key}[{len(items)}]", text)
                items.append({"poles": [match[1], match[2]], "value": value})
        elif key in _PERSONA_SINGLE:
            if key == "quote":
                text = Cell(_unquoted(text.text), text.row, text.column, text.header)
            _single(notes, spec, key, text, seen, key)
            notes.note(key, text)
        else:
            items = spec.setdefault(key, [])
            notes.note(f"{key}[{len(items)}]", text)
            items.append(text.text)
    if "name" not in spec and not notes.errors:
        notes.error(None, "no name: add a row with field 'name'", row=1)
    return {key: spec[key] for key in keys if key in spec}


def _whys(sheet: Sheet, notes: _Notes) -> dict:
    problem: dict | None = None
    by_id: dict[str, dict] = {}
    previous: dict | None = None
    for row in sheet.rows:
        get = row.get
        because, id_cell, parent = row["because"], get("id"), get("parent")
        if not because.text:
            notes.error(because, "empty; every note says why the one it answers happened")
            continue
        node: dict = {"because": because.text, "whys": [], "at": because}
        if problem is None:
            node["path"] = ""
            problem = node
            notes.note("problem", because)
            for cell in (parent, get("root"), get("countermeasure"), get("evidence")):
                if cell is not None and cell.text:
                    notes.error(cell, "the first note is the problem; it answers nothing and has no "
                                      f"{cell.header or 'value'} here")
        else:
            if parent is not None and parent.text:
                above = by_id.get(parent.text)
                if above is None:
                    close = difflib.get_close_matches(parent.text, list(by_id), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    notes.error(parent, f"{parent.text!r} is not the id of a note above{hint}")
                    continue
            else:
                above = previous
            path = (f"{above['path']}." if above["path"] else "") + f"whys[{len(above['whys'])}]"
            node["path"] = path
            above["whys"].append(node)
            notes.note(path, because)
            notes.note(f"{path}.because", because)
            root = get("root")
            if root is not None and _yes_no(notes, root, "a root cause"):
                node["root"] = True
            for key in ("evidence", "countermeasure"):
                cell = get(key)
                if cell is not None and cell.text:
                    node[key] = cell.text
                    notes.note(f"{path}.{key}", cell)
        if id_cell is not None and id_cell.text:
            if id_cell.text in by_id:
                notes.error(id_cell, f"id {id_cell.text!r} is used already on row {by_id[id_cell.text]['at'].row}")
            else:
                by_id[id_cell.text] = node
        previous = node
    if problem is None:
        notes.error(None, "no problem: the first note states it", row=1)
        return {"problem": "", "whys": []}

    def tree(node: dict) -> list[dict]:
        out = []
        for why in node["whys"]:
            item = {"because": why["because"]}
            for key in ("evidence", "root", "countermeasure"):
                if key in why:
                    item[key] = why[key]
            if why["whys"]:
                item["whys"] = tree(why)
            out.append(item)
        return out

    if not problem["whys"]:
        notes.error(problem["at"], "the problem has no answer to \"why?\": add the notes that answer it")
    return {"problem": problem["because"], "whys": tree(problem)}


def _userflow(sheet: Sheet, notes: _Notes) -> dict:
    types = _value_words("userflow", _NODE_TYPES, "node_types")
    outcomes = _value_words("userflow", _OUTCOMES, "node_types")
    types.update({w: k for w, k in outcomes.items()})  # "success" as a type: an end that succeeds
    nodes: list[dict] = []
    by_id: dict[str, dict] = {}
    edges: list[tuple[Cell, dict, Cell]] = []
    lanes: list[str] = []
    for row in sheet.rows:
        get = row.get
        id_cell = row["id"]
        if not id_cell.text:
            notes.error(id_cell, "empty; every note is a step with its own id")
            continue
        node = by_id.get(id_cell.text)
        if node is None:
            node = {"id": id_cell.text, "at": id_cell}
            type_cell = get("type")
            if type_cell is not None and type_cell.text:
                kind = _choose(notes, type_cell, types, "step type")
                if kind in _OUTCOMES:
                    node["type"], node["outcome"] = "end", kind
                elif kind is not None:
                    node["type"] = kind
            for column, key in (("text", "label"), ("lane", "lane"), ("note", "note")):
                cell = get(column)
                if cell is not None and cell.text:
                    node[key] = cell.text
                    notes.note(f"nodes[{len(nodes)}].{key}", cell)
            if node.get("lane") and node["lane"] not in lanes:
                lanes.append(node["lane"])
            outcome_cell = get("outcome")
            if outcome_cell is not None and outcome_cell.text:
                outcome = _choose(notes, outcome_cell, outcomes, "outcome")
                if outcome is not None:
                    node["outcome"] = outcome
                    node.setdefault("type", "end")
            notes.note(f"nodes[{len(nodes)}]", id_cell)
            notes.note(f"nodes[{len(nodes)}].id", id_cell)
            by_id[node["id"]] = node
            nodes.append(node)
        else:
            for column in ("type", "text", "lane", "outcome", "note"):
                cell = get(column)
                if cell is not None and cell.text:
                    notes.error(cell, f"step {id_cell.text!r} is described on row {node['at'].row}; "
                                      "a row repeating its id only adds a way out (next, label)")
        next_cell, label_cell = get("next"), get("label")
        condition_cell, optional_cell = get("condition"), get("optional")
        if next_cell is not None and next_cell.text:
            edge = {"from": node["id"], "to": next_cell.text}
            if label_cell is not None and label_cell.text:
                edge["label"] = label_cell.text
            if condition_cell is not None and condition_cell.text:
                edge["condition"] = condition_cell.text
            if optional_cell is not None and optional_cell.text:
                if _yes_no(notes, optional_cell, "an optional way"):
                    edge["optional"] = True
            edges.append((next_cell, edge, id_cell))
        else:
            for cell, what in ((label_cell, "a label"), (condition_cell, "a condition"),
                               (optional_cell, "'optional'")):
                if cell is not None and cell.text:
                    notes.error(cell, f"{what} belongs to the way to the next step; fill in next too")
    out_edges = []
    for next_cell, edge, id_cell in edges:
        if edge["to"] not in by_id:
            close = difflib.get_close_matches(edge["to"], list(by_id), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            notes.error(next_cell, f"no step has the id {edge['to']!r}{hint}")
            continue
        notes.note(f"edges[{len(out_edges)}]", id_cell)
        notes.note(f"edges[{len(out_edges)}].to", next_cell)
        out_edges.append(edge)
    if not nodes:
        notes.error(None, "no steps: the sheet has no notes", row=1)
    order = ("id", "type", "label", "outcome", "lane", "note")
    spec: dict = {}
    if lanes:
        spec["lanes"] = lanes
    spec["nodes"] = [{key: node[key] for key in order if key in node} for node in nodes]
    if out_edges:
        spec["edges"] = out_edges
    return spec


_BUILDERS: dict[str, Callable[[Sheet, _Notes], dict]] = {
    "journey": _journey, "empathy": _empathy, "persona": _persona, "whys": _whys, "userflow": _userflow,
}


# -- the spec ----------------------------------------------------------------------------------

def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def _located(diagnostic: Diagnostic, notes: _Notes) -> Diagnostic:
    """A diagnostic about the spec moved to the cell that wrote the value it is about."""
    best = ""
    for path in notes.where:
        if (diagnostic.field == path or diagnostic.field.startswith((path + ".", path + "["))) \
                and len(path) > len(best):
            best = path
    cell = notes.where.get(best)
    if cell is None:
        return Diagnostic(diagnostic.severity, notes.name, 0, 0, diagnostic.field, diagnostic.message)
    return Diagnostic(diagnostic.severity, notes.name, cell.row, cell.column, cell.header, diagnostic.message)


def import_notes(path: str | Path, kind: str, *, title: str | None = None, lang: str | None = None,
                 format: str | None = None, limits: Limits | None = None,
                 on_warning: Callable[[Diagnostic], None] | None = None) -> str:
    """Sticky notes in a CSV or XLSX sheet, one row a note, as the YAML text of a ``kind`` spec.

    ``format`` (``csv`` or ``xlsx``) is taken from the file's suffix when
    not given. The title defaults to the file's name, the language to that
    of the header row (else English). Raises :class:`~cxviz.SpecError` with
    a diagnostic at the row and column of each bad cell; the text returned
    always validates. ``on_warning`` is given each warning of the finished
    spec, placed at its cell.
    """
    from .loading import parse_yaml
    from .validation import validate_source

    if kind not in _BUILDERS:
        raise OptionError(f"unknown kind {kind!r} to import; the kinds are: {', '.join(_BUILDERS)}")
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in ("csv", "xlsx"):
        if format is None and fmt in ("tsv", "txt"):
            fmt = "csv"
        else:
            raise OptionError(f"{path}: cannot tell csv from xlsx by the name; say which: "
                              f"cxviz import csv {path} or cxviz import xlsx {path}")
    limits = limits or Limits()
    name = str(path)
    sheet = read_sheet(path, kind, name, fmt, limits)
    notes = _Notes(name)
    body = _BUILDERS[kind](sheet, notes)
    if notes.errors:
        raise SpecError(sorted(notes.errors, key=lambda d: (d.line, d.column)))
    chosen_lang = lang or sheet.lang or "en"
    data = {"kind": kind, "cxviz": 1, "title": title or path.stem, "lang": chosen_lang, **body}
    text = _dump(data)
    source = parse_yaml(text, name, limits)
    source.path = path.resolve()  # files the notes name (a photo) sit beside the sheet
    found = validate_source(source, limits)[1]
    problems = [d for d in found if d.is_error]
    if problems:
        raise SpecError([_located(d, notes) for d in problems])
    if on_warning is not None:
        for warning in found:
            on_warning(_located(warning, notes))
    return text
