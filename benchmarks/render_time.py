"""Server time to render each page of the web UI on the sample corpus (goal: under 300 ms).

Builds a store from corpus/articles.jsonl in a temporary directory (or reuses `--db`), then requests
each page type N times in-process through Starlette's TestClient (the whole app: middleware, queries,
templates; no network), and prints p50/p95 per page. The last line is one JSON object.

    .venv/bin/python benchmarks/render_time.py                 # builds the store (about 10 s)
    .venv/bin/python benchmarks/render_time.py --db newsintel.db --repeats 50
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 300.0


def build_store(folder: Path) -> str:
    from newsintel.store.db import open_store
    from newsintel.store.ingest import ingest

    url = f"sqlite:///{folder / 'bench.db'}"
    store = open_store(url)
    ingest([str(ROOT / "corpus" / "articles.jsonl")], store, progress=False)
    store.close()
    return url


def pages(client: object) -> dict[str, str]:
    """One URL per page type, chosen from the store (the busiest entity, an article with facts)."""
    home = client.get("/api/home").json()  # type: ignore[attr-defined]
    entity = home["active_actors"][0]["id"]
    document = home["latest_facts"][0]["sources"][0]["document_id"]
    return {
        "home": "/",
        "search": "/search?q=Huawei",
        "dossier": f"/entity/{entity}",
        "network explorer": "/network?type=sanction",
        "network data": "/api/network",
        "timeline": "/timeline",
        "article": f"/article/{document}",
        "api dossier": f"/api/entity/{entity}",
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing store (URL or SQLite file); default: build one from the corpus")
    parser.add_argument("--repeats", type=int, default=30, help="requests per page (after 3 warm-up ones)")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from newsintel.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        url = args.db or build_store(Path(folder))
        with TestClient(create_app(url)) as client:
            results = {}
            for name, path in pages(client).items():
                for _ in range(3):
                    client.get(path)
                times = []
                for _ in range(args.repeats):
                    started = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        sys.exit(f"{path}: HTTP {response.status_code}")
                results[name] = {"path": path, "p50_ms": round(statistics.median(times), 1),
                                 "p95_ms": round(percentile(times, 0.95), 1), "bytes": len(response.content)}
            stats = client.get("/api/stats").json()
    print(f"{'page':<18} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}  path")
    for name, r in results.items():
        print(f"{name:<18} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['bytes'] / 1024:>7.1f}  {r['path']}")
    worst = max(r["p95_ms"] for r in results.values())
    print(f"store: {stats['documents']} documents, {stats['facts']} facts; worst p95 {worst:.1f} ms "
          f"({'meets' if worst < GOAL_MS else 'misses'} the {GOAL_MS:.0f} ms goal)")
    print(json.dumps({"commit": _commit(), "repeats": args.repeats, "documents": stats["documents"],
                      "facts": stats["facts"], "goal_ms": GOAL_MS, "worst_p95_ms": worst, "pages": results}))


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        return head + ("+dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()
