"""Only the project's own ordinary files are read (issue 10, part 2).

A source that is a link (to a file outside the project, to /etc/passwd, to another file of the
project, or to nothing), a named pipe, a folder named like a source, an unreadable file, or a
kind's folder of the wrong type ('scenarios' a file, 'glossary.yml' a folder) is one problem with
its path and the reason in plain words, and its content is never read: not one 8-character run of a
secret behind a link reaches the output. Names ending in .yml or .yaml in any capitals are sources.
Every message quotes at most a short excerpt of the author's own line.

Most cases run the installed 'essw validate' in a subprocess, as an author or a CI job does.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess

import pytest

from conftest import ROLE
from essw.load import EXCERPT, LoadError, load_text, read_source
from essw.sources import source_files

SECRET = "ghp_Qm4TOKENzz81Lv02secretVALUEdoNotPrint9"
PROBLEM = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)$")


def problem_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if PROBLEM.match(line)]


def assert_one_refusal(result, path: str, *words: str) -> str:
    """Exit 1, exactly one 'path:1:1: ...' problem naming the path, with the words; no traceback."""
    output = result.output
    assert "Traceback" not in output, output
    assert result.returncode == 1, output
    lines = problem_lines(result)
    assert len(lines) == 1, output
    line = lines[0]
    assert line.startswith(f"{path}:1:1: "), line
    for word in words:
        assert word in line, (word, line)
    assert "1 error(s)" in result.stderr
    return line


def assert_no_run_of(text: str, output: str, run: int = 8) -> None:
    for start in range(len(text) - run + 1):
        piece = text[start:start + run]
        assert piece not in output, f"{piece!r} from outside the project is in the output:\n{output}"


# -- links --------------------------------------------------------------------------------------------

def test_a_link_to_a_secret_outside_the_project_is_refused_unread(project, tmp_path):
    secret = tmp_path / "token.txt"  # beside the project, not inside it
    secret.write_text(f"title: {SECRET}\n", encoding="utf-8")
    project.path("scenarios/x.yml").symlink_to(secret)
    result = project.run("validate")
    line = assert_one_refusal(result, "scenarios/x.yml", "is a link to a file outside the project",
                              "essw only reads files inside the project", "copy the file into the project")
    assert line == ("scenarios/x.yml:1:1: this file is a link to a file outside the project; essw only reads "
                    "files inside the project - copy the file into the project instead")
    assert_no_run_of(SECRET, result.output)
    assert str(tmp_path) not in result.output  # where the link leads is not shown either


def test_a_secret_that_is_not_yaml_is_not_quoted_either(project, tmp_path):
    """A token file is usually not valid YAML: the YAML error path must not quote it (it is never parsed)."""
    secret = tmp_path / "hosts"
    secret.write_text(f"{SECRET}: [oauth\n\t{SECRET}\n", encoding="utf-8")
    project.path("policies/hosts.yml").symlink_to(secret)
    result = project.run("validate")
    assert_one_refusal(result, "policies/hosts.yml", "outside the project")
    assert_no_run_of(SECRET, result.output)


@pytest.mark.skipif(not os.path.exists("/etc/passwd"), reason="no /etc/passwd on this system")
def test_a_link_to_etc_passwd_is_refused_unread(project):
    project.path("roles/passwd.yml").symlink_to("/etc/passwd")
    result = project.run("validate")
    assert_one_refusal(result, "roles/passwd.yml", "outside the project")
    with open("/etc/passwd", encoding="utf-8", errors="replace") as handle:
        first = handle.readline().strip()
    assert_no_run_of(first, result.output)
    assert "/etc/passwd" not in result.output


def test_a_link_to_another_file_of_the_project_is_refused_and_names_it(project):
    """Chosen: every link is refused, even one inside the project. Opening only ordinary files, never
    following a link (O_NOFOLLOW), is the one way to be sure a link is not changed to point outside
    between the check and the read; and a linked source is a second copy that gives a duplicate id."""
    project.path("roles/copy.yml").symlink_to(project.path("roles/dsl-role.yml"))
    result = project.run("validate")
    assert_one_refusal(result, "roles/copy.yml", "is a link to 'roles/dsl-role.yml'", "not links",
                       "copy the file here instead, or delete the link")


def test_a_broken_link_is_refused(project):
    project.path("scenarios/gone.yml").symlink_to(project.path("scenarios/no-such-file.yml"))
    result = project.run("validate")
    assert_one_refusal(result, "scenarios/gone.yml", "a link to something that does not exist")


def test_a_link_to_a_folder_outside_is_refused_not_silently_skipped(project, tmp_path):
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "extra.yml").write_text(ROLE.replace("dsl-role", "extra-role"), encoding="utf-8")
    project.path("roles/shared").symlink_to(outside, target_is_directory=True)
    result = project.run("validate")
    assert_one_refusal(result, "roles/shared", "this folder is a link to a folder outside the project")
    assert "extra-role" not in result.output


def test_a_kind_folder_that_is_a_link_is_refused(project, tmp_path):
    moved = tmp_path / "elsewhere"
    project.path("workshops").rename(moved)
    project.path("workshops").symlink_to(moved, target_is_directory=True)
    result = project.run("validate")
    # the workshop is not read, and nothing else refers to it, so this is the only problem
    assert_one_refusal(result, "workshops", "this folder is a link to a folder outside the project")


def test_the_privacy_allow_list_behind_a_link_is_refused_unread(project, tmp_path):
    secret = tmp_path / "allow.txt"
    secret.write_text(f"allow: [{SECRET}]\n", encoding="utf-8")
    project.path("privacy.yml").symlink_to(secret)
    result = project.run("validate")
    assert_one_refusal(result, "privacy.yml", "outside the project")
    assert_no_run_of(SECRET, result.output)


# -- things that are not ordinary files ---------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_named_pipe_is_refused_without_being_opened(project):
    """Opening a FIFO for reading waits for a writer for ever: the run must not hang (a time-out fails)."""
    os.mkfifo(project.path("scenarios/pipe.yml"))
    try:
        result = project.run("validate", timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test exists to catch
        pytest.fail("essw validate waited on a named pipe")
    assert_one_refusal(result, "scenarios/pipe.yml", "named pipe", "essw does not open it")


def test_a_folder_named_like_a_source_is_refused(project):
    project.path("scenarios/x.yml").mkdir()
    result = project.run("validate")
    assert_one_refusal(result, "scenarios/x.yml", "this is a folder, not a file",
                       "rename the folder so its name does not end in .yml")


def test_a_folder_named_like_a_source_is_still_looked_inside(project):
    project.path("roles/more.yml").mkdir()
    project.write("roles/more.yml/nurse.yml", ROLE.replace("dsl-role", "school-nurse"))
    library, report = project.library()
    assert [p.path for p in report.problems] == ["roles/more.yml"]
    assert "school-nurse" in library.entries


def test_an_unreadable_file_is_refused_with_permission_denied(project, cli, monkeypatch):
    path = project.path("roles/locked.yml")
    path.write_text(ROLE.replace("dsl-role", "locked-role"), encoding="utf-8")
    path.chmod(0)
    try:
        if not os.access(path, os.R_OK):
            result = project.run("validate")
        else:
            # Running as root, which reads every file whatever its mode: make the open fail as it
            # would for anyone else (the same refusal path, in-process).
            import essw.load

            real_open = os.open

            def denied(name, flags, *args, **kwargs):
                if os.fspath(name) == os.fspath(path):
                    raise PermissionError(errno.EACCES, "Permission denied", os.fspath(name))
                return real_open(name, flags, *args, **kwargs)

            monkeypatch.setattr(essw.load.os, "open", denied)
            result = cli(project, "validate")
    finally:
        path.chmod(0o644)
    line = assert_one_refusal(result, "roles/locked.yml", "not allowed to read this file (permission denied)")
    assert "chmod u+r roles/locked.yml" in line
    assert "locked-role" not in result.output


def test_the_scenarios_folder_being_a_file_is_one_problem(project):
    for path in sorted(project.path("scenarios").iterdir()):
        path.unlink()
    project.path("scenarios").rmdir()
    project.write("scenarios", "just a file\n")
    result = project.run("validate")
    # the references to the case 'first-day' in other files are not reported as missing as well
    assert_one_refusal(result, "scenarios", "this is a file, but 'scenarios' must be a folder holding case studies")


def test_the_glossary_being_a_folder_is_one_problem(project):
    project.path("glossary.yml").unlink()
    project.path("glossary.yml").mkdir()
    result = project.run("validate")
    # the references to glossary terms are not reported as missing as well
    assert_one_refusal(result, "glossary.yml", "this is a folder, but 'glossary.yml' must be a file")


def test_a_glossary_behind_a_link_is_one_problem(project, tmp_path):
    outside = tmp_path / "glossary.yml"
    project.path("glossary.yml").rename(outside)
    project.path("glossary.yml").symlink_to(outside)
    result = project.run("validate")
    assert_one_refusal(result, "glossary.yml", "outside the project")


# -- file name endings --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["nurse.YAML", "nurse.yaml", "nurse.YML", "nurse.Yml", "nurse.yAmL"])
def test_sources_ending_in_yml_or_yaml_in_any_capitals_are_read(project, name):
    project.write(f"roles/{name}", ROLE.replace("dsl-role", "school-nurse"))
    result = project.run("validate")
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    library, _ = project.library()
    assert library.entries["school-nurse"].doc.path == f"roles/{name}"


def test_an_upper_case_source_with_an_error_is_reported_at_its_line(project):
    project.write("roles/NURSE.YAML", ROLE.replace("dsl-role", "school-nurse").replace("also_known_as", "also_knwn_as"))
    result = project.run("validate")
    assert result.returncode == 1
    [line] = problem_lines(result)
    assert line.startswith(f"roles/NURSE.YAML:{ROLE.splitlines().index('also_known_as: [Safeguarding lead]') + 1}:1: ")


def test_hidden_files_and_other_endings_are_not_sources(project):
    project.write("roles/.draft.yml", "not: [valid\n")
    project.write("roles/notes.txt", "not: [valid\n")
    project.write("roles/backup.yml~", "not: [valid\n")
    assert project.run("validate").returncode == 0


# -- nothing can be swapped in between listing and reading --------------------------------------------

def test_a_file_replaced_by_a_link_after_listing_is_refused(project, tmp_path):
    secret = tmp_path / "token.txt"
    secret.write_text(f"title: {SECRET}\n", encoding="utf-8")
    listed = {s.display: s for s in source_files(project.root)}
    source = listed["roles/dsl-role.yml"]
    source.path.unlink()
    source.path.symlink_to(secret)
    with pytest.raises(LoadError) as info:
        read_source(source.path, source.display, root=project.root, identity=source.identity)
    assert "outside the project" in info.value.problem.message
    assert_no_run_of(SECRET, info.value.problem.format())


def test_a_file_replaced_by_another_file_after_listing_is_refused(project):
    listed = {s.display: s for s in source_files(project.root)}
    source = listed["roles/dsl-role.yml"]
    swapped = source.path.with_name("swapped.tmp")  # made while the old file exists: another inode
    swapped.write_text(source.path.read_text(encoding="utf-8"), encoding="utf-8")
    os.replace(swapped, source.path)
    with pytest.raises(LoadError) as info:
        read_source(source.path, source.display, root=project.root, identity=source.identity)
    assert info.value.problem.message == "this file was replaced while essw was reading the sources"


def test_sources_are_listed_in_path_order(project):
    project.write("roles/a/z.yml", ROLE.replace("dsl-role", "a-z"))
    project.write("roles/a-b.yml", ROLE.replace("dsl-role", "a-b"))
    names = [s.display for s in source_files(project.root) if s.kind.name == "role"]
    assert names == ["roles/a/z.yml", "roles/a-b.yml", "roles/dsl-role.yml"]


# -- messages quote only a short excerpt of the author's own text ---------------------------------------

def _quoted_runs(message: str) -> list[str]:
    return re.findall(r"'([^']*)'", message)


@pytest.mark.parametrize("text", [
    pytest.param("title: x\n" + "k" * 500 + ": 1\n" + "k" * 500 + ": 2\n", id="duplicate-long-key"),
    pytest.param("title: x\nsummary: !" + "t" * 500 + " x\n", id="long-tag"),
    pytest.param("title: x\nsummary: \"" + "\\q" + "e" * 500 + "\"\n", id="bad-escape"),
    pytest.param("%" + "D" * 500 + " x\n---\ntitle: x\n", id="long-directive"),
])
def test_yaml_errors_quote_at_most_a_short_excerpt(text):
    with pytest.raises(LoadError) as info:
        load_text(text, "f.yml")
    problem = info.value.problem
    for run in _quoted_runs(problem.message):
        assert len(run) <= EXCERPT, problem.message
    assert len(problem.format()) < 400, problem.format()


def test_schema_messages_quote_at_most_a_short_excerpt(project):
    project.replace("scenarios/first-day.yml", "spectrum: early-intervention", "spectrum: " + "x" * 300)
    project.replace("roles/dsl-role.yml", "also_known_as:", "z" * 300 + ": 1\nalso_known_as:")
    _, report = project.library()
    assert len(report.problems) == 2, [p.format() for p in report.problems]
    for problem in report.problems:
        assert all(len(run) <= EXCERPT for run in _quoted_runs(problem.message)), problem.message
        assert "x" * EXCERPT not in problem.message and "z" * EXCERPT not in problem.message
