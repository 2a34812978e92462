"""The words: shared ones in cxviz/locales/, each kind's in its own folder, merged
under the keys they always had; every language complete; a missing word shown
as its key (or in English) and noted, never a crash."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

from cxviz.locale import (BUILTIN_DIR, Catalogue, MissingWord, catalogue, kind_words, noting_missing_words,
                          shared_sections)
from cxviz.registry import get_kind, kind_names

#: Every built-in language: each file in cxviz/locales/ (so a new one is checked at once).
LANGS = tuple(sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml")))
#: Words a language may have that English needs not (its own digits).
OPTIONAL = {"digits"}


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def leaves(node: dict, prefix: str = "") -> dict[str, object]:
    """Every word of a catalogue by dotted key (lists are one word each)."""
    found: dict[str, object] = {}
    for key, value in node.items():
        if isinstance(value, dict):
            found.update(leaves(value, f"{prefix}{key}."))
        else:
            found[f"{prefix}{key}"] = value
    return found


def fields(value: object) -> set[str]:
    """The ``{name}`` fields a word is formatted with."""
    texts = value if isinstance(value, list) else [value]
    return {name for text in texts if isinstance(text, str)
            for _, name, _, _ in string.Formatter().parse(text) if name}


def kind_file(kind_name: str, lang: str) -> Path:
    path = get_kind(kind_name).locale_path(lang)
    assert path is not None
    return path


def _complete(english: dict, other: dict, where: str) -> None:
    expected, have = leaves(english), leaves(other)
    missing = sorted(set(expected) - set(have))
    assert not missing, f"{where} lacks {missing}"
    extra = sorted(set(have) - set(expected) - OPTIONAL)
    assert not extra, f"{where} has words English lacks: {extra}"
    for key, word in expected.items():
        assert type(have[key]) is type(word), f"{where}: {key} is a {type(have[key]).__name__}"
        if isinstance(word, list):
            assert len(have[key]) == len(word), f"{where}: {key} has {len(have[key])} words, not {len(word)}"
        assert fields(have[key]) == fields(word), f"{where}: {key} is formatted with other fields"


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_every_shared_word_english_has(lang):
    _complete(read(BUILTIN_DIR / "en.yaml"), read(BUILTIN_DIR / f"{lang}.yaml"), f"cxviz/locales/{lang}.yaml")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", kind_names())
def test_every_language_has_every_word_of_every_kind(kind, lang):
    path = kind_file(kind, lang)
    assert path.is_file(), f"{kind} has no words in {lang}"
    _complete(read(kind_file(kind, "en")), read(path), f"{kind}/locales/{lang}.yaml")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", kind_names())
def test_a_kind_file_holds_only_its_own_words_and_its_name(kind, lang):
    words = read(kind_file(kind, lang))
    assert set(words) <= {kind, "kinds", "canvas_blank"}
    assert set(words["kinds"]) == {kind}
    assert kind_words(kind, lang) == words
    assert catalogue(lang)[f"kinds.{kind}"] == words["kinds"][kind]


def test_the_shared_files_hold_no_kind_words():
    for lang in LANGS:
        sections = set(read(BUILTIN_DIR / f"{lang}.yaml"))
        assert not sections & {"kinds", *kind_names()}, lang
    assert not shared_sections() & set(kind_names())


@pytest.mark.parametrize("lang", LANGS)
def test_every_word_resolves_under_its_old_key_with_nothing_missing(lang):
    merged = read(BUILTIN_DIR / f"{lang}.yaml")
    merged["kinds"] = {}
    for kind in kind_names():
        words = read(kind_file(kind, lang))
        merged[kind] = words[kind]
        merged["kinds"][kind] = words["kinds"][kind]
    words = catalogue(lang)
    with noting_missing_words() as missed:
        for key, value in leaves(merged).items():
            assert words[key] == value, key
        assert words["journey.lanes"] == merged["journey"]["lanes"]
    assert missed == []


def test_a_region_falls_back_to_its_language_and_an_unknown_language_to_english():
    assert catalogue("ar-EG")["journey.lanes.pains"] == catalogue("ar")["journey.lanes.pains"]
    assert catalogue("ar-EG").rtl
    assert catalogue("fr")["kinds.whys"] == catalogue("en")["kinds.whys"] == "5 Whys analysis"
    assert catalogue("../en")["common.legend"] == "Legend"


def test_a_missing_word_shows_its_key_and_is_noted_with_its_language():
    words = catalogue("id")
    with noting_missing_words() as missed:
        assert words["journey.lanes.no_such_lane"] == "journey.lanes.no_such_lane"
        assert words.format("whys.no_such_word", n=2) == "whys.no_such_word"
        assert words["journey.lanes.no_such_lane"] == "journey.lanes.no_such_lane"  # noted once
    assert missed == [MissingWord("journey.lanes.no_such_lane", "id", english=False),
                      MissingWord("whys.no_such_word", "id", english=False)]
    assert missed[0].message == ("no word for 'journey.lanes.no_such_lane' in 'id' or English; "
                                 "the key is shown instead")
    assert MissingWord("journey.lanes.no_such_lane", "id", english=False) in words.missing()
    assert words.get("journey.lanes.no_such_lane", "fallback") == "fallback"  # an optional word notes nothing
    with noting_missing_words() as later:
        words.get("digits")
    assert later == []


def test_a_word_only_english_has_is_shown_in_english_and_noted():
    english = Catalogue("en", {"common": {"legend": "Legend", "extra": "Extra"}})
    indonesian = Catalogue("id", {"common": {"legend": "Keterangan"}}, english)
    with noting_missing_words() as missed:
        assert indonesian["common.legend"] == "Keterangan"
        assert indonesian["common.extra"] == "Extra"
    assert [word.message for word in missed] == [
        "no word for 'common.extra' in 'id'; the English word is shown instead"]


def test_a_user_folder_with_a_whole_language_file_still_works(tmp_path):
    whole = read(BUILTIN_DIR / "en.yaml")
    whole["language"] = "Test"
    whole["common"]["legend"] = "Key"
    whole["kinds"] = {kind: f"{kind} (test)" for kind in kind_names()}
    whole["journey"] = {"lanes": {"pains": "Ouch"}}
    (tmp_path / "xx.yaml").write_text(yaml.safe_dump(whole, allow_unicode=True), encoding="utf-8")
    words = catalogue("xx", (tmp_path,))
    with noting_missing_words() as missed:
        assert words["common.legend"] == "Key"
        assert words["kinds.whys"] == "whys (test)"
        assert words["journey.lanes.pains"] == "Ouch"
    assert missed == []
    assert words["journey.lanes.actions"] == "Actions"  # not in the user's file: English, noted
    assert words.missing() == [MissingWord("journey.lanes.actions", "xx", english=True)]


def test_a_user_file_for_a_built_in_language_comes_before_its_built_in_words(tmp_path):
    (tmp_path / "id.yaml").write_text("journey:\n  lanes:\n    pains: Keluhan\n", encoding="utf-8")
    (tmp_path / "en.yaml").write_text("common:\n  legend: Key\n", encoding="utf-8")
    words = catalogue("id", (tmp_path,))
    assert words["journey.lanes.pains"] == "Keluhan"
    assert words["journey.lanes.actions"] == catalogue("id")["journey.lanes.actions"]
    assert catalogue("en", (tmp_path,))["common.legend"] == "Key"
    assert catalogue("en", (tmp_path,))["kinds.whys"] == "5 Whys analysis"


def test_a_kind_file_with_words_outside_its_own_keys_is_refused(tmp_path, monkeypatch):
    import dataclasses

    whys = get_kind("whys")
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "en.yaml").write_text(
        "kinds:\n  whys: Whys\n  journey: Hijacked\nwhys:\n  problem: P\ncommon:\n  legend: L\n", encoding="utf-8")
    moved = dataclasses.replace(whys, folder=tmp_path)
    monkeypatch.setattr("cxviz.registry._load", lambda name: moved if name == "whys" else whys)
    with pytest.raises(ValueError, match=r"may only be under 'whys'.*'kinds.journey', 'common'"):
        kind_words("whys", "en")


def test_the_built_in_languages_are_english_indonesian_arabic_and_javanese():
    assert set(LANGS) >= {"en", "id", "ar", "jv"}
    assert catalogue("jv")["kinds.journey"] == "Peta lelampahan pelanggan"
    assert not catalogue("jv").rtl and catalogue("jv").number(12) == "12"


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_keeps_the_placeholders_english_has(lang):
    """Formatting every word with English's fields never fails: no placeholder renamed or lost."""
    words = catalogue(lang)
    for kind in kind_names():
        for key, value in leaves(read(kind_file(kind, "en"))).items():
            if isinstance(value, str) and fields(value):
                words.format(key, **{name: 3 for name in fields(value)})


def test_user_folders_come_from_the_environment_unless_set_for_a_piece_of_work(tmp_path, monkeypatch):
    from cxviz.locale import LOCALE_DIR_VARIABLE, available_languages, language_warning, user_locale_dirs, \
        using_locale_dirs

    (tmp_path / "xx.yaml").write_text("common:\n  legend: Kunci\n", encoding="utf-8")
    monkeypatch.delenv(LOCALE_DIR_VARIABLE, raising=False)
    assert user_locale_dirs() == ()
    assert language_warning("xx") is not None and "xx" not in available_languages()
    monkeypatch.setenv(LOCALE_DIR_VARIABLE, str(tmp_path))
    assert user_locale_dirs() == (tmp_path,)
    assert "xx" in available_languages() and language_warning("xx") is None
    assert catalogue("xx")["common.legend"] == "Kunci"
    with using_locale_dirs(()):
        assert "xx" not in available_languages()
        assert catalogue("xx")["common.legend"] == "Legend"
    assert catalogue("xx")["common.legend"] == "Kunci"


def test_an_edited_user_file_is_read_again(tmp_path):
    import os

    path = tmp_path / "xx.yaml"
    path.write_text("common:\n  legend: Satu\n", encoding="utf-8")
    assert catalogue("xx", (tmp_path,))["common.legend"] == "Satu"
    path.write_text("common:\n  legend: Dua\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert catalogue("xx", (tmp_path,))["common.legend"] == "Dua"


@pytest.mark.parametrize(("text", "where", "says"), [
    ("common:\n  legend: [a\n", ":3:1:", "not valid YAML"),
    ("common:\n  legend: 5\n", ":2:11:", "common.legend: a word must be text"),
    ("- a list\n", ":1:1:", "must be a mapping"),
    ("dir: up\n", "", "dir must be ltr or rtl"),
])
def test_a_user_file_that_cannot_be_used_names_its_place(tmp_path, text, where, says):
    from cxviz.locale import LocaleError

    (tmp_path / "xx.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(LocaleError) as raised:
        catalogue("xx", (tmp_path,))
    assert f"{tmp_path / 'xx.yaml'}{where}" in str(raised.value)
    assert says in str(raised.value)
