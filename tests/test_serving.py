"""The live preview (`cxviz serve`): what it serves, what it refuses, and the page in a real browser."""

from __future__ import annotations

import fnmatch
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import cxviz
from cxviz.serving.gallery import locate

from .conftest import ROOT, SAMPLES

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SETUP = "run `bash .ci/setup --test` (it installs Chromium and the playwright package)"
SECRET = "kind: whys\ntitle: TOP-SECRET-TITLE\nproblem: p\nwhys:\n  - because: TOP-SECRET-CAUSE\n    root: true\n"


@pytest.fixture
def folder(tmp_path):
    """A folder of specs: a 5 Whys tree, an Arabic journey with its persona and photo, and two other YAML files."""
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(SAMPLES / "whys-checkout.yaml", specs / "whys.yaml")
    for name in ("journey-bank.yaml", "persona-omar.yaml"):
        shutil.copy(SAMPLES / name, specs / name)
    shutil.copytree(SAMPLES / "photos", specs / "photos")
    (specs / "ci.yaml").write_text("name: build\non: [push]\n", encoding="utf-8")
    (specs / "deployment.yaml").write_text("kind: Deployment\nmetadata: {name: web}\n", encoding="utf-8")
    return specs


@pytest.fixture
def live(folder):
    with cxviz.preview(folder, port=0, interval=0.05) as preview:
        assert preview.wait_for_scan()
        yield preview


def get(live, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    """A request sent as written: no client-side normalising of ``..`` or percent-escapes."""
    port = int(live.url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def get_json(live, path: str):
    status, _, body = get(live, path)
    assert status == 200, (path, status, body)
    return json.loads(body)


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- what is served ---------------------------------------------------------------------------

def test_the_list_holds_the_specs_and_no_other_yaml(live):
    listing = get_json(live, "/api/specs")
    assert [spec["name"] for spec in listing["specs"]] == ["journey-bank.yaml", "persona-omar.yaml", "whys.yaml"]
    whys = next(spec for spec in listing["specs"] if spec["name"] == "whys.yaml")
    assert whys["kind"] == "whys" and whys["state"] == "ok" and whys["errors"] == 0
    assert whys["title"] == "Why do mobile customers abandon checkout?"


def test_a_spec_comes_drawn_with_its_ids_and_right_to_left_text(live):
    whys = get_json(live, "/api/spec/whys.yaml")
    assert whys["current"] and whys["diagnostics"] == []
    assert 'id="whys.0.whys.0"' in whys["svg"] and "Saved cards are not offered" in whys["svg"]
    journey = get_json(live, "/api/spec/journey-bank.yaml")
    assert 'xml:lang="ar"' in journey["svg"] and 'direction="rtl"' in journey["svg"]
    assert 'href="data:image/png;base64,' in journey["svg"]  # the persona's photo, as data


def test_where_an_element_is_written_is_spec_where_of_its_id(live, folder):
    journey = cxviz.load(str(folder / "journey-bank.yaml"))
    for clicked, path in [("stages.1.steps.0", "stages.1.steps.0"), ("stages.1.steps.0-1", "stages.1.steps.0"),
                          ("stages.0-1", "stages.0"), ("persona.avatar-1", "persona"),
                          ("stages.0.metrics.نسبة_x20_النقر-2", "stages.0.metrics.نسبة النقر")]:
        found = get_json(live, f"/api/where/journey-bank.yaml?id={urllib.parse.quote(clicked)}&id=diagram")
        location = journey.where(path)
        assert (found["file"], found["line"], found["column"]) == (location.file, location.line, location.column)
        assert found["id"] == clicked
    assert get_json(live, "/api/where/journey-bank.yaml?id=stages.1.steps.0")["path"] == "stages[1].steps[0]"
    assert get_json(live, "/api/where/journey-bank.yaml?id=lanes.pains&id=diagram") == {"found": False}
    whys = cxviz.load(str(folder / "whys.yaml"))
    found = locate(whys, ["whys.0.whys.0-edge"])
    assert found["line"] == whys.where("whys.0.whys.0").line
    assert "Saved cards are not offered" in found["source"]


def test_a_broken_spec_keeps_its_last_picture_and_shows_what_validate_says(live, folder):
    spec = folder / "whys.yaml"
    before = get_json(live, "/api/spec/whys.yaml")
    rewrite(spec, "    evidence: 212", "    evidense: 212")
    assert live.wait_for_scan()
    broken = get_json(live, "/api/spec/whys.yaml")
    assert broken["state"] == "errors" and not broken["current"] and broken["svg"] == before["svg"]
    expected = cxviz.check(str(spec))
    assert [(d["line"], d["column"], d["field"], d["message"]) for d in broken["diagnostics"]] == \
        [(d.line, d.column, d.field, d.message) for d in expected]
    assert broken["diagnostics"][0]["headline"] == expected[0].headline()
    assert broken["diagnostics"][0]["source"] == "    evidense: 212 session recordings, January"
    rewrite(spec, "    evidense: 212", "    evidence: 212")
    assert live.wait_for_scan()
    fixed = get_json(live, "/api/spec/whys.yaml")
    assert fixed["state"] == "ok" and fixed["current"] and fixed["version"] > broken["version"]


def test_only_the_spec_that_changed_is_drawn_again(live, folder):
    versions = {spec["name"]: spec["version"] for spec in get_json(live, "/api/specs")["specs"]}
    rewrite(folder / "whys.yaml", "Saved cards are not offered", "Saved cards expire")
    assert live.wait_for_scan()
    after = {spec["name"]: spec["version"] for spec in get_json(live, "/api/specs")["specs"]}
    assert after["whys.yaml"] > versions["whys.yaml"]
    assert after["journey-bank.yaml"] == versions["journey-bank.yaml"]
    # A journey is drawn again when the persona it shows changes.
    rewrite(folder / "persona-omar.yaml", "name: ", "name: Dr. ")
    assert live.wait_for_scan()
    again = {spec["name"]: spec["version"] for spec in get_json(live, "/api/specs")["specs"]}
    assert again["journey-bank.yaml"] > after["journey-bank.yaml"] and again["whys.yaml"] == after["whys.yaml"]


def test_specs_that_appear_and_go_are_listed_and_dropped(live, folder):
    shutil.copy(SAMPLES / "whys-delivery.yaml", folder / "late.yml")
    (folder / "team").mkdir()
    shutil.copy(SAMPLES / "userflow-topup.yaml", folder / "team" / "flow.yaml")
    assert live.wait_for_scan()
    names = [spec["name"] for spec in get_json(live, "/api/specs")["specs"]]
    assert "late.yml" in names and "team/flow.yaml" in names
    assert "Isi ulang pulsa" in get_json(live, "/api/spec/team/flow.yaml")["svg"]
    (folder / "late.yml").unlink()
    assert live.wait_for_scan()
    assert "late.yml" not in [spec["name"] for spec in get_json(live, "/api/specs")["specs"]]
    assert get(live, "/api/spec/late.yml")[0] == 404


def test_one_spec_file_can_be_served_alone(folder):
    with cxviz.preview(folder / "whys.yaml", port=0, interval=0.05) as preview:
        assert preview.wait_for_scan()
        assert [spec["name"] for spec in get_json(preview, "/api/specs")["specs"]] == ["whys.yaml"]
        assert get(preview, "/api/spec/journey-bank.yaml")[0] == 404


# -- what is refused ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A preview of a folder next to a secret, with a link to the secret file and one to the folder around it."""
    base = tmp_path_factory.mktemp("guarded")
    folder = base / "specs"
    folder.mkdir()
    shutil.copy(SAMPLES / "whys-checkout.yaml", folder / "whys.yaml")
    shutil.copytree(SAMPLES / "photos", folder / "photos")
    (folder / "ci.yaml").write_text("name: build\n", encoding="utf-8")
    secret = base / "secret.yaml"
    secret.write_text(SECRET, encoding="utf-8")
    (folder / "link.yaml").symlink_to(secret)
    (folder / "linked").symlink_to(base, target_is_directory=True)
    with cxviz.preview(folder, port=0, interval=0.05) as preview:
        assert preview.wait_for_scan()
        yield preview, secret


@pytest.mark.parametrize("route", ["/api/spec/", "/api/where/"])
@pytest.mark.parametrize("name", [
    "../secret.yaml", "..%2fsecret.yaml", "%2e%2e/secret.yaml", "%2E%2E%2Fsecret.yaml", "photos/../../secret.yaml",
    "{outside}", "%2f{outside_rest}", "/{outside_rest}", "link.yaml", "linked/secret.yaml", "photos/omar.png",
    "ci.yaml", "nothing.yaml", "", "%00.yaml", "..%252fsecret.yaml",
])
def test_nothing_outside_the_listed_specs_is_served(guarded, route, name):
    live, secret = guarded
    name = name.format(outside=urllib.parse.quote(str(secret), safe=""), outside_rest=str(secret).lstrip("/"))
    status, headers, body = get(live, route + name + "?id=whys.0")
    if name == "link.yaml":  # listed, to say why it is not read
        assert status == 200 and (route == "/api/where/" or b"symbolic link to a file outside" in body)
    else:
        assert status in (403, 404), body
    assert headers["Content-Type"].startswith("application/json")
    assert b"TOP-SECRET" not in body


def test_a_link_leading_out_is_listed_without_being_read(guarded):
    live, _ = guarded
    everything = json.dumps([get_json(live, "/api/specs"), get_json(live, "/api/spec/link.yaml")])
    assert "TOP-SECRET" not in everything
    assert [spec["name"] for spec in get_json(live, "/api/specs")["specs"]] == ["link.yaml", "whys.yaml"]
    assert get_json(live, "/api/spec/link.yaml")["svg"] is None


def test_a_request_for_another_host_name_is_refused(live):
    # A page elsewhere could point a name of its own at 127.0.0.1 to read the preview.
    status, _, body = get(live, "/api/specs", host="attacker.example:80")
    assert status == 421 and b"whys" not in body
    assert get(live, "/api/specs", host=live.url.split("/")[2].replace("127.0.0.1", "localhost"))[0] == 200


def test_it_listens_on_the_loopback_address_only(live):
    assert live.url.startswith("http://127.0.0.1:")
    assert live._server.server_address[0] == "127.0.0.1"


def test_the_page_runs_only_its_own_script(live):
    status, headers, body = get(live, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "unsafe" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    page = body.decode("utf-8")
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/preview.js" defer>']
    assert not re.search(r"\son\w+=", page) and "style=" not in page
    script = get(live, "/static/preview.js")[2].decode("utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script


def test_a_port_in_use_is_an_option_error(folder):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(cxviz.OptionError, match="cannot listen on 127.0.0.1:"):
            cxviz.preview(folder, port=taken.getsockname()[1]).start()
    with pytest.raises(cxviz.OptionError, match="not a folder of specs"):
        cxviz.preview(folder / "nothing")
    with pytest.raises(cxviz.OptionError, match="port must be"):
        cxviz.preview(folder, port=70000)


def test_the_page_files_ship_in_the_package():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[tool.setuptools.package-data]", 1)[1].split("\n[", 1)[0]
    patterns = re.findall(r'"([^"]+)"', section)
    static = ROOT / "cxviz" / "serving" / "static"
    files = [path.relative_to(ROOT / "cxviz").as_posix() for path in static.iterdir()]
    assert len(files) == 3
    for name in files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), f"{name} is not package data"


def test_the_command_prints_its_address_and_stops_on_ctrl_c(folder):
    command = [sys.executable, "-m", "cxviz", "serve", str(folder), "--port", "0", "--interval", "0.1"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=folder)
    try:
        line = process.stderr.readline()
        match = re.match(r"cxviz serve: (http://127\.0\.0\.1:\d+/)", line)
        assert match, line
        with urllib.request.urlopen(match.group(1) + "api/specs", timeout=10) as response:
            assert json.load(response)["root"] == str(folder.resolve())
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert rest == "cxviz serve: stopped\n"


# -- in a browser -----------------------------------------------------------------------------

def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"the browser test needs the playwright package: {SETUP}")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"the browser test needs Debian's Chromium at {CHROMIUM}: {SETUP}")
    return sync_playwright


def test_the_page_follows_every_save_shows_errors_at_their_lines_and_where_things_are_written(live, folder):
    spec = folder / "whys.yaml"
    hostile = folder / "<img src=x onerror=alert(1)>.yaml"
    hostile.write_text("kind: whys\ntitle: <script>window.pwned = 1</script>\nproblem: p\nwhys:\n"
                       "  - because: <b>bold</b>\n    root: true\n", encoding="utf-8")
    assert live.wait_for_scan()
    with _playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(10_000)
            problems: list[str] = []
            page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}") or dialog.dismiss())
            page.goto(live.url + "#whys.yaml")
            diagram = page.locator("#serve-diagram")
            diagram.locator('[id="whys.0.whys.0"]').wait_for()
            assert "Saved cards are not offered" in diagram.inner_text()
            page.evaluate("window.cxvizStillHere = true")

            rewrite(spec, "Saved cards are not offered in the mobile app", "Cards expire weekly")
            diagram.get_by_text("Cards expire weekly").wait_for()

            rewrite(spec, "    evidence: 212", "    evidense: 212")
            panel = page.locator("#serve-problems")
            panel.wait_for(state="visible")
            error = cxviz.check(str(spec))[0]
            assert f"{error.file}:{error.line}:{error.column}" in panel.inner_text()
            assert "unknown field 'evidense'" in panel.inner_text() and "evidense: 212 session" in panel.inner_text()
            assert "Cards expire weekly" in diagram.inner_text()  # the last good picture stays

            rewrite(spec, "problem: ", "problem: [unclosed ")
            error = cxviz.check(str(spec))[0]
            assert error.line and "yaml" in error.message.lower()
            page.wait_for_function("place => document.querySelector('#serve-problems').innerText.includes(place)",
                                   arg=f"{error.file}:{error.line}:{error.column}")
            assert "Cards expire weekly" in diagram.inner_text()

            rewrite(spec, "problem: [unclosed ", "problem: ")
            rewrite(spec, "    evidense: 212", "    evidence: 212")
            rewrite(spec, "Cards expire weekly", "Cards expire monthly")
            diagram.get_by_text("Cards expire monthly").wait_for()
            panel.wait_for(state="hidden")

            diagram.locator('[id="whys.0.whys.0"]').click()
            place = page.locator("#serve-where-place")
            place.wait_for()
            assert place.inner_text() == str(cxviz.load(str(spec)).where("whys.0.whys.0"))
            assert page.locator("#serve-where-path").inner_text() == "whys[0].whys[0]"
            assert "- because: Cards expire monthly" in page.locator("#serve-where-source").inner_text()

            link = page.locator("#serve-list a", has_text="onerror")
            assert link.inner_text().startswith("<img src=x onerror=alert(1)>.yaml")
            link.click()
            diagram.get_by_text("<b>bold</b>").wait_for()
            assert page.evaluate("document.querySelectorAll('#serve-list img, #serve-diagram b, script').length") == 1
            assert page.evaluate("window.pwned") is None
            assert page.evaluate("window.cxvizStillHere") is True  # no reload all along
            assert problems == []
        finally:
            browser.close()


def test_a_very_wide_drawing_is_fitted_to_the_height_and_scrolls_from_where_reading_starts(tmp_path):
    """A 300-step journey fitted whole is a strip of unreadable text; an Arabic one starts at its right end."""
    specs = tmp_path / "wide"
    specs.mkdir()
    for name in ("journey-300-steps-en.yaml", "journey-dense-ar.yaml"):
        shutil.copy(ROOT / "tests" / "dense" / name, specs / name)
    shutil.copy(SAMPLES / "whys-checkout.yaml", specs / "whys.yaml")
    with cxviz.preview(specs, port=0, interval=0.05) as preview, _playwright()() as playwright:
        assert preview.wait_for_scan(60)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(15_000)
            stage = page.locator("#serve-stage")

            def shown(name: str) -> dict:
                page.goto(preview.url + "#" + name)
                page.locator("#serve-diagram svg").wait_for()
                page.wait_for_function("name => document.querySelector('#serve-name').textContent.endsWith(name)",
                                       arg=name)
                return page.evaluate("""() => { const s = document.querySelector('#serve-stage');
                    const svg = s.querySelector('svg'); const box = svg.viewBox.baseVal;
                    const whole = Math.min(s.clientWidth / (box.width * 4 / 3), s.clientHeight / (box.height * 4 / 3));
                    return {wide: s.classList.contains('serve-wide'), whole,
                            scale: svg.getBoundingClientRect().width / (box.width * 4 / 3),
                            left: s.scrollLeft, room: s.scrollWidth - s.clientWidth}; }""")

            english = shown("journey-300-steps-en.yaml")
            assert english["wide"] and english["scale"] > 5 * english["whole"] and english["left"] == 0
            assert english["room"] > 0
            arabic = shown("journey-dense-ar.yaml")
            assert arabic["wide"] and arabic["room"] > 0 and arabic["left"] >= arabic["room"] - 2
            small = shown("whys.yaml")
            assert not small["wide"] and small["room"] == 0
            assert stage.is_visible()
        finally:
            browser.close()
