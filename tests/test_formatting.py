"""cxviz fmt: keys in the format's order, comments, blank lines and quotes where the author put them."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import yaml

import cxviz
from cxviz.api import format_spec
from cxviz.cli import main
from cxviz.loading import parse_roundtrip

from .conftest import ROOT, SAMPLES, sample_files


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shuffled(text: str) -> str:
    """``text`` with the keys of every record in reverse order, as a spec written any which way.

    A stage's ``metrics`` name measures freely: their order is the author's, and stays.
    """
    document = parse_roundtrip(text)

    def reverse(node):
        if isinstance(node, dict):
            for key in reversed(list(node)):
                node.move_to_end(key)
            for key, value in node.items():
                if key != "metrics":
                    reverse(value)
        elif isinstance(node, list):
            for item in node:
                reverse(item)

    reverse(document.data)
    return document.dumps()


#: A journey written in no particular order, with comments on moved keys, between stages and at the end.
MESSY = """\
# yaml-language-server: $schema=journey.schema.json
kind: journey
title: "Belanja dapur mingguan"   # judul di atas peta
stages:
  # Tahap pertama
  - name: Kesadaran
    steps:
      - emotion: 1  # senang
        # langkah: apa yang dilakukan Dewi
        action: 'Melihat promo gratis ongkir'
        pains: [Harga per kilo tidak ditampilkan]
        # sebelum titik sentuh
        touchpoints: [Iklan Instagram]
      - action: Bertanya di grup WhatsApp

  # Tahap kedua, setelah baris kosong
  - steps:
      - action: Membandingkan harga sayur
    # nama tahap
    name: Pertimbangan
    goal: >-
      Yakin harga dan kesegarannya
      sepadan
    # metrik setelah blok
    metrics: {Unduhan: "6,4 rb", CTR: '2,1%', Akhir: 3}

# skala emosi
scale: {max: 2, min: -2}  # skala
# bahasa peta
lang: id
type: current-state
"""

TIDY = """\
# yaml-language-server: $schema=journey.schema.json
kind: journey
title: "Belanja dapur mingguan"   # judul di atas peta
# bahasa peta
lang: id
type: current-state

# skala emosi
scale: {min: -2, max: 2}  # skala
stages:
  # Tahap pertama
  - name: Kesadaran
    steps:
      # langkah: apa yang dilakukan Dewi
      - action: 'Melihat promo gratis ongkir'
        # sebelum titik sentuh
        touchpoints: [Iklan Instagram]
        emotion: 1  # senang
        pains: [Harga per kilo tidak ditampilkan]
      - action: Bertanya di grup WhatsApp

  # Tahap kedua, setelah baris kosong
  # nama tahap
  - name: Pertimbangan
    goal: >-
      Yakin harga dan kesegarannya
      sepadan
    # metrik setelah blok
    metrics: {Unduhan: "6,4 rb", CTR: '2,1%', Akhir: 3}
    steps:
      - action: Membandingkan harga sayur
"""

#: An Arabic 5 Whys with its header after the tree; a nested why's keys out of order.
ARABIC = """\
whys:
  - countermeasure: {owner: فريق المنصة, action: إضافة حد زمني لخدمة التحقق}
    root: true
    # السبب كما رواه العملاء
    because: "خدمة التحقق تتوقف عند الضغط"
problem: العملاء يتصلون مرارًا لأن بطاقاتهم محظورة
kind: whys
title: 'مكالمات متكررة إلى خط الدعم'
lang: ar
"""

ARABIC_TIDY = """\
kind: whys
title: 'مكالمات متكررة إلى خط الدعم'
lang: ar
problem: العملاء يتصلون مرارًا لأن بطاقاتهم محظورة
whys:
  # السبب كما رواه العملاء
  - because: "خدمة التحقق تتوقف عند الضغط"
    root: true
    countermeasure: {action: إضافة حد زمني لخدمة التحقق, owner: فريق المنصة}
"""


def test_every_sample_is_formatted(capsys):
    code, out, err = run(capsys, "fmt", "--check", *map(str, sample_files()))
    assert (code, out) == (0, "")
    assert err == f"cxviz: 0 of {len(sample_files())} specs would be reformatted\n"


@pytest.mark.parametrize("kind", cxviz.kind_names())
def test_every_starter_is_formatted(kind):
    """What cxviz init writes passes a fmt --check, in every language it is written in."""
    for lang in ("en", "ar"):
        text = cxviz.starter(kind, lang)
        assert format_spec(text, f"{kind}.yaml", base_dir=ROOT / "samples") == text


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.stem)
def test_a_shuffled_sample_formats_back_to_the_sample(sample):
    text = sample.read_text(encoding="utf-8")
    messy = shuffled(text)
    assert messy != text
    assert cxviz.loads(messy, base_dir=SAMPLES).model == cxviz.loads(text, base_dir=SAMPLES).model
    formatted = format_spec(messy, sample.name, base_dir=SAMPLES)
    assert formatted == text
    assert format_spec(formatted, sample.name, base_dir=SAMPLES) == formatted


@pytest.mark.parametrize("name", ["journey-grocery", "journey-bank", "userflow-transfer", "whys-delivery"])
def test_a_formatted_spec_draws_byte_for_byte_as_written(name):
    messy = shuffled((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    formatted = format_spec(messy, f"{name}.yaml", base_dir=SAMPLES)
    assert formatted != messy
    before = cxviz.render(cxviz.loads(messy, name=f"{name}.yaml", base_dir=SAMPLES), "svg")
    after = cxviz.render(cxviz.loads(formatted, name=f"{name}.yaml", base_dir=SAMPLES), "svg")
    assert before == after


def test_comments_move_with_their_keys_and_blank_lines_stay():
    formatted = format_spec(MESSY)
    assert formatted == TIDY
    assert format_spec(formatted) == formatted
    assert yaml.safe_load(formatted) == yaml.safe_load(MESSY)


def test_the_author_s_quotes_and_styles_are_kept():
    formatted = format_spec(MESSY)
    for written in ('"Belanja dapur mingguan"', "'Melihat promo gratis ongkir'", '"6,4 rb"', "'2,1%'",
                    "goal: >-\n", "{min: -2, max: 2}", "[Iklan Instagram]"):
        assert written in formatted
    # A mapping of free names (a stage's metrics) keeps the author's order.
    assert "{Unduhan: \"6,4 rb\", CTR: '2,1%', Akhir: 3}" in formatted


def test_arabic_header_and_nested_records_are_ordered():
    assert format_spec(ARABIC) == ARABIC_TIDY
    assert format_spec(ARABIC_TIDY) == ARABIC_TIDY


def test_anchors_and_merged_mappings_are_kept():
    text = ("kind: journey\ntitle: Jangkar\npersona: &p {quote: Cepat saja, name: Dewi}\nstages:\n"
            "  - name: &n Kesadaran\n    steps:\n      - <<: {emotion: 1}\n        action: Membuka aplikasi\n")
    formatted = format_spec(text)
    assert "persona: &p {name: Dewi, quote: Cepat saja}" in formatted
    assert "name: &n Kesadaran" in formatted
    assert "      - <<: {emotion: 1}\n        action: Membuka aplikasi\n" in formatted  # left as written


def test_a_spec_with_errors_is_refused_with_its_diagnostics(capsys, tmp_path):
    bad = ARABIC.replace("because:", "becuase:")
    with pytest.raises(cxviz.SpecError) as caught:
        format_spec(bad, "لماذا.yaml")
    assert any(d.field == "whys[0].becuase" for d in caught.value.diagnostics)
    spec = tmp_path / "لماذا.yaml"
    spec.write_text(bad, encoding="utf-8")
    code, out, err = run(capsys, "fmt", str(spec))
    assert (code, out) == (1, "")
    assert f"{spec}:5:5: error: whys[0].becuase: unknown field 'becuase'; did you mean 'because'?" in err
    assert spec.read_text(encoding="utf-8") == bad


def test_check_lists_what_would_change_and_writes_nothing(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("peta.yaml").write_text(MESSY, encoding="utf-8")
    Path("nested").mkdir()
    Path("nested/whys.yml").write_text(ARABIC_TIDY, encoding="utf-8")
    code, out, err = run(capsys, "fmt", "--check", ".")
    assert (code, out) == (1, "peta.yaml\n")
    assert err == "cxviz: 1 of 2 specs would be reformatted\n"
    assert Path("peta.yaml").read_text(encoding="utf-8") == MESSY
    assert run(capsys, "fmt", "--check", "-q", "nested/whys.yml") == (0, "", "")


def test_diff_prints_a_unified_diff_and_writes_nothing(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("whys.yaml").write_text(ARABIC, encoding="utf-8")
    code, out, err = run(capsys, "fmt", "--diff", "whys.yaml")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[:2] == ["--- a/whys.yaml", "+++ b/whys.yaml"]
    assert lines[2] == "@@ -1,9 +1,9 @@" and " kind: whys" in lines
    assert "-whys:" in lines and "+whys:" in lines and "+  # السبب كما رواه العملاء" in lines
    assert "+  - because: \"خدمة التحقق تتوقف عند الضغط\"" in lines
    assert Path("whys.yaml").read_text(encoding="utf-8") == ARABIC
    # With --check as well, the exit code says that something would change.
    assert run(capsys, "fmt", "--diff", "--check", "whys.yaml")[0] == 1


def test_fmt_rewrites_in_place_and_says_so(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("peta.yaml").write_text(MESSY, encoding="utf-8")
    Path("whys.yaml").write_text(ARABIC_TIDY, encoding="utf-8")
    code, out, err = run(capsys, "fmt", "peta.yaml", "whys.yaml")
    assert (code, out) == (0, "")
    assert err == "cxviz: reformatted peta.yaml\ncxviz: 1 of 2 specs reformatted\n"
    assert Path("peta.yaml").read_text(encoding="utf-8") == TIDY
    assert Path("whys.yaml").read_text(encoding="utf-8") == ARABIC_TIDY
    Path("peta.yaml").write_text(MESSY, encoding="utf-8")
    assert run(capsys, "fmt", "-q", "peta.yaml") == (0, "", "")
    assert Path("peta.yaml").read_text(encoding="utf-8") == TIDY


def test_standard_input_is_formatted_to_standard_output(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARABIC.encode("utf-8")), encoding="utf-8"))
    assert run(capsys, "fmt", "-") == (0, ARABIC_TIDY, "")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARABIC.encode("utf-8")), encoding="utf-8"))
    assert run(capsys, "fmt", "--check", "-q", "-") == (1, "<stdin>\n", "")


def test_fmt_has_help_with_examples(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["fmt", "--help"])
    assert exited.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_the_pre_commit_hook_checks_formatting_where_validate_looks():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["cxviz-fmt"]["entry"] == "cxviz fmt --check"
    assert hooks["cxviz-fmt"]["files"] == hooks["cxviz-validate"]["files"]


def test_a_link_out_of_its_folder_is_refused_as_load_refuses_it(capsys, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: whys\ntitle: T\nproblem: P\nwhys: [{because: B}]\n", encoding="utf-8")
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "x.yaml").symlink_to(secret)
    code, out, err = run(capsys, "fmt", str(folder / "x.yaml"))
    assert code == 1 and out == ""
    assert err == (f"{folder / 'x.yaml'}: error: is a symbolic link to a file outside {folder}; not read "
                   "(run with --allow-outside-root to read it)\n")
    assert secret.read_text(encoding="utf-8").startswith("kind: whys\ntitle: T\nproblem: P\nwhys: [{because")
    (folder / "inside.yaml").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "y.yaml").symlink_to(folder / "inside.yaml")
    assert run(capsys, "fmt", "--check", str(folder / "y.yaml"))[0] == 0


def test_a_one_key_mapping_in_a_flow_list_keeps_its_braces():
    text = "kind: whys\ntitle: T\nproblem: P\nwhys: [{because: B}, {because: C, root: true}]\n"
    assert format_spec(text, "w.yaml") == text
