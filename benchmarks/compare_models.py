"""Quality and speed of the extractor per spaCy model, on every gold set, in one run.

    .venv/bin/python benchmarks/compare_models.py
    .venv/bin/python benchmarks/compare_models.py --models en_core_web_sm --repeats 1

For each model (default: en_core_web_sm and en_core_web_md) and each gold set (the sample corpus,
corpus/articles.jsonl + corpus/gold.jsonl, and the shared dev seeds, ../shared/eval/seeds.*.jsonl), the
extractor runs over the inputs exactly as `newsintel extract` does (`Extractor.extract_raw`), the output
is scored with newsintel.evaluate.scorer (the same numbers as ../shared/eval/score.py), and the
extraction is timed: words/s over whitespace tokens of the clean text, best of `--repeats` runs after
a warm-up. Model loading is reported but not part of words/s.

The readable table goes to stdout; the last line is one JSON object with every number.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsintel.errors import InputError
from newsintel.evaluate.scorer import evaluate, load_jsonl
from newsintel.extract.extractor import Extractor, ExtractorOptions
from newsintel.ingest.readers import iter_raw_documents
from newsintel.model import RawDocument
from newsintel.nlp.pipeline import PACKAGED_MODELS

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
GOLD_SETS: dict[str, tuple[Path, Path]] = {
    "corpus": (ROOT / "corpus" / "articles.jsonl", ROOT / "corpus" / "gold.jsonl"),
    "seeds": (SHARED_EVAL / "seeds.input.jsonl", SHARED_EVAL / "seeds.gold.jsonl"),
}
WARMUP_DOCS = 3


@dataclass
class Run:
    """One extraction pass over one input file."""

    seconds: float
    cpu: float
    docs: int
    failed: int
    words: int
    system: dict[str, dict[str, Any]]


def read_raw(path: Path) -> list[RawDocument]:
    """The readable inputs of one (small) gold-set file; unreadable lines are the extractor's test."""
    return [item for item in iter_raw_documents([str(path)]) if isinstance(item, RawDocument)]


def extract(extractor: Extractor, raws: list[RawDocument]) -> Run:
    """Extract every input; the output as the scorer reads it (a JSON round trip of each line)."""
    system: dict[str, dict[str, Any]] = {}
    docs = failed = words = 0
    gc.collect()
    start, cpu_start = time.perf_counter(), time.process_time()
    for item in extractor.extract_raw(iter(raws)):
        if isinstance(item, InputError):
            failed += 1
            continue
        docs += 1
        words += len(item.document.text.split())
        system[item.document.id] = item.to_dict()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # Serialising is not part of the timing; the round trip makes the dicts exactly what a file holds.
    system = {ident: json.loads(json.dumps(line, ensure_ascii=False)) for ident, line in system.items()}
    return Run(seconds, cpu, docs, failed, words, system)


def scores(gold: dict[str, dict[str, Any]], run: Run) -> dict[str, Any]:
    result = evaluate(gold, run.system).to_dict()
    return {
        "docs": run.docs,
        "failed": run.failed,
        "words": run.words,
        "seconds": round(run.seconds, 3),
        "cpu_seconds": round(run.cpu, 3),
        "words_per_s": round(run.words / run.seconds) if run.seconds > 0 else None,
        "cpu_words_per_s": round(run.words / run.cpu) if run.cpu > 0 else None,
        "event_f1": result["events"]["f1"],
        "event_p": result["events"]["precision"],
        "event_r": result["events"]["recall"],
        "events_gold": result["events"]["gold"],
        "events_system": result["events"]["system"],
        "events_matched": result["events"]["matched"],
        "event_f1_without_position": result["events_without_position"]["f1"],
        "entity_typed_f1": result["entities_typed"]["f1"],
        "entity_untyped_f1": result["entities_untyped"]["f1"],
        "date_accuracy": result["date_accuracy"],
        "amount_accuracy": result["amount_accuracy"],
        "document_date_accuracy": result["document_date_accuracy"],
    }


def fmt(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(PACKAGED_MODELS), metavar="MODEL",
                        help=f"models to compare (default: {' '.join(PACKAGED_MODELS)})")
    parser.add_argument("--batch-size", type=int, default=ExtractorOptions().batch_size)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per model and set; best is kept")
    args = parser.parse_args(argv)
    repeats = max(1, args.repeats)

    sets: dict[str, tuple[list[RawDocument], dict[str, dict[str, Any]]]] = {}
    for name, (input_path, gold_path) in GOLD_SETS.items():
        if not input_path.is_file() or not gold_path.is_file():
            sys.stderr.write(f"skipping {name}: {input_path} or {gold_path} is missing\n")
            continue
        sets[name] = (read_raw(input_path), load_jsonl(gold_path))
    if not sets:
        parser.error("no gold set found")

    results: dict[str, dict[str, Any]] = {}
    for model in args.models:
        start = time.perf_counter()
        extractor = Extractor(ExtractorOptions(model=model, batch_size=args.batch_size))
        load_s = time.perf_counter() - start
        for raws, _gold in sets.values():  # warm-up: lazy initialisation is not throughput
            extract(extractor, raws[:WARMUP_DOCS])
        per_set: dict[str, Any] = {"load_seconds": round(load_s, 2)}
        for name, (raws, gold) in sets.items():
            runs = [extract(extractor, raws) for _ in range(repeats)]
            best = min(runs, key=lambda r: r.seconds)
            if any(r.system != runs[0].system for r in runs[1:]):
                sys.stderr.write(f"warning: {model} on {name}: repeated runs gave different output\n")
            per_set[name] = scores(gold, best)
        results[model] = per_set

    out = sys.stdout
    out.write(f"best of {repeats} timed runs, batch size {args.batch_size}; "
              f"sets: {', '.join(f'{n} ({len(r)} docs)' for n, (r, _g) in sets.items())}\n\n")
    header = (f"{'model':<16}{'set':<8}{'ev F1':>7}{'ev P':>7}{'ev R':>7}{'m/g/s':>13}{'F1-pos':>8}"
              f"{'ent F1':>8}{'date':>7}{'amount':>8}{'words/s':>9}{'cpu w/s':>9}\n")
    out.write(header)
    out.write("-" * (len(header) - 1) + "\n")
    for model, per_set in results.items():
        for name in sets:
            s = per_set[name]
            counts = f"{s['events_matched']}/{s['events_gold']}/{s['events_system']}"
            out.write(f"{model:<16}{name:<8}{fmt(s['event_f1']):>7}{fmt(s['event_p']):>7}"
                      f"{fmt(s['event_r']):>7}{counts:>13}{fmt(s['event_f1_without_position']):>8}"
                      f"{fmt(s['entity_typed_f1']):>8}{fmt(s['date_accuracy']):>7}"
                      f"{fmt(s['amount_accuracy']):>8}{fmt(s['words_per_s'], ',.0f'):>9}"
                      f"{fmt(s['cpu_words_per_s'], ',.0f'):>9}\n")
    out.write("\nm/g/s = matched/gold/system events; F1-pos = event F1 without the position type; "
              "ent F1 = typed entity F1;\ndate, amount = agreement on matched events that have one in gold; "
              "words/s (wall clock) and cpu w/s (process CPU time,\nless sensitive to other "
              "load on the machine) exclude model loading ("
              + ", ".join(f"{m} {r['load_seconds']:.1f}s" for m, r in results.items()) + ")\n")
    out.write(json.dumps({"batch_size": args.batch_size, "repeats": repeats, "models": results}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
