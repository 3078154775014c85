"""Issue 10's hostile corpus, as a careless user and an attacker would try it, through the real CLI.

Every case runs the installed 'essw' in a subprocess on a copy of a fixture project that is a git
repository with a built site/. A refused case must exit with its status (2 for a command that
asks for something unsafe, 1 for a content or settings error), print a one-line message naming
the path (and line, for a file's content) in plain words, print no traceback, and leave every
byte of the project, its .git and its site/ as it was. Accepted hostile settings must build a
site in which Chromium runs nothing and requests nothing from another host.

The fuller corpora for single classes live beside this file: source files (test_source_files.py),
YAML values (test_yaml_values.py), author Markdown (test_author_markdown.py), privacy disguises
(test_privacy_disguises.py) and stored browser state (test_stored_state.py). One case of each
class is repeated here, so this file alone shows every class end to end.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import CASE, ESSW, POLICY, Project, SiteServer, make_project, tree_hashes
from essw.output import LOCK_FILE, SITE_MARKER, check_site_dir
from essw.problems import UsageError
from essw.project import Project as EsswProject

SECRET = "ghp_Zx81TOKENqv7Lm30secretVALUEdoNotPrint44"


# -- fixtures -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The fixture project as a git repository with a built site (copied, never changed, by each test)."""
    root = make_project(tmp_path_factory.mktemp("hostile-cli") / "project")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "commit", "-qm", "fixture"], check=True)
    result = Project(root).run("build", "--no-packs")
    assert result.returncode == 0, result.output
    return root


@pytest.fixture
def project(template, tmp_path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(template, root, symlinks=True)
    return Project(root)


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the project (sources, docs, .git and site/) with its checksum; not the build lock."""
    return {rel: digest for rel, digest in tree_hashes(root).items() if rel != LOCK_FILE}


class Listener:
    """A web server on 127.0.0.1 that records every request, standing in for 'another host'."""

    def __init__(self):
        seen = self.requests = []

        class Record(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the base class's name
                seen.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def assert_clean_refusal(result, status: int, where: str) -> list[str]:
    """Exit status as expected, a one-line message that starts with ``where``, and no traceback."""
    assert result.returncode == status, f"exit {result.returncode}, expected {status}\n{result.output[-3000:]}"
    assert "Traceback" not in result.output and "unexpected internal error" not in result.output, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert lines, f"no message starting {where!r} in:\n{result.stderr[-3000:]}"
    assert all(len(line) < 600 for line in lines), lines
    return lines


# -- 1. the command line never deletes what it did not make ------------------------------------------

REFUSED_SITE_DIRS = [
    ("scenarios", "the project's 'scenarios' folder"),
    (".", "the project folder"),
    ("..", "the project folder or a folder that holds it"),
    ("docs", "the project's 'docs' folder"),
    ("docs/out", "inside the project's 'docs' folder"),
    ("docs/library", "inside the project's 'docs' folder"),
    (".git", "the project's '.git' folder"),
    ("overrides", "the project's 'overrides' folder"),
    ("policies/new-folder", "inside the project's 'policies' folder"),
    ("glossary.yml", "glossary.yml"),
    ("mkdocs.yml", "is a file"),
    ("mkdocs.yml/site", "is a file, not a folder"),
    ("", "needs the name of a folder"),
]


@pytest.mark.parametrize("site_dir, words", REFUSED_SITE_DIRS, ids=[s or "empty" for s, _ in REFUSED_SITE_DIRS])
def test_a_dangerous_site_dir_is_refused_before_anything_changes(project, site_dir, words):
    before = snapshot(project.root)
    result = project.run("build", "--no-packs", "--site-dir", site_dir)
    lines = assert_clean_refusal(result, 2, "essw: ")
    assert any(words in line for line in lines), lines
    assert "Nothing was changed" in result.stderr
    assert snapshot(project.root) == before


def test_a_folder_outside_the_project_that_essw_did_not_make_is_never_emptied(project, tmp_path):
    outside = tmp_path / "my-documents"
    outside.mkdir()
    (outside / "thesis.docx").write_bytes(b"years of work")
    before, mine = snapshot(project.root), tree_hashes(outside)
    result = project.run("build", "--no-packs", "--site-dir", str(outside))
    lines = assert_clean_refusal(result, 2, "essw: --site-dir")
    assert "did not build" in lines[0]
    assert tree_hashes(outside) == mine and snapshot(project.root) == before


def test_a_file_outside_the_project_is_never_replaced_by_a_folder(project, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me", encoding="utf-8")
    result = project.run("build", "--no-packs", "--site-dir", str(target))
    assert_clean_refusal(result, 2, "essw: --site-dir")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_a_new_folder_outside_is_built_marked_and_can_be_rebuilt(project, tmp_path):
    target = tmp_path / "published" / "site"
    for _ in range(2):  # the second build replaces the first, because the first carries the marker
        result = project.run("build", "--no-packs", "--site-dir", str(target))
        assert result.returncode == 0, result.output
        assert (target / "index.html").is_file() and (target / SITE_MARKER).is_file()
    assert not list(target.parent.glob(".site-*")), "the swap left a folder behind"


@pytest.mark.parametrize("command", [["validate"], ["build", "--no-packs"], ["generate"], ["review"]])
@pytest.mark.parametrize("root, words", [("/nonexistent/project", "there is no such folder"),
                                         ("mkdocs.yml", "is a file"),
                                         ("scenarios", "has no mkdocs.yml")])
def test_a_wrong_root_is_an_error_not_an_empty_success(project, command, root, words):
    root = root if root.startswith("/") else str(project.path(root))
    before = snapshot(project.root)
    proc = subprocess.run([*ESSW, "--root", root, *command], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert words in proc.stderr and "All sources are valid" not in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(project.root) == before


def test_docs_library_as_a_file_is_a_clear_refusal(project):
    shutil.rmtree(project.path("docs/library"))
    project.write_raw("docs/library", "an author's notes\n")
    before = snapshot(project.root)
    result = project.run("build", "--no-packs")
    lines = assert_clean_refusal(result, 2, "essw: ")
    assert "docs/library is a file" in lines[0]
    assert snapshot(project.root) == before


def test_two_overlapping_builds_both_finish_and_leave_a_site(project):
    procs = [subprocess.Popen([*ESSW, "--root", str(project.root), "build", "--no-packs"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert project.path("site/index.html").is_file() and project.path(f"site/{SITE_MARKER}").is_file()
    assert not list(project.root.glob(".site-*")) and not list(project.root.glob(".essw-building-*"))


def test_a_site_moved_aside_by_a_killed_build_is_restored_and_leftovers_removed(project):
    project.path("site").rename(project.path(".site-old"))  # killed between the two renames
    project.path(".essw-building-killed/site").mkdir(parents=True)  # a killed build's work folder
    result = project.run("build", "--no-packs")
    assert result.returncode == 0, result.output
    assert "restored site" in result.stderr
    assert project.path("site/index.html").is_file()
    assert not project.path(".site-old").exists() and not project.path(".essw-building-killed").exists()


def test_a_build_killed_at_any_moment_never_loses_the_site(project):
    """Kill 'essw build' at several moments; each time the site is still there or is put back next time."""
    for delay in (0.3, 0.8, 1.3, 1.8, 2.4):
        proc = subprocess.Popen([*ESSW, "--root", str(project.root), "build", "--no-packs"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert project.path("site/index.html").is_file() or project.path(".site-old/index.html").is_file() \
            or project.path(".site-new/index.html").is_file(), f"no site at all after a kill at {delay} s"
        result = project.run("build", "--no-packs")
        assert result.returncode == 0, result.output
        assert project.path("site/index.html").is_file()
        assert not list(project.root.glob(".essw-building-*")), "a killed build's work folder was left"


# -- path handling, as properties ---------------------------------------------------------------------

SEGMENTS = ["..", ".", "docs", "library", "scenarios", "site", "new", ".git", "mkdocs.yml", "glossary.yml",
            "policies", "out", "overrides", "macros"]
site_dirs = st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=4).map(lambda parts: "/".join(parts))


@pytest.fixture(scope="module")
def path_project(template, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("paths") / "project"
    shutil.copytree(template, root, symlinks=True)
    return root


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=site_dirs)
def test_any_site_dir_is_either_refused_or_safe_to_replace(path_project, rel):
    project = EsswProject(path_project)
    try:
        chosen = check_site_dir(project, path_project / rel)
    except UsageError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    root = path_project.resolve()
    assert chosen != root and chosen not in root.parents, f"{rel} would replace the project"
    for name in ("docs", "scenarios", "policies", ".git", "overrides", "macros", "glossary.yml", "mkdocs.yml"):
        place = root / name
        assert chosen != place and place not in chosen.parents, f"{rel} is inside {name}"
    if chosen.exists():
        assert chosen.is_dir() and (not any(chosen.iterdir()) or (chosen / SITE_MARKER).is_file())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=site_dirs)
def test_any_site_dir_given_to_the_real_cli_changes_nothing_else(template, tmp_path_factory, rel):
    root = tmp_path_factory.mktemp("cli-path") / "project"
    shutil.copytree(template, root, symlinks=True)
    before = snapshot(root)
    proc = subprocess.run([*ESSW, "--root", str(root), "build", "--no-packs", "--site-dir", rel], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 2), proc.stderr
    after = snapshot(root)
    if proc.returncode == 2:
        assert after == before, f"a refused --site-dir {rel} changed the project"
        return
    target = (root / rel).resolve()
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    inside = target.relative_to(root.resolve()).as_posix() if root.resolve() in target.parents else None
    outside = [k for k in changed if not (inside and k.startswith(inside + "/"))]
    assert not outside, f"--site-dir {rel} also changed {sorted(outside)[:5]}"


# -- 8. settings are sources too ----------------------------------------------------------------------

SETTINGS_ERRORS = [
    ("syntax-error", "  local:\n", "  local: [\n", "not valid YAML"),
    ("missing-contact", "    front_door_phone: \"01632 960 000\"\n", "", "the contact 'front_door_phone' is missing"),
    ("mistyped-contact", "    front_door_phone:", "    front_door_phon:", "did you mean 'front_door_phone'"),
    ("multi-line-area", "  area: Eastborough\n", "  area: |\n    Eastborough\n    # Injected heading\n",
     "runs over several lines"),
    ("contact-as-a-list", "    emergency: \"999\"\n", "    emergency: [\"999\"]\n", "one line of text"),
    ("quick-exit-to-script", "  area: Eastborough\n", "  area: Eastborough\n  quick_exit_url: \"javascript:alert(1)\"\n",
     "must lead to a whole web address starting https://"),
    ("quick-exit-not-https", "  area: Eastborough\n", "  area: Eastborough\n  quick_exit_url: http://example.org\n",
     "must lead to a whole web address starting https://"),
]


@pytest.mark.parametrize("old, new, words", [c[1:] for c in SETTINGS_ERRORS], ids=[c[0] for c in SETTINGS_ERRORS])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_settings_error_is_reported_at_its_line_in_mkdocs_yml(project, command, old, new, words):
    project.replace("mkdocs.yml", old, new)
    before = snapshot(project.root)
    result = project.run(command, *(["--no-packs"] if command == "build" else []))
    lines = assert_clean_refusal(result, 1, "mkdocs.yml:")
    assert re.match(r"mkdocs\.yml:\d+:\d+: ", lines[0]), lines
    assert any(words in line for line in lines), lines
    assert snapshot(project.root) == before


# -- 4. markup in the settings is shown as text -------------------------------------------------------

EXPLAINER = """\
id: worried
title: Will my information be shared?
summary: What happens to what you tell the school.
audiences: [parents]
owner: ESSW team manager
reviewed: 2025-01-15
review_by: 2035-01-15
sections:
  - heading: Who will know?
    text: Only the people who need to know.
  - heading: Will you tell me first?
    text: Yes, unless that would put a child at risk.
what_to_do_next:
  - Ask the school.
"""


@pytest.mark.browser
def test_markup_in_the_settings_runs_nothing_in_chromium(project, browser, listener):
    project.replace("mkdocs.yml", "  area: Eastborough\n",
                    f"  area: \"<script>window.__pwned = 1</script><img src='{listener.url}/area.png'>\"\n")
    project.replace("mkdocs.yml", "    front_door_name: Children's Services Front Door\n",
                    "    front_door_name: \"<img src=x onerror='window.__pwned = 2'> # Front door {{ 7*7 }}\"\n")
    project.write_raw("explainers/worried.yml", EXPLAINER)
    project.write_raw("docs/index.md", "---\nrender_macros: true\n---\n# Home\n\nSchool social work in {{ area }}.\n")
    result = project.run("build", "--no-packs")
    assert result.returncode == 0, result.output
    server = SiteServer(project.path("site"))
    context = browser.new_context()
    page = context.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    try:
        for rel, shown in (("index.html", "<script>window.__pwned = 1</script>"),
                           ("library/parents/worried.html", "# Front door {{ 7*7 }}")):
            page.goto(f"{server.url}/{rel}", wait_until="load")
            assert page.evaluate("() => window.__pwned") is None, rel
            assert shown in page.locator("article").inner_text(), f"{rel} does not show the setting as written"
            assert page.locator("article img[src='x'], article script").count() == 0
    finally:
        context.close()
        server.close()
    assert not dialogs
    assert not [url for url in requests if not url.startswith(server.url)], requests
    assert not listener.requests


# -- one case of every other class, end to end ---------------------------------------------------------

def _remote_image(listener):
    return CASE.replace("Sam arrives late and quiet.", f"Sam arrives late. ![pixel]({listener.url}/p.png)")


OTHER_CLASSES = [
    # (id, file, content (or a function of the listener), the text on the reported line)
    ("remote-image", "scenarios/first-day.yml", _remote_image, "![pixel]"),
    ("reference-link-in-a-list", "scenarios/first-day.yml",
     CASE.replace("    text: Sam arrives late and quiet.\n",
                  "    text: |\n      Sam arrives [late][r].\n\n      - [r]: file:///etc/passwd\n"), "- [r]: file:"),
    ("protocol-relative-link", "scenarios/first-day.yml",
     CASE.replace("Sam arrives late and quiet.", "Sam arrives [late](//evil.example.net/x)."), "//evil"),
    ("id-that-replaces-an-index-page", "policies/index.yml", POLICY.replace("id: consent-protocol", "id: index"),
     "id: index"),
    ("sexagesimal-minutes", "scenarios/first-day.yml", CASE.replace("minutes: 10", "minutes: 1:20"), "minutes: 1:20"),
    ("disguised-phone-number", "scenarios/first-day.yml",
     CASE.replace("Sam arrives late and quiet.", "Sam's mum gave 07912.345.678 as her number."), "07912"),
]


@pytest.mark.parametrize("rel, content, needle", [c[1:] for c in OTHER_CLASSES], ids=[c[0] for c in OTHER_CLASSES])
def test_one_case_of_each_content_class_is_refused_at_its_line(project, listener, rel, content, needle):
    text = content(listener) if callable(content) else content
    project.write_raw(rel, text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if needle in t)
    before = snapshot(project.root)
    result = project.run("build")  # with packs: WeasyPrint must not fetch anything either
    lines = assert_clean_refusal(result, 1, f"{rel}:")
    assert any(re.match(rf"{re.escape(rel)}:{line}:\d+: ", text) for text in lines), (line, lines)
    assert "07912.345.678" not in result.output and "07912345678" not in result.output
    assert snapshot(project.root) == before
    assert not listener.requests


def test_a_link_to_a_secret_outside_the_project_never_reaches_the_output(project, tmp_path):
    secret = tmp_path / "token.txt"
    secret.write_text(f"title: {SECRET}\n", encoding="utf-8")
    project.path("scenarios/leak.yml").symlink_to(secret)
    before = snapshot(project.root)
    result = project.run("validate")
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output
    assert re.search(r"^scenarios/leak\.yml:\d+:\d+: ", result.stderr, re.M), result.stderr
    for start in range(len(SECRET) - 7):  # not even 8 characters of it
        assert SECRET[start:start + 8] not in result.output
    assert snapshot(project.root) == before
