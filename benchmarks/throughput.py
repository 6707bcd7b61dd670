"""Throughput: bare spaCy against the full extractor, on the same real news texts, in one run.

    .venv/bin/python benchmarks/throughput.py --limit 300
    .venv/bin/python benchmarks/throughput.py --model en_core_web_md --batch-size 32 --profile 10

Measures, over the first N articles of the BBC corpus (default: all 2,225):

* cleaning  - `prepare_document` on every RawDocument (the clean texts are kept for the other passes);
* bare      - the base spaCy model (`load_base_model`, no actor ruler) over the clean texts via `nlp.pipe`;
* extract   - `Extractor.extract_raw` over the raw documents: cleaning + pipeline (with the actor
              ruler) + rules, exactly what `newsintel extract` does;
* staged    - the extractor's own pipeline over the clean texts, timing `Extractor.annotate` (the rules)
              separately from the parse, which splits extract into cleaning / spaCy / rules.

Words are whitespace tokens of the clean text. Each pass is run `--repeats` times, alternating, and the
best (fastest) time is kept. Nothing holds a corpus of Docs: every Doc is dropped once it is used.
The readable table goes to stdout; the last line is one JSON object with every number.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsintel.errors import InputError
from newsintel.extract.extractor import MAX_CHARS, Extractor, ExtractorOptions
from newsintel.ingest.prepare import prepare_document
from newsintel.ingest.readers import iter_raw_documents
from newsintel.model import Document, RawDocument
from newsintel.nlp.pipeline import DEFAULT_MODEL, load_base_model

DEFAULT_CORPUS = "/work/shared/corpora/bbc/articles.jsonl"
WARMUP_DOCS = 8


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


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_raw(path: str, limit: int | None) -> tuple[list[RawDocument], int]:
    """The first `limit` readable RawDocuments of `path`, and how many input errors were skipped."""
    raws: list[RawDocument] = []
    errors = 0
    for item in iter_raw_documents([path]):
        if isinstance(item, InputError):
            errors += 1
            continue
        raws.append(item)
        if limit is not None and len(raws) >= limit:
            break
    return raws, errors


def clean(raws: Iterable[RawDocument]) -> tuple[list[Document], int]:
    """Prepared Documents (what the extractor parses) and how many inputs cleaning rejected."""
    documents: list[Document] = []
    rejected = 0
    for raw in raws:
        try:
            document = prepare_document(raw)
        except InputError:
            rejected += 1
            continue
        if len(document.text) > MAX_CHARS:
            rejected += 1
            continue
        documents.append(document)
    return documents, rejected


@dataclass(frozen=True)
class Time:
    """Wall-clock and process CPU seconds of one timed pass."""

    wall: float
    cpu: float


def best(times: Iterable[Time]) -> Time:
    """The fastest pass (by wall clock)."""
    return min(times, key=lambda t: t.wall)


def timed(run: Callable[[], Any]) -> tuple[Time, Any]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return Time(time.perf_counter() - wall, time.process_time() - cpu), result


@dataclass
class Staged:
    """One staged pass: total time, time inside `annotate`, and what the rules found."""

    total: Time
    rules: Time
    docs: int
    entities: int
    events: int

    @property
    def spacy(self) -> Time:
        return Time(self.total.wall - self.rules.wall, self.total.cpu - self.rules.cpu)


def run_bare(nlp: Any, texts: list[str], batch_size: int) -> int:
    n = 0
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        n += 1
    return n


def run_extract(extractor: Extractor, raws: list[RawDocument]) -> tuple[int, int]:
    ok = failed = 0
    for item in extractor.extract_raw(iter(raws)):
        if isinstance(item, InputError):
            failed += 1
        else:
            ok += 1
    return ok, failed


def run_staged(extractor: Extractor, documents: list[Document], batch_size: int,
               profiler: cProfile.Profile | None = None) -> Staged:
    """Parse with the extractor's own nlp, timing `annotate` alone (optionally under a profiler)."""
    rules_wall = rules_cpu = 0.0
    docs = entities = events = 0
    clock, cpu_clock = time.perf_counter, time.process_time
    gc.collect()
    start, cpu_start = clock(), cpu_clock()
    pairs: Iterator[tuple[str, Document]] = ((d.text, d) for d in documents)
    for doc, document in extractor.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        t0, c0 = clock(), cpu_clock()
        if profiler is not None:
            profiler.enable()
        extraction = extractor.annotate(doc, document)
        if profiler is not None:
            profiler.disable()
        rules_wall += clock() - t0
        rules_cpu += cpu_clock() - c0
        docs += 1
        entities += len(extraction.entities)
        events += len(extraction.events)
    total = Time(clock() - start, cpu_clock() - cpu_start)
    return Staged(total, Time(rules_wall, rules_cpu), docs, entities, events)


def run_components(nlp: Any, texts: list[str], batch_size: int) -> dict[str, float]:
    """Seconds per pipeline component (plus "tokenizer"), one batch of Docs at a time."""
    seconds: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    clock = time.perf_counter
    gc.collect()
    for first in range(0, len(texts), batch_size):
        t0 = clock()
        docs = [nlp.make_doc(t) for t in texts[first:first + batch_size]]
        seconds["tokenizer"] += clock() - t0
        for name, proc in nlp.pipeline:
            t0 = clock()
            docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [
                proc(d) for d in docs]
            seconds[name] += clock() - t0
    return seconds


def rate(amount: float, seconds: float) -> float:
    return amount / seconds if seconds > 0 else float("inf")


def profile_report(profiler: cProfile.Profile, top: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help="JSON Lines input (default: the BBC set)")
    parser.add_argument("--limit", type=int, default=None, help="first N articles (default: all)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="en_core_web_sm (default) or en_core_web_md")
    parser.add_argument("--batch-size", type=int, default=ExtractorOptions().batch_size)
    parser.add_argument("--repeats", type=int, default=2, help="timed runs of each pass; the best is kept")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="cProfile the rules (annotate) and print the top N functions to stderr")
    parser.add_argument("--components", action="store_true",
                        help="also time each component of the extractor's pipeline (one extra pass)")
    args = parser.parse_args(argv)
    if not Path(args.corpus).is_file():
        parser.error(f"no such corpus: {args.corpus}")
    repeats = max(1, args.repeats)
    commit = git_state()

    raws, read_errors = read_raw(args.corpus, args.limit)
    if not raws:
        parser.error("no readable documents")
    rss_start = peak_rss_mb()

    # Cleaning, timed on its own; its output is the text every other pass parses. The warm-up pays
    # for lazy loads (language identifier, boilerplate lists) that a long run amortises.
    clean(raws[:WARMUP_DOCS])
    clean_times: list[Time] = []
    documents: list[Document] = []
    rejected = 0
    for _ in range(repeats):
        took, (documents, rejected) = timed(lambda: clean(raws))
        clean_times.append(took)
    texts = [d.text for d in documents]
    docs = len(texts)
    words = sum(len(t.split()) for t in texts)
    chars = sum(len(t) for t in texts)

    load_start = time.perf_counter()
    bare_nlp = load_base_model(args.model)
    bare_load = time.perf_counter() - load_start
    load_start = time.perf_counter()
    extractor = Extractor(ExtractorOptions(model=args.model, batch_size=args.batch_size))
    extract_load = time.perf_counter() - load_start
    rss_loaded = peak_rss_mb()

    # Warm-up: first calls pay for lazy initialisation (lexeme cache, matcher compilation, ...).
    warm = WARMUP_DOCS
    run_bare(bare_nlp, texts[:warm], args.batch_size)
    run_extract(extractor, raws[:warm])
    run_staged(extractor, documents[:warm], args.batch_size)

    bare_times: list[Time] = []
    extract_times: list[Time] = []
    staged_runs: list[Staged] = []
    extracted = failed = 0
    for _ in range(repeats):  # alternate the passes so drift (thermal, other load) hits all of them
        took, parsed = timed(lambda: run_bare(bare_nlp, texts, args.batch_size))
        assert parsed == docs
        bare_times.append(took)
        took, (extracted, failed) = timed(lambda: run_extract(extractor, raws))
        extract_times.append(took)
        staged_runs.append(run_staged(extractor, documents, args.batch_size))
    rss_end = peak_rss_mb()

    components: dict[str, float] = {}
    if args.components:
        components = run_components(extractor.nlp, texts, args.batch_size)
    profiler_text = ""
    if args.profile:
        profiler = cProfile.Profile()
        run_staged(extractor, documents, args.batch_size, profiler)
        profiler_text = profile_report(profiler, args.profile)

    clean_t, bare_t, extract_t = best(clean_times), best(bare_times), best(extract_times)
    staged = min(staged_runs, key=lambda s: s.total.wall)
    rules_t = best(s.rules for s in staged_runs)
    spacy_t = best(s.spacy for s in staged_runs)
    clean_s, bare_s, extract_s = clean_t.wall, bare_t.wall, extract_t.wall
    rules_s, spacy_s = rules_t.wall, spacy_t.wall
    # The stage split of extract: cleaning + parse (with ruler) + rules, each timed on its own, as
    # shares of their sum. The sum should come close to the measured extract; the difference is
    # extract_raw's plumbing plus noise between passes.
    stage_sum = clean_s + spacy_s + rules_s

    rows = [
        ("cleaning (prepare_document)", clean_t, docs),
        ("spaCy bare (base model)", bare_t, docs),
        ("spaCy + actor ruler", spacy_t, staged.docs),
        ("rules (annotate)", rules_t, staged.docs),
        ("extract (extract_raw, all)", extract_t, extracted),
    ]
    out = sys.stdout
    out.write(f"corpus {args.corpus}: {docs:,} documents, {words:,} words, {chars:,} characters "
              f"(read errors {read_errors}, rejected by cleaning {rejected}, extract failures {failed})\n")
    out.write(f"commit {commit}; model {args.model}, batch size {args.batch_size}, best of {repeats}; "
              f"load: bare {bare_load:.1f}s, extractor {extract_load:.1f}s\n\n")
    out.write(f"{'pass':<30}{'seconds':>9}{'words/s':>11}{'docs/s':>9}{'ms/doc':>9}{'cpu s':>9}\n")
    for name, took, n in rows:
        out.write(f"{name:<30}{took.wall:>9.2f}{rate(words, took.wall):>11,.0f}{rate(n, took.wall):>9.1f}"
                  f"{1000 * took.wall / max(n, 1):>9.2f}{took.cpu:>9.2f}\n")
    busy = max(t.wall / t.cpu for _, t, _ in rows if t.cpu > 0)
    if busy > 1.1:
        out.write(f"note: a pass took {busy:.2f}x its CPU time on the wall clock; other processes were "
                  f"competing for the CPU, so wall-clock rates are pessimistic\n")
    ratio = bare_s / extract_s
    out.write(f"\nextract / bare throughput: {ratio:.3f}  (extract takes {extract_s / bare_s:.2f}x the bare "
              f"spaCy time)\n")
    out.write(f"stage split of extract (stages timed on their own; their sum {stage_sum:.2f}s vs "
              f"extract {extract_s:.2f}s, {100 * (extract_s - stage_sum) / extract_s:+.1f}%):\n")
    for name, seconds in (("cleaning", clean_s), ("spaCy + ruler", spacy_s), ("rules", rules_s)):
        out.write(f"  {name:<16}{seconds:>8.2f}s  {100 * seconds / stage_sum:>5.1f}%\n")
    out.write(f"  actor ruler cost over bare spaCy: {spacy_s - bare_s:+.2f}s "
              f"({100 * (spacy_s - bare_s) / bare_s:+.1f}%)\n")
    if components:
        total = sum(components.values())
        out.write(f"extractor pipeline by component (one pass, {total:.2f}s):\n")
        for name, seconds in sorted(components.items(), key=lambda kv: -kv[1]):
            out.write(f"  {name:<16}{seconds:>8.2f}s  {100 * seconds / total:>5.1f}%"
                      f"  {rate(words, seconds):>11,.0f} words/s\n")
    out.write(f"rules found {staged.entities:,} entities and {staged.events:,} events\n")
    out.write(f"peak RSS: {rss_start:.0f} MB after reading, {rss_loaded:.0f} MB with both pipelines loaded, "
              f"{rss_end:.0f} MB at the end\n")
    if profiler_text:
        sys.stderr.write(f"\ncProfile of annotate over {staged.docs} documents:\n{profiler_text}\n")

    result = {
        "commit": commit,
        "model": args.model,
        "batch_size": args.batch_size,
        "repeats": repeats,
        "docs": docs,
        "words": words,
        "chars": chars,
        "spacy_wps": round(rate(words, bare_s)),
        "spacy_dps": round(rate(docs, bare_s), 2),
        "spacy_ruler_wps": round(rate(words, spacy_s)),
        "extract_wps": round(rate(words, extract_s)),
        "extract_dps": round(rate(extracted, extract_s), 2),
        "extract_ratio": round(ratio, 4),
        "cleaning_wps": round(rate(words, clean_s)),
        "rules_wps": round(rate(words, rules_s)),
        "seconds": {"cleaning": round(clean_s, 3), "spacy_bare": round(bare_s, 3),
                    "spacy_ruler": round(spacy_s, 3), "rules": round(rules_s, 3),
                    "extract": round(extract_s, 3)},
        "cpu_seconds": {"cleaning": round(clean_t.cpu, 3), "spacy_bare": round(bare_t.cpu, 3),
                        "spacy_ruler": round(spacy_t.cpu, 3), "rules": round(rules_t.cpu, 3),
                        "extract": round(extract_t.cpu, 3)},
        "stages": {"cleaning": round(clean_s / stage_sum, 4), "spacy": round(spacy_s / stage_sum, 4),
                   "rules": round(rules_s / stage_sum, 4)},
        "stage_sum_vs_extract": round((extract_s - stage_sum) / extract_s, 4),
        "wall_over_cpu_max": round(busy, 3),
        "components": {name: round(seconds, 3) for name, seconds in components.items()},
        "entities": staged.entities,
        "events": staged.events,
        "peak_rss_mb": round(rss_end, 1),
        "rss_loaded_mb": round(rss_loaded, 1),
    }
    out.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

