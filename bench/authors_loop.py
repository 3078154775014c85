"""The authors' loop (issue 11), measured on the real project plus copies of its real case studies.

    .venv/bin/python bench/authors_loop.py                 # 300 case studies, 3 edits
    .venv/bin/python bench/authors_loop.py --cases 300 --edits 5 --full

What an author does: run ``essw serve``, open the site, edit a case study and save, and look at
the page again. Recorded, in a temporary copy of the project (never the repository):

- **first page**: from starting ``essw serve`` to the home page answering: the very first time (the
  project never generated, no preview folder: every page is built) and the next time (the preview
  kept from the first run; the sources generated again, as after ``make site``);
- **edit to page**: from saving a change to one case study's YAML to the served page showing it;
- **rebuilds per save**: how many builds MkDocs ran for one save (it should be one);
- ``essw validate`` on the whole project, as a command.

``--full`` measures ``essw serve --full`` (every page built again after each save) instead of the
default dirty rebuild. Results: Markdown on stdout, JSON in --out (default bench/results/authors-loop.json).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import copy_project  # noqa: E402
import run as benchrun  # noqa: E402  machine description

ESSW = str(REPO / ".venv" / "bin" / "essw")
TARGETS = {"first_page_s": 15.0, "edit_to_page_s": 5.0, "rebuilds_per_save": 1}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_until(condition, timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def builds(log: Path) -> int:
    return len(re.findall(r"Building documentation", log.read_text(encoding="utf-8", errors="replace")))


def serve_once(root: Path, full: bool, edits: int, case_file: Path, case_id: str) -> dict:
    port = free_port()
    log = root.parent / f"serve-{port}.log"
    args = [ESSW, "--root", str(root), "serve", "--dev-addr", f"127.0.0.1:{port}"] + (["--full"] if full else [])
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            first = wait_until(lambda: get(f"http://127.0.0.1:{port}/") is not None, 600)
            if first is None:
                raise SystemExit(f"essw serve did not answer:\n{log.read_text()[-3000:]}")
            result: dict = {"first_page_s": time.perf_counter() - start, "edits": []}
            page = f"http://127.0.0.1:{port}/library/case-studies/{case_id}.html"  # use_directory_urls: false
            for n in range(edits):
                time.sleep(2)  # quiet before the save
                before = builds(log)
                word = f"Loopmarker{n}x{port}"
                text = case_file.read_text(encoding="utf-8")
                text = re.sub(r"^(summary: *\|\n {2}\S[^\n]*)", lambda m: m.group(1) + f" {word}", text, count=1,
                              flags=re.M)
                assert word in text, "the case's summary is not a '|' block"
                case_file.write_text(text, encoding="utf-8")
                took = wait_until(lambda: word in (get(page) or ""), 600)
                time.sleep(4)  # a second build set off by the first would have started by now
                result["edits"].append({"edit_to_page_s": took, "rebuilds": builds(log) - before})
            return result
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def markdown(result: dict) -> str:
    mode = "essw serve --full" if result["full"] else "essw serve (dirty rebuilds, the default)"
    edits = result["warm"]["edits"]
    edit_times = [e["edit_to_page_s"] for e in edits if e["edit_to_page_s"] is not None]
    rows = [
        ("first page, next start (the preview kept)", f"{result['warm']['first_page_s']:.1f} s",
         f"under {TARGETS['first_page_s']:.0f} s"),
        ("first page, very first start (never generated, no preview)", f"{result['cold']['first_page_s']:.1f} s",
         "(builds every page once)"),
        ("save to page (median of {})".format(len(edit_times)),
         f"{statistics.median(edit_times):.1f} s" if edit_times else "never", f"under {TARGETS['edit_to_page_s']:.0f} s"),
        ("rebuilds per save", ", ".join(str(e["rebuilds"]) for e in edits), "1"),
        ("essw validate (command)", f"{result['validate_s']:.1f} s", ""),
    ]
    m = result["machine"]
    where = f"{m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB, load {result['load']:.1f} at the start"
    lines = [f"Authors' loop at {result['cases']} case studies ({mode}); {where}:", "",
             "| step | measured | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300, help="case studies in all (real ones plus copies)")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="measure 'essw serve --full'")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "authors-loop.json")
    parser.add_argument("--report", type=Path, help="print the table of an earlier run's JSON and stop")
    args = parser.parse_args(argv)
    if args.report:
        print(markdown(json.loads(args.report.read_text(encoding="utf-8"))))
        return 0
    real = len(list((REPO / "scenarios").glob("*.yml")))
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="essw-loop-") as tmp:
        root = Path(tmp) / "project"
        cases = copy_project(root, max(0, args.cases - real))
        case_file = sorted((root / "scenarios").glob("*-copy-*.yml"))[0] if cases > real else root / "scenarios" / "abdi.yml"
        case_id = re.search(r"^id: *(\S+)", case_file.read_text(encoding="utf-8"), re.M).group(1)
        cold = serve_once(root, args.full, 0, case_file, case_id)
        subprocess.run([ESSW, "--root", str(root), "generate", "--no-packs"], check=True, capture_output=True)
        warm = serve_once(root, args.full, args.edits, case_file, case_id)
        validate = timed([ESSW, "--root", str(root), "validate"], root)
    result = {"cases": cases, "full": args.full, "machine": benchrun.machine(), "load": load, "cold": cold, "warm": warm,
              "validate_s": validate, "targets": TARGETS}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
