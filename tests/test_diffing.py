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
    for argv, message in ((["diff", "nope", "--", "spec.yaml"], "'nope' is not a revision"),
                          (["diff", "HEAD", "--", "other.yaml"], "other.yaml: not in revision HEAD"),
                          (["diff", "HEAD", "--", "a.yaml", "b.yaml"], "name one file after --")):
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
    for name in ("changes.png", "changes.pdf"):
        assert main(["diff", str(DIFFS / "flow-old.yaml"), str(DIFFS / "flow-new.yaml"), "-o",
                     str(tmp_path / name)]) == 2
        err = capsys.readouterr().err
        assert "writes an SVG only" in err and "Traceback" not in err
        assert not (tmp_path / name).exists()
