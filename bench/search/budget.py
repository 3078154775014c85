"""The search budgets of issue 12, measured on the site as it is built (Pagefind when served).

    .venv/bin/python bench/search/budget.py                     # the real site and a 1,000-case copy
    .venv/bin/python bench/search/budget.py --cases 300 --repeat 3

Corpus: the repository's own project, plus N case studies made by copying the real ones in
``scenarios/`` (round robin, each with a new id and a numbered title), so pages, words and index
chunks are those readers meet, only more of them. Both sites are built with ``essw build --no-packs``
(the build time includes both search indexes; the indexing step is also timed on its own).

For each site, in a fresh Chromium context (empty cache), served with gzip (level 6) for text, as a
reader would: open the home page; press the Search button; type the query at five keys a second;
press Enter. Recorded: every byte the server sent from opening the page to the first results, the
time from Enter to the results, and the time from opening the page to the results, without
throttling and on a phone connection (CDP: 1.6 Mbps down, 750 Kbps up, 150 ms latency).

Budgets: at most 150 KB (gzip) from opening the home page to the first results at 1,000 case
studies; results within 1 s of Enter on the throttled connection for the real site.
Results: Markdown on stdout, JSON in --out (default bench/search/budget.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import compare  # noqa: E402  the counting gzip server and the throttle
from corpus import copy_project  # noqa: E402  the real project plus copies of its cases
import run as benchrun  # noqa: E402  machine description, file lists

sys.path.insert(0, str(REPO))
from essw.search import index_site  # noqa: E402

QUERY = "consent"
BYTES_BUDGET = 150 * 1024
SECONDS_BUDGET = 1.0
KEY_DELAY_MS = 200
SEARCH_FILES = ("/pagefind/", "/search/")
"""What searching costs on top of the page itself: Pagefind's bundle and index, the near-miss words."""


def build(root: Path, site: Path) -> dict:
    t = time.perf_counter()
    result = subprocess.run([str(REPO / ".venv" / "bin" / "essw"), "--root", str(root), "build", "--no-packs",
                             "--site-dir", str(site)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    # the search step alone, on a copy without its indexes
    probe = site.parent / "index-probe"
    shutil.copytree(site, probe, ignore=shutil.ignore_patterns("pagefind"))
    t = time.perf_counter()
    index_site(probe)
    index_wall = time.perf_counter() - t
    size, files = benchrun.tree_size(site / "pagefind")
    offline = (site / "search" / "essw-offline-index.js").stat().st_size
    shutil.rmtree(probe)
    pages = sum(1 for _ in site.rglob("*.html"))
    # the build ratio with the search counted: the same generated Markdown built by plain MkDocs
    plain = root.parent / "plain"
    benchrun.make_plain_project(root, plain)
    t = time.perf_counter()
    subprocess.run(benchrun.mkdocs("build", "--quiet", "--site-dir", str(plain / "site")), cwd=plain, check=True,
                   capture_output=True)
    plain_wall = time.perf_counter() - t
    shutil.rmtree(plain)
    return {"build_seconds": wall, "plain_build_seconds": plain_wall, "index_seconds": index_wall, "pages": pages,
            "pagefind_bytes": size, "pagefind_files": files, "offline_index_bytes": offline}


def one_search(browser, url: str, counter, throttled: bool) -> dict:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(url) else None)
    if throttled:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", compare.THROTTLE)
    counter.reset()
    start = time.perf_counter()
    page.goto(url + "index.html", wait_until="load")
    loaded = time.perf_counter() - start
    page.locator(".essw-search__open").tap()
    field = page.locator("#essw-search-input")
    field.press_sequentially(QUERY, delay=KEY_DELAY_MS)
    enter = time.perf_counter()
    field.press("Enter")
    page.wait_for_function("document.querySelector('[data-essw-search]').dataset.esswSearchState === 'done'",
                           timeout=300_000)
    done = time.perf_counter()
    found = page.locator(".essw-search__link").count()
    files = dict(counter.files)
    sent = counter.bytes
    engine = page.locator("[data-essw-search]").get_attribute("data-essw-search-engine")
    context.close()
    search = sum(n for path, n in files.items() if path.startswith(SEARCH_FILES))
    return {"throttled": throttled, "bytes": sent, "search_bytes": search, "files": files, "results": found, "engine": engine,
            "load_seconds": loaded, "enter_to_results": done - enter, "open_to_results": done - start,
            "outside_requests": outside}


def measure(label: str, site: Path, cases: int, built: dict, repeat: int) -> dict:
    srv, url, counter = compare.serve(site)
    runs = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=compare.CHROMIUM, args=["--headless", *compare.ARGS])
            for throttled in (False, True):
                for _ in range(repeat):
                    runs.append(one_search(browser, url, counter, throttled))
            browser.close()
    finally:
        srv.shutdown()

    def median(key: str, throttled: bool) -> float:
        return statistics.median(r[key] for r in runs if r["throttled"] == throttled)

    return {"site": label, "cases": cases, **built, "runs": runs,
            "bytes": median("bytes", True), "search_bytes": median("search_bytes", True),
            "enter_to_results": median("enter_to_results", False),
            "enter_to_results_throttled": median("enter_to_results", True),
            "open_to_results": median("open_to_results", False),
            "open_to_results_throttled": median("open_to_results", True)}


def verdicts(real: dict, big: dict) -> list[tuple[str, bool]]:
    sites = [real, big]
    return [
        (f"at most {BYTES_BUDGET // 1024} KB from opening the home page to the first results at {big['cases']} cases "
         f"({big['bytes'] / 1024:.0f} KB)", big["bytes"] <= BYTES_BUDGET),
        (f"the search's own part of that (Pagefind and the near-miss words) at most {BYTES_BUDGET // 1024} KB "
         f"({big['search_bytes'] / 1024:.0f} KB)", big["search_bytes"] <= BYTES_BUDGET),
        (f"results within {SECONDS_BUDGET:.0f} s of Enter on 1.6 Mbps / 150 ms, real site "
         f"({real['enter_to_results_throttled']:.2f} s)", real["enter_to_results_throttled"] <= SECONDS_BUDGET),
        ("no request to another host", not any(r["outside_requests"] for s in sites for r in s["runs"])),
        ("every run used Pagefind and found results",
         all(r["engine"] == "pagefind" and r["results"] > 0 for s in sites for r in s["runs"])),
    ]


def plain_cell(site: dict) -> str:
    plain = site.get("plain_build_seconds")
    return f"{plain:.1f}, {site['build_seconds'] / plain:.2f}" if plain else "not measured"


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB, {m['os']}; load average "
             f"{result['load_before']} before and {result['load_after']} after. Chromium headless, query "
             f"\"{QUERY}\" typed at {1000 // KEY_DELAY_MS} keys a second on a 375 px phone viewport, "
             f"median of {result['repeat']} runs each. {result['date']}.", "",
             "| site | pages | `essw build` (s) | of which search index (s) | plain `mkdocs build` (s), ratio | Pagefind bundle | folder-copy index | bytes to first results (gzip) | of which search | Enter to results | Enter to results, 1.6 Mbps / 150 ms | page open to results, throttled |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in result["sites"]:
        lines.append(f"| {s['site']} ({s['cases']} cases) | {s['pages']:,} | {s['build_seconds']:.1f} | "
                     f"{s['index_seconds']:.1f} | {plain_cell(s)} | {s['pagefind_files']:,} files, {s['pagefind_bytes'] / 1e6:.1f} MB | "
                     f"{s['offline_index_bytes'] / 1e6:.1f} MB | {s['bytes'] / 1024:.0f} KB | {s['search_bytes'] / 1024:.0f} KB | "
                     f"{s['enter_to_results']:.2f} s | {s['enter_to_results_throttled']:.2f} s | "
                     f"{s['open_to_results_throttled']:.1f} s |")
    lines.append("")
    for name, ok in result["verdicts"]:
        lines.append(f"- {'PASS' if ok else 'FAIL'}: {name}")
    big = result["sites"][-1]
    run = next(r for r in big["runs"] if r["throttled"])
    lines += ["", f"What the {big['cases']}-case site sent for one search (first throttled run, bytes on the wire):", ""]
    for path, n in sorted(run["files"].items(), key=lambda kv: -kv[1]):
        lines.append(f"- `{path}`: {n / 1024:.1f} KB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="case studies in the large site (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per site and network (median)")
    parser.add_argument("--workdir", type=Path, help="keep the work folder here")
    parser.add_argument("--out", type=Path, default=HERE / "budget.json")
    parser.add_argument("--report", type=Path, help="only print the report of a saved JSON result")
    args = parser.parse_args(argv)
    if args.report:
        result = json.loads(args.report.read_text(encoding="utf-8"))
        for site in result["sites"]:  # results saved before the search's own bytes were counted
            for run in site["runs"]:
                run.setdefault("search_bytes", sum(n for p, n in run["files"].items() if p.startswith(SEARCH_FILES)))
            site.setdefault("search_bytes", statistics.median(r["search_bytes"] for r in site["runs"] if r["throttled"]))
        result["verdicts"] = verdicts(*result["sites"])
        print(markdown(result))
        return 0 if all(ok for _, ok in result["verdicts"]) else 1
    work = args.workdir or Path(tempfile.mkdtemp(prefix="essw-search-budget-"))
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    sites = []
    for label, extra in (("real", 0), ("copies", args.cases - len(list((REPO / "scenarios").glob("*.yml"))))):
        root = work / label / "project"
        if root.exists():
            shutil.rmtree(root.parent)
        cases = copy_project(root, max(extra, 0))
        benchrun.say(f"building the {label} site ({cases} cases)")
        built = build(root, root.parent / "site")
        benchrun.say(f"measuring the {label} site")
        sites.append(measure(label, root.parent / "site", cases, built, args.repeat))
    verdicts_now = verdicts(*sites)
    result = {"date": dt.date.today().isoformat(), "machine": benchrun.machine(), "repeat": args.repeat,
              "load_before": load_before, "load_after": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
              "sites": sites, "verdicts": verdicts_now}
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(markdown(result))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(ok for _, ok in verdicts_now) else 1


if __name__ == "__main__":
    raise SystemExit(main())
