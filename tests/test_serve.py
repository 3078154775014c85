"""'essw serve', the authors' live preview: it serves what was asked for (internal items with
--internal), it starts without making the PDF packs, one save makes one rebuild, and the preview
it keeps between runs is essw's own (issue 11)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import ESSW
from test_visibility_and_review import INTERNAL_ROLE

INTERNAL_PAGE = "library/roles/zebrafinch-internal.html"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(condition, timeout: float = 90) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


class Serving:
    """'essw serve' running on a project, its log kept."""

    def __init__(self, project, *args: str):
        self.port = free_port()
        self.log = project.path("serve.log")
        self.handle = self.log.open("w")
        self.proc = subprocess.Popen([*ESSW, "--root", str(project.root), "serve", "--dev-addr",
                                      f"127.0.0.1:{self.port}", *args], cwd=project.root, stdout=self.handle,
                                     stderr=subprocess.STDOUT, env=dict(os.environ), start_new_session=True)
        assert wait_for(lambda: fetch(self.url(""))[0] == 200), self.text()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return len(re.findall(r"Building documentation", self.text()))

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(timeout=30)
        self.handle.close()


@pytest.fixture
def serving():
    started: list[Serving] = []

    def start(project, *args: str) -> Serving:
        started.append(Serving(project, *args))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def test_serve_internal_shows_internal_items_and_the_public_preview_does_not(project, serving):
    project.write("roles/zebrafinch-internal.yml", INTERNAL_ROLE)
    public = serving(project)
    assert fetch(public.url(INTERNAL_PAGE))[0] == 404
    assert "PDF packs are not made while serving" in public.text()
    public.stop()

    internal = serving(project, "--internal")
    status, page = fetch(internal.url(INTERNAL_PAGE))
    assert status == 200, internal.text()
    assert "Zebrafinch" in page
    internal.stop()

    again = serving(project)  # the preview is kept between runs: the internal page must not stay in it
    assert fetch(again.url(INTERNAL_PAGE))[0] == 404


def test_one_save_makes_one_rebuild_and_reaches_the_page(project, serving):
    server = serving(project)
    assert server.builds() == 1
    project.replace("roles/dsl-role.yml", "summary: ", "summary: Quokkamarker. ")
    assert wait_for(lambda: "Quokkamarker" in fetch(server.url("library/roles/dsl-role.html"))[1]), server.text()
    time.sleep(4)  # a second build, set off by the generator's own writes, would have started by now
    assert server.builds() == 2, server.text()


def test_serve_never_overwrites_a_preview_folder_it_did_not_make(project):
    project.write(".essw-preview/notes.txt", "an author's own notes")
    result = project.run("serve", "--dev-addr", f"127.0.0.1:{free_port()}", timeout=60)
    assert result.returncode == 2, result.output
    assert ".essw-preview holds files essw did not make" in result.stderr
    assert project.read(".essw-preview/notes.txt") == "an author's own notes"


@pytest.mark.parametrize("generated_before", [False, True])
def test_serve_reports_bad_sources_without_a_traceback(project, generated_before):
    """Never generated: essw itself reports the problems. Generated before: the plugin does, inside
    MkDocs' first build, and essw says the preview could not be built."""
    if generated_before:
        assert project.run("generate", "--no-packs").returncode == 0
    project.replace("roles/dsl-role.yml", "summary: ", "summary: [unclosed ")
    result = project.run("serve", "--dev-addr", f"127.0.0.1:{free_port()}", timeout=60)
    assert result.returncode == 1, result.output
    assert "roles/dsl-role.yml:" in result.output and "Traceback" not in result.output
