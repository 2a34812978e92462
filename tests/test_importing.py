"""Importing sticky notes from a spreadsheet (CSV or XLSX) into a spec that validates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import cxviz
from cxviz.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "import"
LANGS = {"journey": "id", "empathy": "ar", "whys": "en", "persona": "jv", "userflow": "en"}


def write(tmp_path: Path, text: str, name: str = "notes.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(path: Path, kind: str) -> list[str]:
    with pytest.raises(cxviz.SpecError) as caught:
        cxviz.import_notes(path, kind)
    return [d.headline().replace(f"{path.parent}/", "") for d in caught.value.diagnostics]


def xlsx_from(csv_path: Path, target: Path) -> Path:
    """A workbook with the CSV's cells in its first sheet, numbers stored as numbers as a spreadsheet does."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            cells = []
            for cell in row:
                try:
                    cells.append(int(cell))
                except ValueError:
                    cells.append(cell if cell else None)
            sheet.append(cells)
    book.create_sheet("Notes from another board")  # only the first sheet is read
    book.save(target)
    return target


@pytest.mark.parametrize("kind", sorted(LANGS))
def test_each_sample_imports_validates_and_renders(kind):
    text = cxviz.import_notes(SAMPLES / f"{kind}.csv", kind, title=f"Imported {kind}")
    spec = cxviz.loads(text)
    assert spec.kind.name == kind
    assert spec.model.lang == LANGS[kind]
    assert text.startswith(f"kind: {kind}\ncxviz: 1\ntitle: Imported {kind}\nlang: {LANGS[kind]}\n")
    svg = cxviz.render(spec, "svg")
    assert 'role="img"' in svg and f"Imported {kind}" in svg


@pytest.mark.parametrize("kind", sorted(LANGS))
def test_a_workbook_gives_the_same_spec_as_its_csv(kind, tmp_path):
    workbook = xlsx_from(SAMPLES / f"{kind}.csv", tmp_path / f"{kind}.xlsx")
    assert cxviz.import_notes(workbook, kind) == cxviz.import_notes(SAMPLES / f"{kind}.csv", kind)


def test_journey_sample_keeps_stages_steps_and_lanes_in_row_order():
    spec = cxviz.loads(cxviz.import_notes(SAMPLES / "journey.csv", "journey"))
    stages = spec.model.stages
    assert [s.name for s in stages] == ["Kesadaran", "Pertimbangan", "Pembelian", "Retensi"]
    assert stages[1].metrics == {"Konversi": "18%"}
    step = stages[2].steps[1]
    assert step.action == "Membayar dengan dompet digital"
    assert step.emotion == -2
    assert step.pains == ("Pembayaran gagal dua kali tanpa penjelasan",)
    assert step.thoughts == ("Saldo sudah terpotong belum, sih?",)  # the diagram draws the quote marks


def test_whys_sample_builds_the_tree_from_ids_and_the_row_above():
    spec = cxviz.loads(cxviz.import_notes(SAMPLES / "whys.csv", "whys"))
    first, second = spec.model.whys
    assert first.because.startswith("Couriers")
    root = first.whys[0].whys[0]
    assert root.root and root.countermeasure.action == "Switch the warehouse system to hourly batches"
    assert second.whys[0].whys[0].root


def test_userflow_sample_branches_and_outcomes():
    spec = cxviz.loads(cxviz.import_notes(SAMPLES / "userflow.csv", "userflow"))
    flow = spec.model
    assert flow.lanes == ("Customer", "Payment provider", "App")
    assert [(e.source, e.target, e.label) for e in flow.edges if e.source == "method"] == [
        ("method", "confirm", "Yes"), ("method", "card", "No")]
    ends = {n.id: n.outcome for n in flow.nodes if n.type == "end"}
    assert ends == {"done": "success", "failed": "failure"}


def test_rows_keep_their_order(tmp_path):
    notes = "area,text\n" + "".join(f"says,Note {n:02}\n" for n in range(30, 0, -1)) + "who,Rina\n"
    spec = cxviz.loads(cxviz.import_notes(write(tmp_path, notes), "empathy"))
    assert spec.model.says == tuple(f"Note {n:02}" for n in range(30, 0, -1))


def test_a_stage_named_again_gets_the_later_steps(tmp_path):
    notes = ("stage,lane,text\nDiscover,actions,One\nBuy,actions,Two\nDiscover,actions,Three\n")
    spec = cxviz.loads(cxviz.import_notes(write(tmp_path, notes), "journey"))
    assert [[s.action for s in stage.steps] for stage in spec.model.stages] == [["One", "Three"], ["Two"]]


@pytest.mark.parametrize("header, lang", [
    ("tahap,langkah,jalur,teks,skor", "id"),
    ("المرحلة,الخطوة,المسار,النص,الدرجة", "ar"),
    ("Tataran,Langkah,Jalur,Tulisan,Biji", "jv"),
    ("Stage,Step,Lane,Text,Score", "en"),
])
def test_journey_headers_in_each_language(tmp_path, header, lang):
    notes = (f"{header}\nAwal,1,actions,Membuka aplikasi,1\n,1,نقاط الألم,OTP terlambat,\n"
             ",2,Tindakan,Mendaftar,-1\n,2,Rasa lara,Formulir panjang,\n")
    spec = cxviz.loads(cxviz.import_notes(write(tmp_path, notes), "journey"))
    assert spec.model.lang == lang
    steps = spec.model.stages[0].steps
    assert [(s.action, s.emotion, s.pains) for s in steps] == [
        ("Membuka aplikasi", 1, ("OTP terlambat",)), ("Mendaftar", -1, ("Formulir panjang",))]


@pytest.mark.parametrize("kind, notes, lang", [
    ("empathy", "bagian,isi\nTujuan,Membayar tagihan listrik\nBerkata,Mahal\nmengeluh,x\n", None),
    ("empathy", "Bagean,Tulisan\nNgomong,Kok suwe banget\nKangelan,Sinyal ilang\n", "jv"),
    ("persona", "الحقل,النص\nالاسم,سارة\nالعمر,34\n", "ar"),
    ("persona", "bidang,teks\nnama,Dewi\nusia,29\nTujuan,Belanja cepat\n", "id"),
    ("whys", "karena,induk\nPesanan terlambat,\nKurir telat,\n", "id"),
    ("userflow", "المعرف,النوع,النص,التالي\nstart,نقطة الدخول,يفتح التطبيق,end\nend,نجاح,تم,\n", "ar"),
])
def test_other_kinds_read_localised_headers_and_values(tmp_path, kind, notes, lang):
    path = write(tmp_path, notes)
    if lang is None:  # "mengeluh" is no empathy area in any language
        assert errors(path, kind) == ["notes.csv:4:1: error: bagian: unknown area 'mengeluh' "
                                      "(one of who, goal, says, thinks, does, feels, sees, hears, pains, gains)"]
        return
    spec = cxviz.loads(cxviz.import_notes(path, kind))
    assert spec.model.lang == lang


def test_lang_and_title_options_win(tmp_path):
    text = cxviz.import_notes(write(tmp_path, "tahap,jalur,teks\nA,actions,B\n", "board-export.csv"), "journey")
    assert "title: board-export\nlang: id\n" in text
    text = cxviz.import_notes(tmp_path / "board-export.csv", "journey", title="Peta", lang="jv")
    assert "title: Peta\nlang: jv\n" in text


BROKEN = """stage,step,lane,text,score
Discover,,actions,Sees an ad,1
,,touchpoint,Instagram,
,,painz,Too many ads,
,,pains,,
,,thoughts,Looks fine,7
,,thoughts,Maybe,bad
Buy,3,pains,Card declined,
"""


def test_a_broken_sheet_names_every_bad_cell(tmp_path):
    assert errors(write(tmp_path, BROKEN), "journey") == [
        "notes.csv:4:3: error: lane: unknown lane 'painz'; did you mean 'pains'?",
        "notes.csv:5:4: error: text: empty; a note in lane 'pains' needs its text",
        "notes.csv:6:5: error: score: 7 is outside the emotion scale -2..2",
        "notes.csv:7:5: error: score: 'bad' is not a number on the emotion scale -2..2",
        "notes.csv:8:2: error: step: step '3' has no action: add a note in lane 'actions'",
    ]


@pytest.mark.parametrize("kind, notes, expected", [
    ("journey", "", ["notes.csv: error: the file is empty; its first row names the columns: "
                     "stage, lane, step, text, score, owner, due"]),
    ("empathy", "area,words\nsays,hi\n",
     ["notes.csv:1:1: error: no 'text' column; the columns of a empathy sheet are area, text "
      "(header words for 'text': en: text, sticky note, content; id: teks, isi; jv: tulisan, teks, isi; ar: النص, نص)"]),
    ("persona", "field,text\nname,Dewi\nage,forty\ntech,120\nname,Ayu\npersonality,Calm\n",
     ["notes.csv:3:2: error: text: 'forty' is not a number on the age range 0..130",
      "notes.csv:4:2: error: text: 120 is outside the tech comfort scale 0..100",
      "notes.csv:5:2: error: text: name is given already on row 2; it holds one text",
      "notes.csv:6:2: error: text: 'Calm': a trait is written 'pole / pole: value', as in 'Introvert / Extrovert: 70'"]),
    ("whys", "id,because,parent,root\nproblem,Late,,\nslow,Slow vans,problem,maybe\nslow,Full vans,problme,\n"
             "slow,Old vans,,\n",
     ["notes.csv:3:4: error: root: 'maybe': write yes (or x) for a root cause, or leave it empty",
      "notes.csv:4:3: error: parent: 'problme' is not the id of a note above; did you mean 'problem'?",
      "notes.csv:5:1: error: id: id 'slow' is used already on row 3"]),
    ("userflow", "id,type,text,next,label\nstart,entry,Open,pay,\npay,decison,Pay?,done,Yes\n"
                 "pay,screen,,doen,No\ndone,end,Done,,\n",
     ["notes.csv:3:2: error: type: unknown step type 'decison'; did you mean 'decision'?",
      "notes.csv:4:2: error: type: step 'pay' is described on row 3; a row repeating its id only adds a way "
      "out (next, label)",
      "notes.csv:4:4: error: next: no step has the id 'doen'; did you mean 'done'?"]),
])
def test_errors_name_row_column_and_header(tmp_path, kind, notes, expected):
    assert errors(write(tmp_path, notes), kind) == expected


def test_a_spec_error_found_by_validation_points_at_the_cell(tmp_path):
    notes = "id,type,text,next,label\nstart,entry,Open,ask,\nask,decision,Pay?,done,Yes\ndone,end,Done,,\n"
    assert errors(write(tmp_path, notes), "userflow") == [
        "notes.csv:3:1: error: id: decision 'ask' has 1 branch; a decision needs at least two"]


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffarea;text\nsays;Harganya 1,5 juta\nwho;Rina\n".encode("utf-8"))
    spec = cxviz.loads(cxviz.import_notes(path, "empathy"))
    assert spec.model.says == ("Harganya 1,5 juta",)


def test_what_is_not_a_sheet_is_an_error_not_a_traceback(tmp_path):
    fake = tmp_path / "board.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    (message,) = errors(fake, "empathy")
    assert message.startswith("board.xlsx: error: not an .xlsx workbook")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("area,text\nsays,caf\xe9\n".encode("latin-1"))
    assert errors(latin, "empathy") == ["latin.csv:2:1: error: not UTF-8 text; save the sheet as 'CSV UTF-8'"]
    with pytest.raises(cxviz.OptionError):
        cxviz.import_notes(tmp_path / "notes.pdf", "empathy")


def test_cli_imports_csv_and_xlsx(tmp_path, capsys):
    out = tmp_path / "flow.yaml"
    assert main(["import", "csv", str(SAMPLES / "userflow.csv"), "--kind", "userflow", "-o", str(out),
                 "--title", "Top up"]) == 0
    assert cxviz.load(out).model.title == "Top up"
    workbook = xlsx_from(SAMPLES / "empathy.csv", tmp_path / "board.bin")
    assert main(["import", "xlsx", str(workbook), "--kind", "empathy"]) == 0
    assert cxviz.loads(capsys.readouterr().out).model.lang == "ar"
    assert main(["import", str(out), "--kind", "userflow", "-o", str(tmp_path / "x.yaml")]) == 2
    assert "say which" in capsys.readouterr().err


def test_cli_reports_bad_cells_and_exits_1(tmp_path, capsys):
    path = write(tmp_path, BROKEN)
    assert main(["import", "csv", str(path), "--kind", "journey"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and f"{path}:4:3: error: lane: unknown lane 'painz'; did you mean 'pains'?" in err
    assert main(["import", str(path), "--kind", "journey", "--error-format", "json"]) == 1
    first = json.loads(capsys.readouterr().err.splitlines()[0])
    assert (first["line"], first["column"], first["field"]) == (4, 3, "lane")


def test_cli_refuses_to_replace_a_file_without_force(tmp_path, capsys):
    out = write(tmp_path, "kept", "out.yaml")
    args = ["import", str(SAMPLES / "whys.csv"), "--kind", "whys", "-o", str(out)]
    assert main(args) == 2 and out.read_text() == "kept"
    assert main(args + ["--force", "-q"]) == 0 and cxviz.load(out).kind.name == "whys"


def test_a_dense_arabic_blueprint_sheet_becomes_a_service_blueprint():
    path = ROOT / "tests" / "dense" / "import-blueprint-clinic-ar.csv"
    spec = cxviz.loads(cxviz.import_notes(path, "journey", title="رحلة مراجع عيادة الأسنان"))
    journey = spec.model
    assert (journey.lang, journey.type) == ("ar", "service-blueprint")  # the author column is left alone
    assert [len(stage.steps) for stage in journey.stages] == [2, 2, 2]
    assert journey.stages[1].steps[0].thoughts == ("لماذا حجزت موعدًا إذا كان عليّ الانتظار ساعة كاملة؟",)
    assert journey.stages[0].steps[0].support == ("نظام إدارة المواعيد المرتبط بشركات التأمين الصحي",)
    assert 'direction="rtl"' in cxviz.render(spec, "svg")


def test_a_todo_row_carries_its_owner_and_due_date(tmp_path):
    sheet = write(tmp_path, "tahap,langkah,jalur,teks,pemilik,tenggat\n"
                            "Kesadaran,1,tindakan,Melihat promo ongkir,,\n"
                            ",1,tindak lanjut,Perjelas syarat ongkir gratis,Tim Pemasaran,2025-07-01\n"
                            ",1,tindak lanjut,Ukur klik iklan,,\n")
    text = cxviz.import_notes(sheet, "journey")
    step = cxviz.loads(text).model.stages[0].steps[0]
    assert [(t.action, t.owner, str(t.due) if t.due else None) for t in step.todo] == [
        ("Perjelas syarat ongkir gratis", "Tim Pemasaran", "2025-07-01"), ("Ukur klik iklan", None, None)]
    assert "Tim Pemasaran" in cxviz.render(cxviz.loads(text), "svg")


def test_owner_and_due_errors_point_at_their_cells(tmp_path):
    sheet = write(tmp_path, "stage,step,lane,text,owner,due\n"
                            "Aware,1,actions,Sees the ad,Marketing,\n"
                            ",1,todo,Clarify the offer,,\n")
    assert errors(sheet, "journey") == [
        "notes.csv:2:5: error: owner: only a to-do has an owner; this note is in lane 'actions'"]
    sheet = write(tmp_path, "stage,step,lane,text,owner,due\n"
                            "Aware,1,actions,Sees the ad,,\n"
                            ",1,todo,Clarify the offer,,next week\n")
    spec = ("kind: journey\ntitle: T\nstages:\n  - name: A\n    steps:\n      - action: B\n"
            "        todo:\n          - {action: C, due: next week}\n")
    message = [d for d in cxviz.checks(spec) if d.is_error][0].message
    assert errors(sheet, "journey") == [f"notes.csv:3:6: error: due: {message}"]


def test_a_flow_sheet_writes_conditions_and_optional_ways(tmp_path):
    sheet = write(tmp_path, "المعرف,النوع,النص,التالي,التسمية,الشرط,اختياري\n"
                            "start,entry,يفتح التطبيق,pay,,,\n"
                            "pay,decision,هل البطاقة محفوظة؟,done,نعم,البطاقة سارية,\n"
                            "pay,,,help,,,نعم\n"
                            "help,screen,مركز المساعدة,,,,\n"
                            "done,end,تم الدفع,,,,\n")
    flow = cxviz.loads(cxviz.import_notes(sheet, "userflow")).model
    assert flow.lang == "ar"
    assert [(e.source, e.target, e.label, e.condition, e.optional) for e in flow.edges] == [
        ("start", "pay", None, None, False), ("pay", "done", "نعم", "البطاقة سارية", False),
        ("pay", "help", None, None, True)]
    broken = write(tmp_path, "id,type,text,next,optional,condition\n"
                             "a,entry,Start,b,maybe,\nb,end,Done,,,Only on weekdays\n", "broken.csv")
    assert errors(broken, "userflow") == [
        "broken.csv:2:5: error: optional: 'maybe': write yes (or x) for an optional way, or leave it empty",
        "broken.csv:3:6: error: condition: a condition belongs to the way to the next step; fill in next too"]


def test_a_persona_sheet_names_its_photo(tmp_path):
    import shutil

    shutil.copy(ROOT / "samples" / "photos" / sorted(p.name for p in (ROOT / "samples" / "photos").iterdir())[0],
                tmp_path / "dewi.png")
    sheet = write(tmp_path, "field,text\nname,Dewi Lestari\nfoto,dewi.png\n")
    text = cxviz.import_notes(sheet, "persona")
    assert "photo: dewi.png" in text
    assert cxviz.loads(text, base_dir=tmp_path).model.photo == "dewi.png"
    missing = write(tmp_path, "field,text\nname,Dewi Lestari\nphoto,nobody.jpg\n", "missing.csv")
    assert errors(missing, "persona") == ["missing.csv:3:2: error: text: file not found: nobody.jpg"]


def test_the_cli_shows_the_imported_specs_warnings_at_their_rows(tmp_path, capsys):
    sheet = write(tmp_path, "id,type,text,next,label\n"
                            "a,entry,Start,b,Go\na,,,b,Go\nb,end,Done,,\n")
    assert main(["import", str(sheet), "--kind", "userflow", "-o", str(tmp_path / "flow.yaml")]) == 0
    err = capsys.readouterr().err
    assert f"{sheet}:3:1: warning: id: duplicate edge 'a' -> 'b' labelled 'Go' (already in edges[0])" in err
    assert (tmp_path / "flow.yaml").exists()
