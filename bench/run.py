"""Benchmark the site build at 100, 1,000 and 3,000 synthetic case studies.

    .venv/bin/python bench/run.py [--sizes 100 1000 3000] [--repeat 3] [--repeat-at 3000=1] [--packs]

For each size N it makes a temporary project (the repository's settings, theme overrides, macros,
hand-written pages and its own sources, plus N synthetic case studies and N/10 protocols from
bench/synth.py), checks that it validates, then times, with several repetitions (median):

- ours:  `essw build --no-packs` from a clean state (validate + generate + `mkdocs build --strict`);
- plain: `mkdocs build --strict` of the same generated Markdown in a second project whose
         mkdocs.yml has the `essw` plugin removed: the floor our generator adds to;
- gen:   `essw generate --no-packs` alone (validate + write docs/library), for the breakdown;
- packs: with --packs, `essw build` with the PDF packs, from a clean state (reported separately).

It also records peak memory (the largest resident set of the process tree, from wait4), the size
of site/, the search index (raw and gzip), the weight of one case-study page beyond the shared
theme assets, and the gzip size of the case engine script. Results are printed as Markdown and
written to bench/results/ (latest.md, latest.json). See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, unquote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from essw.kinds import KINDS  # noqa: E402

GZIP_LEVEL = 6  # what web servers use by default (nginx gzip_comp_level 1..9; Apache/Caddy ~6)
SOURCE_DIRS = [k.folder for k in KINDS.values() if not k.single_page]
SOURCE_FILES = [k.folder for k in KINDS.values() if k.single_page]
"""Every source the registry knows (essw/kinds.py): folders of items, and the glossary and register files."""
PROJECT_FILES = ["mkdocs.yml", "overrides", "macros"]
BASE_CASES = len(list((REPO / "scenarios").glob("*.yml")))
TARGETS = {"ratio_at": 1000, "ratio": 1.15, "page_kb": 150, "engine_gz_kb": 15, "linear_tolerance": 1.3}


# -- running things ---------------------------------------------------------------------------------
def run(cmd: list[str], cwd: Path, *, env: dict[str, str] | None = None, log: Path | None = None) -> dict:
    """Run a command; return wall time, CPU time and peak RSS of its whole process tree.

    os.wait4 gives the rusage of this child including its waited-for descendants, so ru_maxrss is
    the largest resident set of any process in the tree (e.g. the mkdocs child of `essw build`).
    """
    out = open(log, "w") if log else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT if log else subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            out.close()
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log else ""
        raise RuntimeError(f"{' '.join(cmd)} failed with exit code {proc.returncode} in {cwd}\n{tail}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


def essw(*args: str) -> list[str]:
    exe = Path(sys.executable).with_name("essw")
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "essw", *args]


def mkdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def rm(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# -- projects ---------------------------------------------------------------------------------------
def hand_written_docs(src: Path, dst: Path) -> None:
    """docs/ without the generated docs/library/."""
    dst.mkdir(parents=True, exist_ok=True)
    for item in src.iterdir():
        if item.name == "library":
            continue
        if item.is_dir():
            shutil.copytree(item, dst / item.name)
        else:
            shutil.copy2(item, dst / item.name)


CORPUS = "synthetic"
"""'synthetic' (bench/synth.py's Markov text) or 'copies' (copies of the real case studies, bench/corpus.py)."""


def make_project(root: Path, n_cases: int, n_policies: int, seed: int) -> dict:
    if CORPUS == "copies":
        from corpus import copy_project

        copy_project(root, n_cases)
        made = {"cases": n_cases, "policies": 0}
    else:
        root.mkdir(parents=True)
        for name in PROJECT_FILES + SOURCE_DIRS + SOURCE_FILES:
            src = REPO / name
            if src.is_dir():
                shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
            elif src.exists():
                shutil.copy2(src, root / name)
        hand_written_docs(REPO / "docs", root / "docs")
        made = synth.write_sources(root, REPO, n_cases, n_policies, seed=seed)
    # The shipped example contacts make 'essw validate' warn; a benchmark measures the build, not them.
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^  example_contacts: true\n", "", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    return made


def without_essw_plugin(config: str) -> str:
    """mkdocs.yml with the `- essw` entry removed from the plugins list (nothing else changes)."""
    lines = config.splitlines(keepends=True)
    out, in_plugins = [], False
    for line in lines:
        if re.match(r"^plugins:\s*$", line):
            in_plugins = True
        elif in_plugins and re.match(r"^\S", line):
            in_plugins = False
        if in_plugins and re.match(r"^\s*-\s*essw\b", line):
            continue
        out.append(line)
    text = "".join(out)
    if re.search(r"^\s*-\s*essw\b", text, re.M):
        raise RuntimeError("could not remove the essw plugin from mkdocs.yml")
    return text


def make_plain_project(ours: Path, plain: Path) -> None:
    """The generated Markdown with the same theme, settings and macros, but no essw plugin."""
    rm(plain)
    plain.mkdir(parents=True)
    for name in ("overrides", "macros"):
        shutil.copytree(ours / name, plain / name)
    (plain / "mkdocs.yml").write_text(without_essw_plugin((ours / "mkdocs.yml").read_text(encoding="utf-8")),
                                      encoding="utf-8")
    shutil.copytree(ours / "docs", plain / "docs")


# -- measuring output -------------------------------------------------------------------------------
def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def tree_size(path: Path) -> tuple[int, int]:
    total = files = 0
    for dirpath, _, filenames in os.walk(path):
        for name in filenames:
            total += os.path.getsize(os.path.join(dirpath, name))
            files += 1
    return total, files


class _Refs(HTMLParser):
    """Resources a browser fetches when it loads a page (not links it merely points to)."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and a.get("src"):
            self.refs.append(a["src"])
        elif tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {
                "stylesheet", "icon", "preload", "modulepreload", "manifest"}:
            self.refs.append(a["href"])
        elif tag == "object" and a.get("data"):
            self.refs.append(a["data"])


def fetched(site: Path, page: Path) -> set[Path]:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    out = set()
    for ref in parser.refs:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            continue  # another host (the site loads none; a browser test enforces that)
        target = (page.parent / unquote(parts.path)).resolve()
        if target.is_file() and site.resolve() in target.parents:
            out.add(target)
    return out


def nav_bytes(html: str) -> int:
    """Bytes of the primary navigation sidebar (every page carries the whole site menu)."""
    a = html.find('<div class="md-sidebar md-sidebar--primary"')
    b = html.find('<div class="md-sidebar md-sidebar--secondary"')
    return b - a if 0 <= a < b else 0


def page_weight(site: Path, pages: list[Path]) -> dict:
    """Weight of case-study pages beyond what every page shares (median over a sample)."""
    shared = fetched(site, site / "index.html")
    shared |= {p for p in (site / "assets").rglob("*") if p.is_file()}  # Material's and the site's assets/
    shared |= {p for p in (site / "library" / "assets").rglob("*") if p.is_file()}  # the case engine
    rows = []
    for page in pages:
        data = page.read_bytes()
        own = sorted(fetched(site, page) - shared)
        text = data.decode("utf-8")
        data_case = re.search(r'data-case="([^"]*)"', text)
        rows.append({
            "page": page.relative_to(site).as_posix(),
            "html_raw": len(data), "html_gz": gz(data),
            "assets_raw": sum(p.stat().st_size for p in own), "assets_gz": sum(gz(p.read_bytes()) for p in own),
            "assets": [p.relative_to(site.resolve()).as_posix() for p in own],
            "nav_raw": nav_bytes(text),
            "data_case_raw": len(data_case.group(1)) if data_case else 0,
        })
    for r in rows:
        r["total_raw"] = r["html_raw"] + r["assets_raw"]
        r["total_gz"] = r["html_gz"] + r["assets_gz"]
    rows.sort(key=lambda r: r["total_gz"])
    median = rows[len(rows) // 2]
    shared_gz = sum(gz(p.read_bytes()) for p in fetched(site, site / "index.html"))
    return {"median": median, "max": rows[-1], "sampled": len(rows), "shared_first_visit_gz": shared_gz}


def measure_site(site: Path, n: int) -> dict:
    """The site's size, its own search (Pagefind's bundle and the folder-copy index) and one page's weight."""
    size, files = tree_size(site)
    bundle = [p for p in (site / "pagefind").rglob("*") if p.is_file() and not p.name.endswith(".gz")]
    offline = site / "search" / "essw-offline-index.js"
    raw = offline.read_bytes() if offline.exists() else b""
    pattern = "*-copy-*.html" if CORPUS == "copies" else "bench-case-*.html"
    synthetic = sorted((site / "library" / "case-studies").glob(pattern))
    step = max(1, len(synthetic) // 12)
    sample = synthetic[::step][:12]
    weight = page_weight(site, sample)
    abdi = site / "library" / "case-studies" / "abdi.html"
    weight["abdi"] = page_weight(site, [abdi])["median"] if abdi.exists() else None
    return {"site_bytes": size, "site_files": files, "pagefind_bytes": sum(p.stat().st_size for p in bundle),
            "pagefind_files": len(bundle), "offline_raw": len(raw), "offline_gz": gz(raw) if raw else 0,
            "page": weight}


# -- one size ---------------------------------------------------------------------------------------
def bench_size(n: int, repeat: int, *, work: Path, packs: bool, packs_repeat: int, seed: int,
               policy_ratio: float, resume: bool = False) -> dict:
    """Benchmark one size. Progress is saved after every run in WORKDIR/nN/state.json, so with
    --resume an interrupted benchmark carries on where it stopped instead of starting again."""
    n_policies = max(1, round(n * policy_ratio))
    base = work / f"n{n}"
    ours, plain, logs = base / "ours", base / "plain", base / "logs"
    state_file = base / "state.json"
    state = json.loads(state_file.read_text()) if resume and state_file.exists() else None
    if state and (state.get("seed"), state.get("policies")) != (seed, n_policies):
        state = None  # made with other settings: start again

    def save() -> None:
        tmp = state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1) + "\n")
        tmp.replace(state_file)

    if state is None:
        rm(base)
        logs.mkdir(parents=True)
        say(f"N={n}: writing {n} cases and {n_policies} protocols")
        t = time.perf_counter()
        made = make_project(ours, n, n_policies, seed)
        made["synth_seconds"] = time.perf_counter() - t
        sizes = sorted(synth.iter_sizes(ours))
        made["case_yaml_median_bytes"] = sizes[len(sizes) // 2] if sizes else 0
        made["sources_bytes"] = sum(tree_size(ours / d)[0] for d in SOURCE_DIRS)

        say(f"N={n}: essw validate")
        v = run(essw("validate"), ours, log=logs / "validate.log")
        text = (logs / "validate.log").read_text()
        if "All sources are valid" not in text or "warning" in text.lower():
            raise RuntimeError(f"synthetic sources are not clean:\n{text[-3000:]}")
        made["items"] = int(re.search(r"valid: (\d+) items", text).group(1))
        made["validate_seconds"] = v["wall"]

        # Warm-up (untimed): fills the OS file cache and .pyc files, and writes the Markdown that the
        # plain project builds.
        say(f"N={n}: warm-up generate")
        run(essw("generate", "--no-packs"), ours, log=logs / "warmup.log")
        make_plain_project(ours, plain)
        state = {"n": n, "seed": seed, "policies": n_policies, "made": made,
                 "runs": {"ours": [], "plain": [], "gen": [], "packs": []}}
        save()
    else:
        say(f"N={n}: resuming ({', '.join(f'{k}: {len(v)}' for k, v in state['runs'].items())} runs done)")
    results = state["runs"]

    def timed(kind: str, rep: int, total: int, label: str, cmd: list[str], cwd: Path, clean: list[Path]) -> None:
        if len(results[kind]) > rep:
            return
        for path in clean:
            rm(path)
        r = run(cmd, cwd, log=logs / f"{kind}-{rep}.log")
        results[kind].append(r)
        save()
        say(f"N={n} rep {rep + 1}/{total}: {label:<22} wall {r['wall']:7.1f} s  CPU {r['cpu']:7.1f} s  "
            f"{r['rss_mb']:6.0f} MB  load {r['load']:.1f}")

    for rep in range(repeat):
        timed("gen", rep, repeat, "essw generate", essw("generate", "--no-packs"), ours,
              [ours / "docs" / "library", ours / "site"])
        timed("ours", rep, repeat, "essw build --no-packs", essw("build", "--no-packs"), ours,
              [ours / "docs" / "library", ours / "site"])
        timed("plain", rep, repeat, "plain mkdocs build", mkdocs("build", "--strict", "--site-dir", str(plain / "site")),
              plain, [plain / "site"])

    if "output" not in state:
        if not (ours / "site" / "index.html").exists():  # only after an interruption
            run(essw("build", "--no-packs"), ours, log=logs / "rebuild.log")
        say(f"N={n}: measuring the output")
        out = measure_site(ours / "site", n)
        out["plain_site_bytes"], out["plain_site_files"] = tree_size(plain / "site")
        state["output"] = out
        save()

    if packs:
        for rep in range(packs_repeat):  # cold: every PDF is made again
            timed("packs", rep, packs_repeat, "essw build (packs)", essw("build"), ours,
                  [ours / "docs" / "library", ours / "site"])
        if "packs_info" not in state:
            pdfs = list((ours / "site" / "library" / "packs").glob("*.pdf"))
            state["packs_info"] = {"pdfs": len(pdfs), "pdf_bytes": sum(p.stat().st_size for p in pdfs),
                                   "site_bytes": tree_size(ours / "site")[0]}
            save()

    summary = {k: _summary(v) for k, v in results.items() if v}
    return {"n": n, "policies": n_policies, "repeat": repeat, "made": state["made"], "runs": results,
            "median": summary, "output": state["output"], "packs": state.get("packs_info") if packs else None}


def _summary(runs: list[dict]) -> dict:
    return {"wall": statistics.median(r["wall"] for r in runs), "cpu": statistics.median(r["cpu"] for r in runs),
            "rss_mb": max(r["rss_mb"] for r in runs), "min": min(r["wall"] for r in runs),
            "max": max(r["wall"] for r in runs)}


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- report -----------------------------------------------------------------------------------------
def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        ram = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024 / 1024
    except (OSError, AttributeError):
        pass
    versions = {}
    for pkg in ("mkdocs", "mkdocs-material", "weasyprint"):
        try:
            from importlib.metadata import version
            versions[pkg] = version(pkg)
        except Exception:  # noqa: BLE001
            versions[pkg] = "?"
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(ram, 1), "python": platform.python_version(),
            "os": platform.platform(), **versions}


def engine_size() -> dict:
    data = (REPO / "essw" / "assets" / "case-engine.js").read_bytes()
    return {"raw": len(data), "gz": gz(data), "gz9": len(gzip.compress(data, 9, mtime=0))}


def kb(n: float) -> str:
    return f"{n / 1024:,.1f}"


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.1f}"


def linearity(rows: list[dict], key: str, measure: str = "wall") -> list[float | None]:
    """Marginal seconds per extra case between consecutive sizes (the fixed cost cancels out)."""
    out: list[float | None] = [None]
    for a, b in zip(rows, rows[1:]):
        out.append((b["median"][key][measure] - a["median"][key][measure]) / (b["n"] - a["n"]))
    return out


def verdicts(rows: list[dict], engine: dict) -> list[tuple[str, str, bool | None]]:
    out = []
    at = next((r for r in rows if r["n"] == TARGETS["ratio_at"]), None)
    if at:
        o, p = at["median"]["ours"], at["median"]["plain"]
        wall, cpu = o["wall"] / p["wall"], o["cpu"] / p["cpu"]
        out.append((f"ours/plain <= {TARGETS['ratio']} at {TARGETS['ratio_at']:,} cases",
                    f"{wall:.2f} (wall), {cpu:.2f} (CPU)", max(wall, cpu) <= TARGETS["ratio"]))
    if len(rows) >= 3:
        parts, ok = [], True
        for measure in ("wall", "cpu"):
            marg = linearity(rows, "ours", measure)
            first, last = marg[1], marg[-1]
            grow = last / first if first else float("inf")
            ok = ok and grow <= TARGETS["linear_tolerance"]
            parts.append(f"{measure}: {first * 1000:.0f} -> {last * 1000:.0f} ms per extra case (x{grow:.2f})")
        out.append((f"build time grows linearly with N (marginal cost per case at the largest sizes <= "
                    f"{TARGETS['linear_tolerance']} x at the smallest)", "; ".join(parts), ok))
    worst = max(rows, key=lambda r: r["output"]["page"]["median"]["total_gz"])
    pg = worst["output"]["page"]["median"]
    out.append((f"a case page <= {TARGETS['page_kb']} KB beyond shared assets, as transferred (gzip)",
                f"{kb(pg['total_gz'])} KB at N={worst['n']:,}", pg["total_gz"] <= TARGETS["page_kb"] * 1024))
    worst = max(rows, key=lambda r: r["output"]["page"]["median"]["total_raw"])
    pg = worst["output"]["page"]["median"]
    out.append(("the same, uncompressed (opened from a folder, or a server without gzip)",
                f"{kb(pg['total_raw'])} KB at N={worst['n']:,}", pg["total_raw"] <= TARGETS["page_kb"] * 1024))
    out.append((f"case engine script <= {TARGETS['engine_gz_kb']} KB gzip", f"{kb(engine['gz'])} KB",
                engine["gz"] <= TARGETS["engine_gz_kb"] * 1024))
    return out


def markdown(result: dict) -> str:
    rows, m, eng = result["sizes"], result["machine"], result["engine"]
    base_items = rows[0]["made"]["items"] - rows[0]["n"] - rows[0]["policies"]
    loads = [r.get("load") for s in rows for runs in s["runs"].values() for r in runs if r.get("load") is not None]
    load = f" Load average during the runs: {min(loads):.1f} to {max(loads):.1f}." if loads else ""
    lines = [f"Measured {result['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gb']:.0f} GB RAM, "
             f"Python {m['python']}, MkDocs {m['mkdocs']}, Material {m['mkdocs-material']}, with "
             f"`{result['command']}`. Times are medians over the runs shown; every run starts from a clean "
             f"`docs/library/` and `site/`. Wall is elapsed time; CPU is user + system time of the whole "
             f"process tree, which other work on the machine disturbs less.{load} Each project also holds the "
             f"repository's own sources ({base_items} items, {BASE_CASES} of them case studies), so N cases "
             f"means N + {BASE_CASES} case pages.",
             "",
             "| cases (N) | protocols | runs | ours: `essw build --no-packs`, wall / CPU (s) "
             "| plain `mkdocs build`, wall / CPU (s) | ours/plain, wall / CPU | `essw generate` alone, wall (s) "
             "| ours per case, wall (ms) | marginal per extra case, wall / CPU (ms) | peak RSS ours / plain (MB) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    marg_w, marg_c = linearity(rows, "ours", "wall"), linearity(rows, "ours", "cpu")
    for r, mw, mc in zip(rows, marg_w, marg_c):
        o, p, g = r["median"]["ours"], r["median"]["plain"], r["median"]["gen"]
        marg = "-" if mw is None else f"{mw * 1000:.0f} / {mc * 1000:.0f}"
        lines.append(f"| {r['n']:,} | {r['policies']:,} | {r['repeat']} | {o['wall']:,.1f} / {o['cpu']:,.1f} | "
                     f"{p['wall']:,.1f} / {p['cpu']:,.1f} | {o['wall'] / p['wall']:.2f} / {o['cpu'] / p['cpu']:.2f} | "
                     f"{g['wall']:.1f} | {o['wall'] / r['n'] * 1000:,.0f} | {marg} | "
                     f"{o['rss_mb']:,.0f} / {p['rss_mb']:,.0f} |")
    lines += ["", "| cases (N) | site/ (MB, files) | Pagefind bundle (MB, files) | folder-copy search index raw / gzip (MB) "
                  "| case page HTML raw / gzip (KB) "
                  "| of which menu, raw (KB) | of which case data attribute, raw (KB) | page-specific assets (KB) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        o = r["output"]
        pg = o["page"]["median"]
        lines.append(f"| {r['n']:,} | {mb(o['site_bytes'])} ({o['site_files']:,}) | "
                     f"{mb(o.get('pagefind_bytes', 0))} ({o.get('pagefind_files', 0):,}) | {mb(o.get('offline_raw', 0))} / "
                     f"{mb(o.get('offline_gz', 0))} | {kb(pg['html_raw'])} / {kb(pg['html_gz'])} | {kb(pg['nav_raw'])} | "
                     f"{kb(pg['data_case_raw'])} | {kb(pg['assets_raw'])} |")
    lines += ["", f"Case engine script (`essw/assets/case-engine.js`): {kb(eng['raw'])} KB raw, "
                  f"{kb(eng['gz'])} KB gzip (level {GZIP_LEVEL}). Shared assets that a first visit fetches once "
                  f"(theme CSS/JS, site CSS/JS, case engine): "
                  f"{kb(rows[-1]['output']['page']['shared_first_visit_gz'])} KB gzip. Our build makes the site's own "
                  f"search (Pagefind's bundle, which a served page fetches in small parts, and the folder-copy index "
                  f"for `file://`) and stops Material's search plugin building its `search_index.json`, which no page "
                  f"fetches; the plain build keeps Material's standard search and its index, so both columns are a "
                  f"whole site with search (see Search, and `bench/search/budget.py`)."]
    packed = [r for r in rows if r["packs"]]
    if packed:
        lines += ["", "| cases (N) | runs | `essw build` with PDF packs, wall / CPU (s) | without, wall / CPU (s) "
                      "| PDFs | seconds per PDF (wall) | PDFs total (MB) | peak RSS (MB) |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in packed:
            pk, o = r["median"]["packs"], r["median"]["ours"]
            n_pdf = r["packs"]["pdfs"]
            lines.append(f"| {r['n']:,} | {len(r['runs']['packs'])} | {pk['wall']:,.1f} / {pk['cpu']:,.1f} | "
                         f"{o['wall']:,.1f} / {o['cpu']:,.1f} | {n_pdf:,} | "
                         f"{(pk['wall'] - o['wall']) / max(n_pdf, 1):.2f} | {mb(r['packs']['pdf_bytes'])} | "
                         f"{pk['rss_mb']:,.0f} |")
    lines += ["", "| target | measured | met |", "| --- | --- | --- |"]
    for name, value, ok in verdicts(rows, eng):
        lines.append(f"| {name} | {value} | {'yes' if ok else '**no**'} |")
    return "\n".join(lines) + "\n"


def update_readme(table: str) -> None:
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    section = ("## Performance\n\nFrom `bench/run.py` (see [bench/README.md](bench/README.md) for what each "
               "figure means).\n\n" + table)
    found = re.search(r"^## Performance\n.*?(?=^## |\Z)", text, re.M | re.S)
    if found:
        text = text[:found.start()] + section + ("\n" if found.end() < len(text) else "") + text[found.end():]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000], help="numbers of synthetic cases")
    p.add_argument("--repeat", type=int, default=3, help="repetitions per size (median reported)")
    p.add_argument("--repeat-at", nargs="*", default=[], metavar="N=R",
                   help="fewer (or more) repetitions for some sizes, e.g. 3000=1")
    p.add_argument("--packs", action="store_true", help="also time the build with PDF packs (slow)")
    p.add_argument("--packs-sizes", type=int, nargs="*", help="sizes to build with packs (default: all)")
    p.add_argument("--packs-repeat", type=int, default=1, help="repetitions of the build with packs")
    p.add_argument("--policy-ratio", type=float, default=0.1, help="synthetic protocols per case (default 0.1)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--corpus", choices=["synthetic", "copies"], default="synthetic",
                   help="N synthetic cases, or N copies of the real case studies (the figures users meet)")
    p.add_argument("--workdir", help="where to make the projects (default: a temporary folder, removed after)")
    p.add_argument("--keep", action="store_true", help="keep the projects after the run")
    p.add_argument("--resume", action="store_true",
                   help="carry on an interrupted run in the same --workdir (finished runs are not repeated)")
    p.add_argument("--out", default=str(HERE / "results"), help="folder for latest.md and latest.json")
    p.add_argument("--update-readme", action="store_true", help="write the tables into README.md '## Performance'")
    p.add_argument("--from-json", metavar="PATH", help="only print the tables for an earlier run's latest.json")
    args = p.parse_args(argv)
    global CORPUS
    CORPUS = args.corpus

    if args.from_json:
        table = markdown(json.loads(Path(args.from_json).read_text(encoding="utf-8")))
        print(table)
        if args.update_readme:
            update_readme(table)
        return 0

    repeats = {int(k): int(v) for k, v in (x.split("=") for x in args.repeat_at)}
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="essw-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    command = "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    result = {"date": dt.date.today().isoformat(), "command": command.strip(), "machine": machine(),
              "engine": engine_size(), "gzip_level": GZIP_LEVEL, "sizes": []}
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        for n in sorted(args.sizes):
            packs = args.packs and (args.packs_sizes is None or n in args.packs_sizes)
            row = bench_size(n, repeats.get(n, args.repeat), work=work, packs=packs, packs_repeat=args.packs_repeat,
                             seed=args.seed, policy_ratio=args.policy_ratio, resume=args.resume)
            result["sizes"].append(row)
            (out_dir / "latest.json").write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
            if not args.keep and not args.resume:
                rm(work / f"n{n}")
    finally:
        if not args.keep and not args.workdir and not args.resume:
            shutil.rmtree(work, ignore_errors=True)
    table = markdown(result)
    (out_dir / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    if args.update_readme:
        update_readme(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
