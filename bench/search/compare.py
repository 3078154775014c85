"""Compare the site's own Material search with Pagefind: answer quality, bytes, time.

    .venv/bin/python bench/search/compare.py SITE                       # a built site folder
    .venv/bin/python bench/search/compare.py SITE --big-site SITE1000   # plus a large site (cost only)
    .venv/bin/python bench/search/compare.py SITE --cases 1000          # make and build the large site

For the site (and, with --big-site or --cases, a large one) it

1. copies the site to a work folder and runs `python -m pagefind --site COPY --output-subdir pagefind`
   once per variant (default indexing; `--root-selector article`, Material's content element),
   timing each index build;
2. serves the copy over HTTP with gzip (level 6) for text responses, counting the bytes it sends;
3. quality (the first site only): types every query of tests/search_queries.yml into Material's
   search box (reloading the home page between queries) and asks Pagefind the same query through
   its JS API on the served home page; a query is answered when one of the top 3 result
   addresses contains one of the expected names;
4. cost: in a fresh browser context (empty cache) opens the home page, then as soon as it has
   loaded looks for "consent"; records the bytes sent from opening the page to the first results
   and the time to them, without throttling and with CDP throttling (1.6 Mbps down, 750 Kbps up,
   150 ms latency). For Pagefind, Material's search worker and index are blocked (the page as it
   would be with Pagefind instead of Material's search).

Nothing in the repository is changed. Results: Markdown on stdout, JSON in --out (default
bench/search/results.json). See bench/search/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
import run as benchrun  # noqa: E402  bench/run.py: make_project (synthetic cases), gz, machine

QUERIES = REPO / "tests" / "search_queries.yml"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
THROTTLE = {"offline": False, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8, "latency": 150}
VARIANTS = {"default": [], "article": ["--root-selector", "article"]}
COST_QUERY = "consent"
GZIP_TYPES = (".html", ".js", ".mjs", ".css", ".json", ".svg", ".xml", ".txt", ".map")
# Material's search: blocked when measuring Pagefind (the page as it would be without it)
MATERIAL_SEARCH = re.compile(r"/search/search_index\.(json|js)$|/assets/javascripts/workers/search\.[^/]*\.js$")


# -- serving ----------------------------------------------------------------------------------------
class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.bytes = 0
            self.files: dict[str, int] = {}

    def add(self, path: str, n: int) -> None:
        with self.lock:
            self.bytes += n
            self.files[path] = self.files.get(path, 0) + n


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text types gzip-compressed (level 6, as web servers do). Pagefind's own files
    (.pf_*, .pagefind) are already compressed by Pagefind and are sent as they are."""

    protocol_version = "HTTP/1.1"
    counter: Counter
    cache: dict[tuple, bytes]

    def log_message(self, *a):  # noqa: ANN002
        pass

    def do_GET(self):  # noqa: N802
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            self.send_error(404)
            return
        data = Path(path).read_bytes()
        ctype = self.guess_type(path)
        if path.endswith(".mjs"):
            ctype = "text/javascript"
        compress = path.endswith(GZIP_TYPES) and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            st = os.stat(path)
            key = (path, st.st_mtime_ns, st.st_size)  # Pagefind rewrites its bundle per variant
            if key not in self.cache:
                self.cache[key] = gzip.compress(data, compresslevel=6, mtime=0)
            data = self.cache[key]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(data)
        self.counter.add(self.path.split("?")[0], len(data))


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str, Counter]:
    counter = Counter()
    handler = type("H", (GzipHandler,), {"counter": counter, "cache": {}})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/", counter


# -- Pagefind ---------------------------------------------------------------------------------------
def pagefind_index(site: Path, extra: list[str]) -> dict:
    rm(site / "pagefind")
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", *extra]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    pages = re.search(r"Indexed (\d+) pages?", out.stdout)
    words = re.search(r"Indexed (\d+) words?", out.stdout)
    size, files = benchrun.tree_size(site / "pagefind")
    return {"seconds": wall, "args": extra, "pages": int(pages.group(1)) if pages else None,
            "words": int(words.group(1)) if words else None, "bundle_bytes": size, "bundle_files": files}


PF_SEARCH = """async (q) => {
  if (!window.__pf) { window.__pf = await import('/pagefind/pagefind.js'); await window.__pf.init(); }
  const r = await window.__pf.search(q);
  const top = await Promise.all(r.results.slice(0, 3).map(x => x.data()));
  return top.map(d => d.url);
}"""


# -- quality ----------------------------------------------------------------------------------------
def queries() -> list[dict]:
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return [dict(q, group=g) for g, items in data.items() for q in items]


def answered(q: dict, links: list[str]) -> bool:
    return any(e in link for link in links[:3] for e in q["expect"])


def material_search(pg, url: str, q: str, timeout: float = 20000) -> list[str]:
    pg.goto(url + "index.html")
    box = pg.locator("input.md-search__input")
    box.click()
    box.press_sequentially(q, delay=10)
    pg.wait_for_function("""(q) => { const m = document.querySelector('.md-search-result__meta');
        const box = document.querySelector('input.md-search__input');
        return m && box.value === q && !/Initializing|Type to start/.test(m.textContent); }""",
                         arg=q, timeout=timeout)
    pg.wait_for_timeout(200)  # the result list follows the meta line
    return pg.eval_on_selector_all(".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)")[:3]


def quality(browser, url: str, variants: dict[str, Path] | None, site: Path) -> dict:
    qs = queries()
    out: dict[str, dict] = {}
    pg = browser.new_page()
    hits, misses = 0, []
    for q in qs:
        links = [strip(u, url) for u in material_search(pg, url, q["q"])]
        if answered(q, links):
            hits += 1
        else:
            misses.append({"q": q["q"], "expect": q["expect"], "top": links})
    out["material"] = {"score": hits, "of": len(qs), "misses": misses}
    pg.close()
    for name, extra in VARIANTS.items():
        pagefind_index(site, extra)
        pg = browser.new_page()
        pg.goto(url + "index.html")
        hits, misses = 0, []
        for q in qs:
            links = [strip(u, url) for u in pg.evaluate(PF_SEARCH, q["q"])]
            if answered(q, links):
                hits += 1
            else:
                misses.append({"q": q["q"], "expect": q["expect"], "top": links})
        out[f"pagefind-{name}"] = {"score": hits, "of": len(qs), "misses": misses, "args": extra}
        pg.close()
    return out


def strip(u: str, url: str) -> str:
    return u.replace(url, "/").split("?")[0].split("#")[0]


# -- cost -------------------------------------------------------------------------------------------
def cost(browser, url: str, counter: Counter, engine: str, throttle: bool, timeout: float = 300000) -> dict:
    ctx = browser.new_context()  # empty cache
    pg = ctx.new_page()
    if engine == "pagefind":
        pg.route(MATERIAL_SEARCH, lambda route: route.abort())
    cdp = ctx.new_cdp_session(pg)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttle:
        cdp.send("Network.emulateNetworkConditions", THROTTLE)
    counter.reset()
    t0 = time.perf_counter()
    pg.goto(url + "index.html", wait_until="load", timeout=timeout)
    t_load = time.perf_counter() - t0
    if engine == "material":
        box = pg.locator("input.md-search__input")
        box.click()
        box.press_sequentially(COST_QUERY, delay=10)
        pg.wait_for_function("""(q) => { const m = document.querySelector('.md-search-result__meta');
            return m && !/Initializing|Type to start/.test(m.textContent)
                && document.querySelector('.md-search-result__item > a.md-search-result__link'); }""",
                             arg=COST_QUERY, timeout=timeout)
        top = pg.eval_on_selector_all(".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)")[:3]
    else:
        top = pg.evaluate(PF_SEARCH, COST_QUERY)
    t = time.perf_counter() - t0
    pg.wait_for_timeout(300)  # let the last responses finish counting
    files = dict(counter.files)
    total = counter.bytes
    ctx.close()
    search_bytes = sum(n for f, n in files.items() if "/pagefind/" in f or MATERIAL_SEARCH.search(f))
    return {"engine": engine, "throttled": throttle, "seconds": t, "load_seconds": t_load, "bytes": total,
            "search_bytes": search_bytes, "requests": len(files), "top": [strip(u, url) for u in top],
            "files": files}


# -- sites ------------------------------------------------------------------------------------------
def material_index(site: Path) -> dict:
    p = site / "search" / "search_index.json"
    raw = p.read_bytes()
    return {"raw": len(raw), "gz": benchrun.gz(raw), "docs": len(json.loads(raw)["docs"])}


def make_big_site(n: int, work: Path) -> Path:
    root = work / f"n{n}"
    benchrun.rm(root)
    say(f"making a project with {n} synthetic case studies (bench/synth.py)")
    benchrun.make_project(root, n, max(1, n // 10), seed=1)
    say("essw build --no-packs")
    benchrun.run(benchrun.essw("build", "--no-packs", "--site-dir", str(work / f"site{n}")), root,
                 log=work / f"build{n}.log")
    return work / f"site{n}"


def bench_site(label: str, site: Path, work: Path, *, do_quality: bool, cost_variant: str, repeat: int) -> dict:
    copy = work / f"copy-{label}"
    benchrun.rm(copy)
    say(f"{label}: copying {site}")
    shutil.copytree(site, copy)
    cases = len(list((copy / "library" / "case-studies").glob("*.html")))
    res: dict = {"label": label, "site": str(site), "case_pages": cases, "site_bytes": benchrun.tree_size(copy)[0],
                 "material_index": material_index(copy), "pagefind_index": {}}
    srv, url, counter = serve(copy)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            if do_quality:
                say(f"{label}: quality ({len(queries())} queries x {1 + len(VARIANTS)} engines)")
                res["quality"] = quality(browser, url, VARIANTS, copy)
            for name, extra in VARIANTS.items():
                if name == cost_variant or do_quality:
                    say(f"{label}: pagefind index ({name})")
                    res["pagefind_index"][name] = pagefind_index(copy, extra)
            pagefind_index(copy, VARIANTS[cost_variant])  # the bundle the cost runs use
            res["cost_variant"] = cost_variant
            res["cost"] = []
            for throttle in (False, True):
                for engine in ("material", "pagefind"):
                    for rep in range(repeat):
                        say(f"{label}: cost {engine} {'throttled' if throttle else 'unthrottled'} {rep + 1}/{repeat}")
                        res["cost"].append(cost(browser, url, counter, engine, throttle))
            browser.close()
    finally:
        srv.shutdown()
    return res


# -- report -----------------------------------------------------------------------------------------
def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def median(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2]


def report(results: list[dict], mach: dict) -> str:
    lines = [f"Machine: {mach['nproc']} cores ({mach['cpu']}), load average {mach['loadavg']} "
             f"(before) / {mach.get('loadavg_after', '?')} (after), {mach['date']}; Pagefind {mach['pagefind']}, "
             f"mkdocs-material {mach['mkdocs-material']}, Chromium {mach.get('chromium', '?')}.", ""]
    q = next((r["quality"] for r in results if "quality" in r), None)
    if q:
        lines += ["| engine | answered (top 3) |", "| --- | --- |"]
        for name, v in q.items():
            lines.append(f"| {name} | {v['score']}/{v['of']} |")
        lines.append("")
    lines += ["| site | engine | index (build) | first search: bytes sent (gzip) | of which search | "
              "time to results, unthrottled | throttled (1.6 Mbps/150 ms) |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        mi, pv = r["material_index"], r["pagefind_index"][r["cost_variant"]]
        for engine in ("material", "pagefind"):
            rows = [c for c in r["cost"] if c["engine"] == engine]
            un = [c for c in rows if not c["throttled"]]
            th = [c for c in rows if c["throttled"]]
            if engine == "material":
                idx = f"search_index.json {kb(mi['raw'])} raw, {kb(mi['gz'])} gzip"
            else:
                idx = f"{pv['bundle_files']} files, {kb(pv['bundle_bytes'])}; built in {pv['seconds']:.1f} s"
            lines.append(f"| {r['label']} ({r['case_pages']} case pages) | {engine} | {idx} | "
                         f"{kb(median([c['bytes'] for c in th]))} | {kb(median([c['search_bytes'] for c in th]))} | "
                         f"{median([c['seconds'] for c in un]):.2f} s | {median([c['seconds'] for c in th]):.1f} s |")
    if q:
        for name, v in q.items():
            lines += ["", f"Misses, {name}:", ""]
            lines += [f"- `{m['q']}` (want {', '.join(m['expect'])}): {', '.join(m['top']) or 'no results'}"
                      for m in v["misses"]]
    return "\n".join(lines) + "\n"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rm(path: Path) -> None:
    benchrun.rm(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, help="a built site folder (essw build --no-packs --site-dir DIR)")
    ap.add_argument("--big-site", type=Path, help="a second, large built site (cost only)")
    ap.add_argument("--cases", type=int, help="make and build a large site with this many synthetic case studies")
    ap.add_argument("--variant", default="article", choices=list(VARIANTS), help="Pagefind bundle for the cost runs")
    ap.add_argument("--repeat", type=int, default=1, help="cost runs per engine and throttling (median)")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--workdir", type=Path, help="work folder (default: a temporary one, removed)")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    a = ap.parse_args()
    from importlib.metadata import version
    mach = {**benchrun.machine(), "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "pagefind": version("pagefind-bin")}
    try:
        mach["chromium"] = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.split()[1]
    except Exception:  # noqa: BLE001
        pass
    work = a.workdir or Path(tempfile.mkdtemp(prefix="essw-search-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench_site("real", a.site, work, do_quality=not a.no_quality, cost_variant=a.variant, repeat=a.repeat)]
        big = a.big_site or (make_big_site(a.cases, work) if a.cases else None)
        if big:
            results.append(bench_site("large", big, work, do_quality=False, cost_variant=a.variant, repeat=a.repeat))
    finally:
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for r in ("copy-real", "copy-large"):
                rm(work / r)
    mach["loadavg_after"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    a.out.write_text(json.dumps({"machine": mach, "results": results}, indent=1) + "\n")
    print(report(results, mach))


if __name__ == "__main__":
    main()
