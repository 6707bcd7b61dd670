"""Throughput: bare spaCy, the extractor and ingest (SQLite, PostgreSQL), 1 and 2 workers, in one run.

    .venv/bin/python benchmarks/throughput.py --limit 200 --workers 1 --no-pg     # a quick look
    .venv/bin/python benchmarks/throughput.py --limit 600                          # all passes
    .venv/bin/python benchmarks/throughput.py                                      # all 2,225 articles

Over the first N articles of the BBC corpus (default: all), exact duplicates left out, each pass with
1 and 2 workers (`--workers`):

  a  spaCy bare   the packaged model (`load_base_model`, no actor ruler), `nlp.pipe` over the clean
                  texts; 2 workers: `n_process=2`
  b  extract      cleaning + newsintel's pipeline + rules: `Extractor.extract_raw` in this process;
                  2 workers: ingest's `extract_parallel` pool, fed documents cleaned here
  c  ingest       `newsintel.store.ingest.ingest` into a fresh SQLite file (a temp dir)
  d  ingest PG    the same into a fresh PostgreSQL database: `--pg-url`, else a throwaway server from
                  tests/pg.py; skipped, with a note, when neither is available (or `--no-pg`)

Words are whitespace tokens of the clean texts. Ratios are of words/s: b/a, c/b and d/b. The 1-worker
passes of b, c and d also time their stages (cleaning, rules, storing split into resolution, facts,
fingerprint and the rest of the writer; spaCy is the remainder), and b and c sample the RSS at 25, 50,
75 and 100% of the stream. Progress goes to stderr; the table to stdout; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helper module next to this script

from throughput_passes import (
    Corpus,
    Databases,
    Measure,
    RssSampler,
    StageTimers,
    clean_texts,
    current_rss_mb,
    peak_rss_mb,
    pg_is_empty,
    run_bare,
    run_components,
    run_extract,
    run_ingest,
    select_corpus,
    timed,
)

from newsintel.extract.extractor import Extractor, ExtractorOptions
from newsintel.ingest.readers import iter_raw_documents
from newsintel.nlp.pipeline import DEFAULT_MODEL, load_base_model

DEFAULT_CORPUS = "/work/shared/corpora/bbc/articles.jsonl"
WARMUP_DOCS = 8
PASSES = {"a": "spaCy bare (nlp.pipe)", "b": "extract (clean+spaCy+rules)", "c": "ingest SQLite",
          "d": "ingest PostgreSQL"}
GOALS = {"b/a": 0.75, "c/b": 0.85}
STAGES = ("cleaning", "spaCy + plumbing", "rules", "skip check", "storing", "  resolution", "  facts",
          "  fingerprint", "  writer, rest")


def git_state() -> str:
    """The commit the numbers belong to, "+dirty" when the working tree has changes."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def note(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def rate(amount: float, seconds: float) -> float:
    return amount / seconds if seconds > 0 else float("inf")


def stage_split(timers: StageTimers, wall: float) -> dict[str, float]:
    """Seconds per stage; spaCy is what the measured stages leave of the pass (with generator plumbing)."""
    t = timers.seconds
    top = t["cleaning"] + t["rules"] + t["skip check"] + t["storing"]
    split = {"cleaning": t["cleaning"], "spaCy + plumbing": wall - top, "rules": t["rules"]}
    if t["storing"]:
        split |= {"skip check": t["skip check"], "storing": t["storing"], "  resolution": t["resolution"],
                  "  facts": t["facts"], "  fingerprint": t["fingerprint"],
                  "  writer, rest": t["storing"] - t["resolution"] - t["facts"] - t["fingerprint"]}
    return split


def run_passes(args: argparse.Namespace, corpus: Corpus, workdir: Path) -> tuple[dict[tuple[str, int], Measure], str]:
    """Every pass `--repeats` times (the fastest kept), in the order a, b, c, d for each worker count."""
    options = ExtractorOptions(model=args.model, batch_size=args.batch_size)
    note("loading the bare model and the extractor")
    bare = load_base_model(args.model)
    extractor = Extractor(options)
    # Warm-up: first calls pay for lazy initialisation (lexeme cache, matchers, language identifier).
    list(bare.pipe(itertools.islice(clean_texts(corpus), WARMUP_DOCS)))
    list(extractor.extract_raw(itertools.islice(iter_raw_documents([str(corpus.raw_path)]), WARMUP_DOCS)))
    databases = Databases(workdir, args.pg_url, not args.no_pg)
    best: dict[tuple[str, int], Measure] = {}

    def keep(key: tuple[str, int], measure: Measure) -> None:
        note(f"{PASSES[key[0]]}, {key[1]} worker(s): {measure.wall:.1f}s, {rate(corpus.words, measure.wall):,.0f} "
             f"words/s")
        if key not in best or measure.wall < best[key].wall:
            best[key] = measure

    try:
        for repeat, workers in itertools.product(range(args.repeats), args.workers):
            note(f"repeat {repeat + 1}/{args.repeats}, {workers} worker(s): a")
            keep(("a", workers), timed(run_bare, bare, corpus, args.batch_size, workers))
            for name in ("b", "c", "d"):
                if name == "d" and not databases.pg_available:
                    continue
                note(f"repeat {repeat + 1}/{args.repeats}, {workers} worker(s): {name}")
                timers, sampler = StageTimers(), RssSampler(corpus.docs)
                staged = workers == 1  # with 2 workers the rules and spaCy run in other processes
                with timers.active():
                    if name == "b":
                        measure = timed(run_extract, extractor, corpus, workers, sampler)
                    else:
                        with databases.sqlite() if name == "c" else databases.postgresql() as url:
                            measure = timed(run_ingest, url, corpus, workers, options, sampler)
                if staged:
                    measure.extra["stages"] = stage_split(timers, measure.wall)
                    measure.extra["missing_timers"] = timers.missing
                measure.extra["rss_mb"] = sampler.samples
                keep((name, workers), measure)
        if args.profile:
            with databases.sqlite() as url:
                profile_ingest(url, corpus, options, args.profile)
    finally:
        databases.close()
    return best, databases.pg_note


def profile_ingest(url: str, corpus: Corpus, options: ExtractorOptions, top: int) -> None:
    """cProfile one serial SQLite ingest (untimed); print own time by module and the top functions."""
    note("profiling one more SQLite ingest (--profile)")
    profiler = cProfile.Profile()
    profiler.enable()
    run_ingest(url, corpus, 1, options)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_module: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        parts = Path(filename).parts
        where = "/".join(parts[parts.index("newsintel"):]) if "newsintel" in parts else (
            next((p for p in parts if p in ("spacy", "thinc", "sqlalchemy", "psycopg", "numpy")), "other"))
        by_module[where] += own
    total = sum(by_module.values())
    out = io.StringIO()
    out.write(f"\nown time by module (cProfile, one serial SQLite ingest, {total:.1f}s):\n")
    for where, seconds in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        out.write(f"  {where:<44}{seconds:>8.2f}s {100 * seconds / total:>5.1f}%\n")
    stats.stream = out  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    sys.stderr.write(out.getvalue())


def report(args: argparse.Namespace, corpus: Corpus, best: dict[tuple[str, int], Measure], pg_note: str,
           commit: str, components: dict[str, float]) -> dict[str, Any]:
    out = sys.stdout
    words = corpus.words
    out.write(f"corpus {args.corpus}: first {corpus.read:,} articles -> {corpus.docs:,} documents, {words:,} words, "
              f"{corpus.chars:,} characters ({corpus.duplicates} exact duplicates and {corpus.rejected} "
              f"unusable left out)\n")
    out.write(f"commit {commit}; model {args.model}, batch size {args.batch_size}, best of {args.repeats}\n\n")
    out.write(f"{'pass':<30}{'workers':>8}{'seconds':>9}{'words/s':>10}{'docs/s':>8}{'cpu s':>9}\n")
    for (name, workers), m in sorted(best.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        out.write(f"{name} {PASSES[name]:<28}{workers:>8}{m.wall:>9.1f}{rate(words, m.wall):>10,.0f}"
                  f"{rate(m.docs, m.wall):>8.2f}{m.cpu:>9.1f}\n")
    if pg_note:
        out.write(f"{pg_note}\n")

    def ratio(top: str, bottom: str, workers: int) -> float | None:
        if (top, workers) not in best or (bottom, workers) not in best:
            return None
        return best[(bottom, workers)].wall / best[(top, workers)].wall

    out.write(f"\n{'ratio of words/s':<22}" + "".join(f"{f'{w} worker(s)':>14}" for w in args.workers) + "   goal\n")
    ratios: dict[str, dict[int, float | None]] = {}
    for top, bottom in (("b", "a"), ("c", "b"), ("d", "b")):
        key = f"{top}/{bottom}"
        ratios[key] = {w: ratio(top, bottom, w) for w in args.workers}
        cells = "".join(f"{v:>14.3f}" if v is not None else f"{'-':>14}" for v in ratios[key].values())
        out.write(f"{key:<22}{cells}   {'>= ' + str(GOALS[key]) if key in GOALS else ''}\n")

    cpu_ratios = {key: best[(bottom, 1)].cpu / best[(top, 1)].cpu for key, top, bottom in
                  (("b/a", "b", "a"), ("c/b", "c", "b")) if (top, 1) in best and (bottom, 1) in best}
    if cpu_ratios:  # a shared machine stretches wall clocks unevenly; one process's CPU time much less so
        out.write("by CPU time, 1 worker: " + ", ".join(f"{k} {v:.3f}" for k, v in cpu_ratios.items()) + "\n")
    busy = max(m.wall / m.cpu for (_, w), m in best.items() if w == 1 and m.cpu > 0)
    if busy > 1.15:
        out.write(f"note: a 1-worker pass took {busy:.2f}x its CPU time on the wall clock: other processes "
                  f"were competing for the CPU\n")

    staged = [(name, best[(name, 1)]) for name in ("b", "c", "d") if (name, 1) in best]
    if staged:
        out.write("\nwhere the time goes, 1 worker (seconds and share of the pass):\n")
        out.write(f"{'stage':<22}" + "".join(f"{PASSES[n][:22]:>24}" for n, _ in staged) + "\n")
        for stage in STAGES:
            columns = []
            for _, m in staged:
                seconds = m.extra["stages"].get(stage)
                columns.append(f"{seconds:>16.2f}s {100 * seconds / m.wall:>5.1f}%" if seconds is not None
                             else f"{'':>24}")
            if any(c.strip() for c in columns):
                out.write(f"{stage:<22}" + "".join(columns) + "\n")
        missing = sorted({t for _, m in staged for t in m.extra.get("missing_timers", [])})
        if missing:
            out.write(f"(not timed, function not found: {', '.join(missing)})\n")
    if components:
        total = sum(components.values())
        out.write(f"\nextractor pipeline by component (one pass, {total:.1f}s):\n")
        for name, seconds in sorted(components.items(), key=lambda kv: -kv[1]):
            out.write(f"  {name:<22}{seconds:>8.2f}s {100 * seconds / total:>5.1f}%\n")

    peak_self, peak_children = peak_rss_mb()
    out.write(f"\npeak RSS: this process {peak_self:,.0f} MB (both models loaded), largest child "
              f"{peak_children:,.0f} MB (workers; the PostgreSQL server is not our child)\n")
    for name in ("b", "c"):
        if (name, 1) in best and best[(name, 1)].extra.get("rss_mb"):
            samples = best[(name, 1)].extra["rss_mb"]
            out.write(f"RSS during {PASSES[name]}, 1 worker, at " +
                      ", ".join(f"{k}: {v:,.0f} MB" for k, v in samples.items()) + " of the documents\n")

    result: dict[str, Any] = {"commit": commit, "model": args.model, "batch_size": args.batch_size,
                              "repeats": args.repeats, "articles": corpus.read, "docs": corpus.docs,
                              "words": words, "chars": corpus.chars, "duplicates_left_out": corpus.duplicates}
    keys = {"a": "spacy", "b": "extract", "c": "ingest_sqlite", "d": "ingest_pg"}
    for (name, workers), m in best.items():
        suffix = "" if workers == 1 else f"_{workers}"
        result[f"{keys[name]}_wps{suffix}"] = round(rate(words, m.wall))
        result[f"{keys[name]}_dps{suffix}"] = round(rate(m.docs, m.wall), 3)
        result[f"{keys[name]}_seconds{suffix}"] = round(m.wall, 2)
        result[f"{keys[name]}_cpu_seconds{suffix}"] = round(m.cpu, 2)
        if "stages" in m.extra:
            result[f"{keys[name]}_stages"] = {k.strip(): round(v, 3) for k, v in m.extra["stages"].items()}
        if m.extra.get("rss_mb"):
            result[f"{keys[name]}_rss_mb{suffix}"] = m.extra["rss_mb"]
        for field in ("stored", "near_duplicates", "skipped", "failed", "facts"):
            if field in m.extra:
                result.setdefault(f"{keys[name]}_counts{suffix}", {})[field] = m.extra[field]
    names = {"b/a": "extract_ratio", "c/b": "ingest_ratio", "d/b": "ingest_pg_ratio"}
    for key, by_workers in ratios.items():
        for workers, value in by_workers.items():
            result[names[key] + ("" if workers == 1 else f"_{workers}")] = round(value, 4) if value else None
    result |= {f"{names[key]}_cpu": round(value, 4) for key, value in cpu_ratios.items()}
    result["wall_over_cpu_max_1_worker"] = round(busy, 3)
    result |= {"peak_rss_mb": round(peak_self, 1), "peak_rss_children_mb": round(peak_children, 1),
               "pg": pg_note or "ok", "components": {k: round(v, 3) for k, v in components.items()}}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help="JSON Lines input (default: the BBC set)")
    parser.add_argument("--limit", type=int, default=None, help="first N articles (default: all)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="en_core_web_sm (default) or en_core_web_md")
    parser.add_argument("--batch-size", type=int, default=ExtractorOptions().batch_size)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated (default 1,2)")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs of each pass; the fastest is kept")
    parser.add_argument("--pg-url", default=None,
                        help="an empty PostgreSQL database for pass d (its tables are dropped after each pass); "
                             "default: a throwaway server from tests/pg.py")
    parser.add_argument("--no-pg", action="store_true", help="skip pass d")
    parser.add_argument("--components", action="store_true",
                        help="also time each component of the extractor's pipeline (one extra pass)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="cProfile one more serial SQLite ingest; own time by module and top N functions "
                             "to stderr")
    args = parser.parse_args(argv)
    if not Path(args.corpus).is_file():
        parser.error(f"no such corpus: {args.corpus}")
    args.workers = sorted({max(1, int(w)) for w in args.workers.split(",") if w.strip()})
    args.repeats = max(1, args.repeats)
    if args.pg_url and not args.no_pg and not pg_is_empty(args.pg_url):
        parser.error("--pg-url must name an empty database: its tables are dropped after each pass")
    commit = git_state()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsintel-throughput-") as tmp:
        corpus = select_corpus(args.corpus, args.limit, Path(tmp))
        if not corpus.docs:
            parser.error("no usable documents")
        note(f"{corpus.docs:,} documents, {corpus.words:,} words; RSS {current_rss_mb():.0f} MB")
        best, pg_note = run_passes(args, corpus, Path(tmp))
        components = run_components(Extractor(ExtractorOptions(model=args.model)).nlp, corpus,
                                    args.batch_size) if args.components else {}
        result = report(args, corpus, best, pg_note, commit, components)
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
