"""Wrapping text into lines: at word boundaries, hyphenating only a word wider than a line."""

from __future__ import annotations

import pytest

from cxviz.fonts import measurer


def greedy(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Word-by-word wrapping as every kind expects it when each word fits a line."""
    m = measurer()
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and m.width(candidate, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


@pytest.mark.parametrize("text, width", [
    ("Items, substitutions and the delivery fee", 150),
    ("Memilih Rp50.000 dan metode bayar e-wallet", 110),
    ("يُدخل رمز التحقق المكوّن من ستة أرقام", 120),
    ("Two lines\nkept as written", 300),
    ("", 100),
])
def test_words_that_fit_are_never_broken(text, width):
    assert measurer().wrap(text, width, 13) == greedy(text, width, 13)


@pytest.mark.parametrize("word, width", [
    ("Reauthenticationrequired", 70),
    ("pertanggungjawabannya", 60),
    ("Internationalisation", 55),
    ("Supercalifragilisticexpialidocious", 80),
])
def test_a_word_wider_than_a_line_is_hyphenated_into_pieces_that_fit(word, width):
    m = measurer()
    lines = m.wrap(f"{word} done", width, 13)
    pieces = lines[: next(i for i, line in enumerate(lines) if not line.endswith("-")) + 1]
    assert all(line.endswith("-") for line in pieces[:-1]) and len(pieces) > 1
    assert "".join(line[:-1] for line in pieces[:-1]) + pieces[-1].split()[0] == word
    assert all(m.width(line, 13) <= width for line in lines)
    assert min(len(line) for line in pieces) >= 3  # no lone letters


def test_a_word_breaks_after_its_own_hyphen_before_one_is_added():
    assert measurer().wrap("pre-authorisation-request", 120, 13) == ["pre-authorisation-", "request"]
    assert measurer().wrap("pre-authorisation-request", 60, 13) == ["pre-", "authori-", "sation-", "request"]


def test_hyphenation_prefers_a_break_before_a_syllable():
    assert measurer().wrap("Authorisation", 60, 13)[0] == "Authori-"
    assert measurer().wrap("pertanggungjawaban", 60, 13)[:2] == ["pertang-", "gungja-"]


def test_arabic_and_numbers_are_broken_without_a_hyphen():
    m = measurer()
    arabic = "بالمصادقةالثنائيةالإلزامية"
    lines = m.wrap(arabic, 60, 13)
    assert len(lines) > 1 and "".join(lines) == arabic and not any(line.endswith("-") for line in lines)
    digits = m.wrap("12345678901234567890", 60, 13)
    assert len(digits) > 1 and "".join(digits) == "12345678901234567890"
