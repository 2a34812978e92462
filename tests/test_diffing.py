"""Comparing two versions of a spec: matching by content, the text and JSON reports, exit codes, git."""

from __future__ import annotations

import html
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cxviz
from cxviz.cli import main

JOURNEY = """kind: journey
title: Buying a ticket
stages:
  - name: Onboarding
    steps:
      - action: Opens the app
        pains: [Login is slow]
      - action: Picks a route
  - name: Purchase
    steps:
      - action: Pays
        pains: [Fee is hidden, Card refused]
      - action: Gets the ticket
"""

WHYS = """kind: whys
title: Late
problem: Orders arrive late
whys:
  - because: Couriers leave late
    whys:
      - because: Vans are loaded late
        root: true
"""

FLOW = """kind: userflow
title: Top up
nodes:
  - {id: start, type: entry, label: Opens the wallet}
  - {id: amount, type: screen, label: Amount}
  - {id: done, type: end, label: Balance topped up}
paths:
  - [start, amount, done]
"""


def changes(old: str, new: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(c.change, c.role, c.old_text, c.new_text) for c in cxviz.diff_texts(old, new, "spec.yaml")]


def test_inserting_a_step_at_the_front_is_one_addition():
    new = JOURNEY.replace("    steps:\n      - action: Opens", "    steps:\n      - action: Scans the QR code\n"
                          "        pains: [Camera will not focus]\n      - action: Opens")
    found = cxviz.diff_texts(JOURNEY, new, "journey.yaml")
    assert [(c.change, c.role, c.new_text, c.new_id) for c in found] == [
        ("added", "step", "Scans the QR code", "stages.0.steps.0")]
    assert cxviz.format_changes(found, "journey.yaml") == (
        "journey.yaml: 1 added, 0 changed, 0 removed, 0 moved\n"
        '  + stage "Onboarding" › step "Scans the QR code" (stages.0.steps.0)\n')


def test_editing_a_pain_is_one_change():
    found = cxviz.diff_texts(JOURNEY, JOURNEY.replace("Fee is hidden", "Fee is shown too late"), "journey.yaml")
    assert [(c.change, c.role, c.old_text, c.new_text) for c in found] == [
        ("changed", "pain", "Fee is hidden", "Fee is shown too late")]
    assert '  ~ stage "Purchase" › step "Pays": pain "Fee is hidden" -> "Fee is shown too late"' in \
        cxviz.format_changes(found, "journey.yaml")


def test_moving_a_pain_to_another_step_is_one_move():
    new = JOURNEY.replace("        pains: [Login is slow]\n", "").replace(
        "[Fee is hidden, Card refused]", "[Fee is hidden, Card refused, Login is slow]")
    (found,) = cxviz.diff_texts(JOURNEY, new, "journey.yaml")
    assert (found.change, found.role, found.old_id, found.new_id) == (
        "moved", "pain", "stages.0.steps.0.pains.0", "stages.1.steps.0.pains.2")
    assert found.old_path_label == 'stage "Onboarding" › step "Opens the app"'
    assert found.path_label == 'stage "Purchase" › step "Pays"'


def test_reordering_steps_is_a_move_and_renaming_a_step_keeps_its_pains():
    swapped = JOURNEY.replace("      - action: Opens the app\n        pains: [Login is slow]\n      - action: Picks a route\n",
                              "      - action: Picks a route\n      - action: Opens the app\n        pains: [Login is slow]\n")
    assert [c.change for c in cxviz.diff_texts(JOURNEY, swapped)] == ["moved"]
    assert changes(JOURNEY, JOURNEY.replace("Pays", "Pays by card")) == [
        ("changed", "step", "Pays", "Pays by card")]


def test_the_same_spec_has_no_changes():
    assert cxviz.diff_texts(JOURNEY, JOURNEY) == []


def test_adding_a_cause_to_a_whys_tree():
    new = WHYS.replace("        root: true\n", "        root: true\n  - because: Addresses are wrong\n")
    assert changes(WHYS, new) == [("added", "why", None, "Addresses are wrong")]
    deeper = WHYS.replace("        root: true\n", "        whys:\n          - because: The depot opens at nine\n"
                          "            root: true\n")
    assert ("added", "root-cause", None, "The depot opens at nine") in changes(WHYS, deeper)


def test_user_flow_steps_match_by_their_id():
    assert changes(FLOW, FLOW.replace("label: Amount", "label: Choose an amount")) == [
        ("changed", "step", "Amount", "Choose an amount")]
    added = FLOW.replace("  - {id: done", "  - {id: pin, type: action, label: Enters the PIN}\n  - {id: done").replace(
        "[start, amount, done]", "[start, amount, pin, done]")
    found = cxviz.diff_texts(FLOW, added)
    additions = [c for c in found if c.change == "added"]
    assert [(c.role, c.new_id) for c in additions] == [("step", "nodes.pin")]
    # The connection the new step replaced is gone; the ones touching the new step go with it.
    assert [(c.change, c.role) for c in found if c.role == "edge"] == [("removed", "edge")]


def test_indonesian_journey():
    old = JOURNEY.replace("title: Buying a ticket", "title: Membeli tiket\nlang: id").replace(
        "Fee is hidden", "Biaya tersembunyi")
    new = old.replace("Biaya tersembunyi", "Biaya administrasi baru terlihat di akhir")
    found = cxviz.diff_texts(old, new, "perjalanan.yaml")
    assert [(c.change, c.old_text, c.new_text) for c in found] == [
        ("changed", "Biaya tersembunyi", "Biaya administrasi baru terlihat di akhir")]


def test_arabic_whys_tree():
    old = ("kind: whys\ntitle: تأخر الطلبات\nlang: ar\nproblem: تصل الطلبات متأخرة\nwhys:\n"
           "  - because: يغادر السائقون متأخرين\n    root: true\n")
    new = old.replace("    root: true\n", "    root: true\n  - because: العناوين غير صحيحة\n")
    found = cxviz.diff_texts(old, new, "لماذا.yaml")
    assert [(c.change, c.new_text) for c in found] == [("added", "العناوين غير صحيحة")]
    assert "+ problem \"تصل الطلبات متأخرة\" › why \"العناوين غير صحيحة\"" in cxviz.format_changes(found, "لماذا.yaml")


@pytest.fixture
def versions(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "journey.yaml"
    old.write_text(JOURNEY, encoding="utf-8")
    new.write_text(JOURNEY.replace("Fee is hidden", "Fee is shown too late"), encoding="utf-8")
    return old, new


def test_json_output_and_exit_codes(capsys, versions):
    old, new = versions
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    (record,) = json.loads(capsys.readouterr().out)
    assert record == {"change": "changed", "role": "pain", "old_id": "stages.1.steps.0.pains.0",
                      "new_id": "stages.1.steps.0.pains.0", "old_text": "Fee is hidden",
                      "new_text": "Fee is shown too late", "path_label": 'stage "Purchase" › step "Pays"'}
    assert main(["diff", str(old), str(old)]) == 0
    assert capsys.readouterr().out == f"{old}: 0 added, 0 changed, 0 removed, 0 moved\n"
    assert main(["diff", str(old)]) == 2
    assert "cxviz diff OLD NEW" in capsys.readouterr().err


def test_a_version_with_errors_is_reported_as_diagnostics(capsys, versions):
    old, new = versions
    new.write_text(JOURNEY.replace("stages:", "stagez:"), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 1
    err = capsys.readouterr().err
    assert str(new) in err and "Traceback" not in err
    assert main(["diff", str(old), str(new.with_name("missing.yaml"))]) == 1


def test_git_mode(capsys, tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    spec = tmp_path / "spec.yaml"
    spec.write_text(JOURNEY, encoding="utf-8")
    git("init", "-q")
    git("add", "spec.yaml")
    git("commit", "-qm", "first")
    spec.write_text(JOURNEY.replace("Card refused", "Card refused by the bank"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "HEAD", "--", "spec.yaml"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("spec.yaml: 0 added, 1 changed") and "Card refused by the bank" in out
    assert main(["diff", "HEAD", "HEAD", "--", "spec.yaml"]) == 0
    capsys.readouterr()
    # Options may follow the file, as the README writes them.
    assert main(["diff", "HEAD", "--", "spec.yaml", "-o", str(tmp_path / "changes.png"), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["change"] == "changed"
    assert (tmp_path / "changes.png").read_bytes().startswith(b"\x89PNG")
    for argv, message in ((["diff", "nope", "--", "spec.yaml"], "'nope' is not a revision"),
                          (["diff", "HEAD", "--", "other.yaml"], "other.yaml: not in revision HEAD"),
                          (["diff", "HEAD", "--", "a.yaml", "b.yaml"], "name one file after --"),
                          (["diff", "HEAD", "--"], "name one file after --")):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    outside = tmp_path.parent / "outside-repo"
    outside.mkdir()
    (outside / "s.yaml").write_text(JOURNEY, encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["diff", "HEAD", "--", str(outside / "s.yaml")]) == 2
    assert "not in a git repository" in capsys.readouterr().err


# -- the marked SVG --------------------------------------------------------------------------

DIFFS = Path(__file__).with_name("diffs")
GROUP = re.compile(r'<g id="([^"]*)" class="([^"]*)"')


def marked(kind: str, old_text: str | None = None, new_text: str | None = None) -> tuple[str, list]:
    old_text = old_text or (DIFFS / f"{kind}-old.yaml").read_text(encoding="utf-8")
    new_text = new_text or (DIFFS / f"{kind}-new.yaml").read_text(encoding="utf-8")
    found = cxviz.diff_texts(old_text, new_text, f"{kind}.yaml")
    return cxviz.mark_changes(cxviz.loads(new_text, name=f"{kind}.yaml"), found), found


def classes_of(svg: str) -> dict[str, str]:
    return {id: classes for id, classes in GROUP.findall(svg)}


def legend_of(svg: str) -> str:
    start = svg.index('<g id="diff-legend">')
    return html.unescape(re.sub(r"<[^>]+>", " ", svg[start:svg.index("</g>\n", start)]))


def test_journey_marks_added_changed_and_moved_and_lists_removals():
    svg, found = marked("journey")
    ET.fromstring(svg.encode("utf-8"))  # still well-formed XML
    groups = classes_of(svg)
    by_change = {(c.change, c.role): c.new_id for c in found}
    added, changed, moved = (by_change[("added", "step")], by_change[("changed", "pain")],
                             by_change[("moved", "pain")])
    assert added == "stages.1.steps.1"
    # Every shape of the added step and of the pain inside it is marked, the first shape also outlined.
    added_shapes = [id for id in groups if id == added or id.startswith(added + "-") or id.startswith(added + ".")]
    assert len(added_shapes) >= 4 and all("cxviz-diff-added" in groups[id] for id in added_shapes)
    assert "cxviz-diff-outline" in groups[added] and "cxviz-diff-outline" in groups[added + ".pains.0"]
    assert "cxviz-diff-added" not in groups[f"{added}-1"].replace("cxviz-diff-added", "", 1)  # one mark per shape
    assert "cxviz-diff-changed cxviz-diff-outline" in groups[changed]
    assert "cxviz-diff-changed" in groups[changed + "-4"] and "cxviz-diff-moved" in groups[moved]
    # Unchanged things stay unmarked.
    assert not any("cxviz-diff" in groups[id] for id in ("stages.0.steps.0", "stages.1.steps.0", "title"))
    badges = svg[svg.index('<g id="diff-badges"'):svg.index('<g id="diff-legend">')]
    assert sorted(re.findall(r'class="cxviz-diff-badge cxviz-diff-(\w+)"', badges)) == ["added", "changed", "moved"]
    legend = legend_of(svg)
    assert "Changes since the previous version" in legend and "Added" in legend and "Moved" in legend
    assert "Removed: “Bank asks for a second confirmation”, “Gate reader rejects screens" in legend
    # The drawing grew to hold the legend, and the legend's words are in the embedded font.
    box = [float(n) for n in re.search(r'viewBox="([^"]*)"', svg).group(1).split()]
    plain = cxviz.render_svg(cxviz.loads((DIFFS / "journey-new.yaml").read_text(encoding="utf-8")))
    assert box[3] > float(re.search(r'viewBox="([^"]*)"', plain).group(1).split()[3]) + 60
    assert ".cxviz-diff-changed.cxviz-diff-outline path" in svg and "stroke-dasharray" in svg
    assert svg.count("@font-face") == plain.count("@font-face")


def test_whys_and_user_flow_marks():
    svg, found = marked("whys")
    groups = classes_of(svg)
    root = next(c.new_id for c in found if c.change == "added")
    assert "cxviz-diff-added cxviz-diff-outline" in groups[root]
    assert all("cxviz-diff-changed" in groups[c.new_id] for c in found if c.change == "changed")
    svg, found = marked("flow")
    groups = classes_of(svg)
    assert "cxviz-diff-added" in groups["nodes.pin"] and "cxviz-diff-changed" in groups["nodes.amount"]
    assert "cxviz-diff" not in groups["nodes.card"]
    added_edges = [c.new_id for c in found if c.change == "added" and c.role == "edge"]
    assert all("cxviz-diff-added" in groups[id] for id in added_edges)
    assert "Removed: “Card details” → “Balance topped up”" in legend_of(svg)


def test_many_removals_are_summed_up():
    old = JOURNEY.replace("      - action: Gets the ticket\n", "".join(
        f"      - action: Step number {n}\n" for n in range(12)))
    svg, found = marked("journey", old, JOURNEY)
    assert sum(c.change == "removed" for c in found) == 12
    legend = legend_of(svg)
    assert "“Step number 0”, “Step number 1”" in legend and "“Step number 7” and 4 more" in legend
    assert "“Step number 8”" not in legend


def test_arabic_and_indonesian_legends():
    old = ("kind: whys\ntitle: تأخر الطلبات\nlang: ar\nproblem: تصل الطلبات متأخرة\nwhys:\n"
           "  - because: يغادر السائقون متأخرين\n    root: true\n  - because: العناوين ناقصة\n")
    new = old.replace("  - because: العناوين ناقصة\n", "  - because: لا يصل إشعار التوصيل إلى العملاء أبدًا\n"
                      "  - because: المستودع يفتح في التاسعة\n")
    svg, found = marked("ar", old, new)
    legend = legend_of(svg)
    assert "التغييرات منذ الإصدار السابق" in legend and "مُضاف" in legend and "منقول" in legend
    assert 'direction="rtl"' in svg[svg.index('<g id="diff-legend">'):]
    assert any("cxviz-diff-added" in classes for classes in classes_of(svg).values())
    indonesian = JOURNEY.replace("title: Buying a ticket", "title: Membeli tiket\nlang: id")
    svg, _ = marked("id", indonesian, indonesian.replace("Card refused", "Kartu ditolak oleh bank penerbit"))
    assert "Perubahan sejak versi sebelumnya" in legend_of(svg) and "Diubah" in legend_of(svg)


def test_cli_writes_the_marked_svg_and_refuses_other_suffixes(capsys, tmp_path):
    target = tmp_path / "changes.svg"
    assert main(["diff", str(DIFFS / "flow-old.yaml"), str(DIFFS / "flow-new.yaml"), "-o", str(target)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{DIFFS / 'flow-new.yaml'}: 1 added") and 'id="diff-legend"' in target.read_text("utf-8")
    assert main(["diff", str(DIFFS / "flow-old.yaml"), str(DIFFS / "flow-new.yaml"), "-o", "-"]) == 1
    assert capsys.readouterr().out.lstrip().startswith("<?xml")
    assert main(["diff", str(DIFFS / "flow-old.yaml"), str(DIFFS / "flow-new.yaml"), "-o",
                 str(tmp_path / "changes.gif")]) == 2
    err = capsys.readouterr().err
    assert "cxviz diff -o draws an SVG, PNG or PDF" in err and "Traceback" not in err
    assert not (tmp_path / "changes.gif").exists()


def ghosts_of(svg: str) -> list[str]:
    """The text each ghost of a removed thing shows, one string a ghost."""
    legend = svg[svg.index('<g id="diff-legend">'):]
    pieces = legend.split('<g class="cxviz-diff-ghost cxviz-diff-removed">')[1:]
    return [" ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", piece)) for piece in pieces]


def test_removed_things_are_ghosted_from_the_old_drawing():
    old_text = (DIFFS / "journey-old.yaml").read_text(encoding="utf-8")
    new_text = (DIFFS / "journey-new.yaml").read_text(encoding="utf-8")
    old, new = cxviz.loads(old_text, name="old.yaml"), cxviz.loads(new_text, name="new.yaml")
    found = cxviz.diff_specs(old, new)
    svg = cxviz.mark_changes(new, found, old_spec=old)
    ghosts = ghosts_of(svg)
    removed = [c.old_text for c in found if c.change == "removed"]
    assert len(ghosts) == len(removed) == 2
    for ghost, text in zip(ghosts, removed):
        assert "PAIN" in ghost and " ".join(text.split()[:3]) in ghost
    # Ghosts are faded copies whose ids do not clash with the new drawing's.
    root = ET.fromstring(svg.encode("utf-8"))
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert 'opacity="0.4"' in svg and 'stroke-dasharray="7 3 1.5 3"' in svg
    assert "Removed" in legend_of(svg)
    # Without the old version the removals are only listed, as before.
    assert ghosts_of(cxviz.mark_changes(new, found)) == []


def test_a_removed_stage_is_one_ghost_with_its_steps_and_a_removed_edge_is_listed():
    old = cxviz.loads(JOURNEY, name="a.yaml")
    new = cxviz.loads(JOURNEY.replace("  - name: Onboarding\n    steps:\n      - action: Opens the app\n"
                                      "        pains: [Login is slow]\n      - action: Picks a route\n", ""),
                      name="a.yaml")
    ghosts = ghosts_of(cxviz.mark_changes(new, cxviz.diff_specs(old, new), old_spec=old))
    assert len(ghosts) == 1
    assert all(text in ghosts[0] for text in ("Onboarding", "Opens the app", "Login is slow", "Picks a route"))
    old_flow = cxviz.loads((DIFFS / "flow-old.yaml").read_text(encoding="utf-8"), name="f.yaml")
    new_flow = cxviz.loads((DIFFS / "flow-new.yaml").read_text(encoding="utf-8"), name="f.yaml")
    svg = cxviz.mark_changes(new_flow, cxviz.diff_specs(old_flow, new_flow), old_spec=old_flow)
    assert ghosts_of(svg) == [] and "Removed: “Card details” → “Balance topped up”" in legend_of(svg)


def test_no_removed_sample_without_removals():
    svg, found = marked("whys")
    assert not any(c.change == "removed" for c in found)
    assert "Removed" not in legend_of(svg) and "Added" in legend_of(svg)


def test_arabic_ghosts_stand_on_the_reading_side():
    old = ("kind: whys\ntitle: تأخر الطلبات\nlang: ar\nproblem: تصل الطلبات متأخرة\nwhys:\n"
           "  - because: يغادر السائقون متأخرين\n  - because: العناوين ناقصة\n")
    new = old.replace("  - because: العناوين ناقصة\n", "")
    old_spec, new_spec = cxviz.loads(old, name="w.yaml"), cxviz.loads(new, name="w.yaml")
    svg = cxviz.mark_changes(new_spec, cxviz.diff_specs(old_spec, new_spec), old_spec=old_spec)
    assert ghosts_of(svg) == ["لماذا ١ العناوين ناقصة"] or "العناوين ناقصة" in ghosts_of(svg)[0]
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
    frame = re.search(r'<g class="cxviz-diff-ghost cxviz-diff-removed"><rect x="([\d.]+)" y="[\d.]+" '
                      r'width="([\d.]+)"', svg)
    left, framed = float(frame.group(1)), float(frame.group(2))
    assert left + framed > width / 2  # drawn from the right, where Arabic reading starts


@pytest.mark.parametrize("suffix", ["png", "pdf"])
def test_cli_draws_the_marked_diff_as_png_and_pdf(tmp_path, capsys, suffix):
    target = tmp_path / f"changes.{suffix}"
    args = ["diff", str(DIFFS / "journey-old.yaml"), str(DIFFS / "journey-new.yaml"), "-o", str(target)]
    assert main(args) == 1
    capsys.readouterr()
    data = target.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        image = tmp_path / "page.png"
        image.write_bytes(data)
    else:
        assert data.startswith(b"%PDF-") and b"/CreationDate" not in data
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, check=True, text=True).stdout
        assert "Changes since the previous version" in text and "Bank asks for a second" in text
    # The same versions give the same bytes.
    assert main(args) == 1
    assert target.read_bytes() == data


def test_marked_png_is_drawn_at_the_asked_scale_with_the_legend():
    old = cxviz.loads((DIFFS / "whys-old.yaml").read_text(encoding="utf-8"), name="w.yaml")
    new = cxviz.loads((DIFFS / "whys-new.yaml").read_text(encoding="utf-8"), name="w.yaml")
    found = cxviz.diff_specs(old, new)
    svg = cxviz.mark_changes(new, found, old_spec=old)
    width, height = (float(n) for n in re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg).groups())
    png = cxviz.mark_changes(new, found, old_spec=old, format="png", scale=1)
    size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    assert abs(size[0] - width * 4 / 3) <= 2 and abs(size[1] - height * 4 / 3) <= 2
    with pytest.raises(cxviz.OptionError, match="svg, png or pdf"):
        cxviz.mark_changes(new, found, format="gif")


def test_arabic_marked_pdf_reads_in_order():
    old = (DIFFS / "journey-old.yaml").read_text(encoding="utf-8")
    arabic_old = ("kind: journey\ntitle: تجديد الاشتراك\nlang: ar\nstages:\n  - name: التذكير\n    steps:\n"
                  "      - action: يصله تذكير بالتجديد\n        pains: [التذكير يصل متأخرًا جدًا]\n")
    arabic_new = arabic_old.replace("التذكير يصل متأخرًا جدًا", "لا يذكر التذكير موعد الانتهاء")
    old_spec, new_spec = cxviz.loads(arabic_old, name="a.yaml"), cxviz.loads(arabic_new, name="a.yaml")
    pdf = cxviz.mark_changes(new_spec, cxviz.diff_specs(old_spec, new_spec), old_spec=old_spec, format="pdf")
    assert old  # the English versions are covered above
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "لا يذكر التذكير موعد الانتهاء" in text and "التغييرات منذ الإصدار السابق" in text


def test_outline_lists_things_under_their_parents(capsys):
    assert main(["outline", str(DIFFS / "journey-new.yaml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith('type "') or lines[0].startswith('title "')
    stage = lines.index('stage "Purchase"')
    assert lines[stage + 1].startswith("  ") and '  step "Confirms the employer subsidy code"' in lines
    assert '    pain "Subsidy code field rejects lowercase letters"' in lines
    assert main(["outline", str(DIFFS / "flow-new.yaml")]) == 0
    out = capsys.readouterr().out
    assert 'edge: "Enters the PIN" → "Balance topped up"' in out


def test_outline_of_a_broken_spec(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: journey\ntitle: T\nstages: 3\n", encoding="utf-8")
    assert main(["outline", str(broken)]) == 1
    assert f"{broken}:3:" in capsys.readouterr().err
    assert main(["outline", "--textconv", str(broken)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# cxviz outline: this version has errors (") and out.endswith("stages: 3\n")


def git(repo: Path, *args: str, env=None) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=T", *args], cwd=repo,
                          capture_output=True, text=True, check=True, env=env).stdout


def test_git_textconv_and_difftool_from_the_readme_lines(tmp_path):
    """The git config lines the README shows, used as a reader would: a persona file beside the spec."""
    import os
    import sys

    repo = tmp_path / "maps"
    (repo / "journeys").mkdir(parents=True)
    persona = "kind: persona\ntitle: Dewi\nname: Dewi Lestari\n"
    (repo / "journeys" / "dewi.yaml").write_text(persona, encoding="utf-8")
    old = JOURNEY.replace("title: Buying a ticket\n", "title: Buying a ticket\npersona: dewi.yaml\n")
    (repo / "journeys" / "ticket.yaml").write_text(old, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")
    new = old.replace("      - action: Picks a route\n", "      - action: Picks a route\n"
                      "      - action: Saves the route\n")
    (repo / "journeys" / "ticket.yaml").write_text(new, encoding="utf-8")
    git(repo, "commit", "-qam", "second")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("# git diff through cxviz"):]
    block = block[:block.index("```")]
    for line in block.splitlines():
        if line.startswith("git config"):
            subprocess.run(line, shell=True, cwd=repo, check=True)
        elif line.startswith("echo"):
            subprocess.run(line, shell=True, cwd=repo, check=True)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    shown = git(repo, "diff", "HEAD~1", "HEAD", env=env)
    assert '+  step "Saves the route"' in shown.splitlines()
    assert "has errors" not in shown  # the old copy found dewi.yaml beside the tracked file
    tool = git(repo, "difftool", "-y", "-t", "cxviz", "HEAD~1", "HEAD", "--", "journeys/ticket.yaml", env=env)
    assert tool.startswith("journeys/ticket.yaml: 1 added, 0 changed, 0 removed, 0 moved\n")
    assert 'step "Saves the route"' in tool


@pytest.mark.parametrize("kind", ["journey", "whys", "flow"])
def test_marked_diffs_match_their_golden_svgs(kind, golden):
    """The marked drawings the README shows, byte for byte: marks, badges, legend and ghosts."""
    old = cxviz.loads((DIFFS / f"{kind}-old.yaml").read_text(encoding="utf-8"), name=f"{kind}.yaml")
    new = cxviz.loads((DIFFS / f"{kind}-new.yaml").read_text(encoding="utf-8"), name=f"{kind}.yaml")
    golden(f"diff-{kind}.svg", cxviz.mark_changes(new, cxviz.diff_specs(old, new), old_spec=old))


def test_specs_of_two_kinds_are_not_compared(capsys):
    flow, journey = DIFFS / "flow-old.yaml", DIFFS / "journey-new.yaml"
    assert main(["diff", str(flow), str(journey)]) == 2
    assert capsys.readouterr().err == (f"cxviz: error: {flow} is a userflow spec and {journey} a journey spec; "
                                       "cxviz diff compares two versions of one spec\n")


def test_cli_png_takes_a_scale_or_a_dpi(tmp_path, capsys):
    target = tmp_path / "changes.png"
    args = ["diff", str(DIFFS / "whys-old.yaml"), str(DIFFS / "whys-new.yaml"), "-o", str(target)]
    assert main([*args, "--scale", "1"]) == 1
    small = int.from_bytes(target.read_bytes()[16:20], "big")
    assert main([*args, "--dpi", "192"]) == 1
    assert abs(int.from_bytes(target.read_bytes()[16:20], "big") - 2 * small) <= 2
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--scale", "1", "--dpi", "96"])
    assert stopped.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
