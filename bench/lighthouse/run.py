"""Lighthouse 12 mobile scores for one page of each kind, served as an area's host would serve them.

A benchmark, not a test: it records figures (bench/lighthouse/results.json and a table for the
README). Nothing here is used by the site or the tests.

    .venv/bin/python bench/lighthouse/run.py                     # build the repository's site, 3 runs a page
    .venv/bin/python bench/lighthouse/run.py --site site --runs 5
    .venv/bin/python bench/lighthouse/run.py --no-compression    # as Python's http.server serves

Lighthouse itself is an npm package (pinned in bench/lighthouse/package.json); the first run
installs it into bench/lighthouse/node_modules with npm. It drives /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHROMIUM = "/usr/bin/chromium"

PAGES = {
    "Parents' guide": "library/parents/will-you-take-my-children-away.html",
    "Home page": "index.html",
    "Protocol": "library/protocols/consent.html",
    "Case study (Abdi)": "library/case-studies/abdi.html",
    "Learning path": "library/paths/essw-induction.html",
    "Glossary": "library/glossary/index.html",
}
"""The pages issue 13 names: one of each kind a reader meets first."""


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as a good static host does: the ready-compressed ``.gz`` copy that
    ``essw build`` writes when the browser accepts gzip, and cache headers (a short time for pages,
    longer for assets)."""

    compress = True

    def send_head(self):  # noqa: D401 - the standard library's hook
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gz = path.with_name(path.name + ".gz")
        accepts = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if not (self.compress and accepts and gz.is_file() and path.is_file()):
            return super().send_head()
        body = gz.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Bytes(body)

    def end_headers(self):
        if self.compress:
            page = self.path.split("?")[0].endswith((".html", "/"))
            self.send_header("Cache-Control", "max-age=600" if page else "max-age=86400")
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def log_message(self, *args):
        pass


class _Bytes:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(site: Path, compress: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("SiteHandler", (Handler,), {"compress": compress})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def lighthouse_bin() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            sys.exit("npm is needed to install Lighthouse: apt-get install npm")
        print("Installing Lighthouse (bench/lighthouse/package.json) ...", flush=True)
        subprocess.run(["npm", "install", "--no-package-lock", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    return binary


def build_site(into: Path) -> Path:
    subprocess.run([str(REPO / ".venv" / "bin" / "essw"), "build", "--no-packs", "--site-dir", str(into)],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return into


def measure(binary: Path, url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility",
                        "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking"],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    return {
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
        "fcp_s": round(audits["first-contentful-paint"]["numericValue"] / 1000, 2),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "dom_elements": int(audits["dom-size"]["numericValue"]),
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1024),
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score, so each row's figures come from one real run."""
    ordered = sorted(runs, key=lambda r: r["performance"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["performance_runs"] = [r["performance"] for r in runs]
    return chosen


def table(results: dict) -> str:
    lines = ["| Page | Performance | Largest paint | Blocking time | DOM elements | Transferred | Accessibility |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in results["pages"].items():
        lines.append(f"| {name} | {r['performance']} | {r['lcp_s']} s | {r['tbt_ms']} ms | {r['dom_elements']:,} "
                     f"| {r['transfer_kb']} KB | {r['accessibility']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the repository's into a temporary folder)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is kept (default 3)")
    parser.add_argument("--no-compression", action="store_true", help="serve without gzip or cache headers")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), help="only these pages (default: all)")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON (default: print only)")
    args = parser.parse_args(argv)
    binary = lighthouse_bin()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else build_site(Path(tmp) / "site")
        missing = [rel for rel in PAGES.values() if not (site / rel).is_file()]
        if missing:
            sys.exit(f"{site} is not a built site of this project: missing {', '.join(missing)}")
        server, base = serve(site, compress=not args.no_compression)
        try:
            results = {"lighthouse": json.loads((HERE / "package.json").read_text())["dependencies"]["lighthouse"],
                       "preset": "mobile (Lighthouse default: Moto G Power, slow 4G, 4x CPU slowdown)",
                       "compression": not args.no_compression, "runs": args.runs,
                       "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                                                capture_output=True, text=True).stdout.strip(),
                       "pages": {}}
            for name, rel in PAGES.items():
                if args.pages and name not in args.pages:
                    continue
                runs = [measure(binary, f"{base}/{rel}") for _ in range(args.runs)]
                results["pages"][name] = median_run(runs)
                print(f"{name}: {results['pages'][name]}", flush=True)
        finally:
            server.shutdown()
    print(table(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
