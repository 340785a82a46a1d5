"""Belebele items per second: Langbridge's `eval` vs lm-evaluation-harness (HFLM) on the same model and items.

For the GPU machine (not run in CI). Both arms score the same N items with 1-shot prompts built as
lm-evaluation-harness's `belebele` task builds them (doc_to_text `P: …\\nQ: …\\nA: …\\nB: …\\nC: …\\nD: …\\nAnswer:`,
choices " A"…" D", target delimiter " ", few-shot delimiter "\\n\\n", the first document of the split as
the shot, the second for the first document itself). Langbridge runs as the app runs it, a
`python -m langbridge_trainer eval` process; lm-eval's HFLM gets the same (context, continuation)
requests through its own `loglikelihood`. Each arm's time is its scoring only (model loading excluded).

    pip install "lm_eval[hf]==0.4.13"    # the peer, in the trainer venv (check pip keeps transformers 5.23);
                                         # without it only Langbridge's arm runs
    python bench/bench_eval_belebele.py --model /models/Qwen2-7B --belebele swh_Latn.jsonl --n 900

Belebele JSONL: one question per line with flores_passage, question, mc_answer1..4, correct_answer_num
("1".."4"), as https://huggingface.co/datasets/facebook/belebele ships it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ("A", "B", "C", "D")


def doc_to_text(doc: dict) -> str:
    return (f"P: {doc['flores_passage']}\nQ: {doc['question'].strip()}\nA: {doc['mc_answer1']}\nB: {doc['mc_answer2']}"
            f"\nC: {doc['mc_answer3']}\nD: {doc['mc_answer4']}\nAnswer:")


def target(doc: dict) -> int:
    return ["1", "2", "3", "4"].index(str(doc["correct_answer_num"]))


def one_shot_context(docs: list[dict], k: int) -> str:
    # lm-eval's first_n sampler on the test split draws n + 1 documents and drops the current one.
    shot = docs[1] if k == 0 else docs[0]
    return doc_to_text(shot) + " " + LETTERS[target(shot)] + "\n\n" + doc_to_text(docs[k])


def langbridge_arm(model: str, contexts: list[str], device: str, batch_size: int | None) -> tuple[float, list[list[float]]]:
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        run.mkdir()
        with open(run / "items.jsonl", "w", encoding="utf-8") as f:
            for k, ctx in enumerate(contexts):
                f.write(json.dumps({"id": str(k), "type": "choices", "context": ctx,
                                    "continuations": [" " + x for x in LETTERS]}, ensure_ascii=False) + "\n")
        spec = {"specVersion": 1, "kind": "eval", "model": model, "runDir": str(run), "items": str(run / "items.jsonl"),
                "device": device, "batchSize": batch_size}
        (run / "spec.json").write_text(json.dumps(spec))
        proc = subprocess.run([sys.executable, "-m", "langbridge_trainer", "eval", "--spec", str(run / "spec.json")],
                              cwd=ROOT, capture_output=True, text=True)
        events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or not events or events[-1]["kind"] != "finished":
            sys.exit(f"langbridge eval failed: {events[-1] if events else proc.stderr[-2000:]}")
        out = {o["id"]: o["logliks"] for o in map(json.loads, (run / "outputs.jsonl").read_text().splitlines())}
        return events[-1]["itemsPerSecond"], [out[str(k)] for k in range(len(contexts))]


def lm_eval_arm(model: str, contexts: list[str], device: str, batch_size: str) -> tuple[float, list[list[float]]] | None:
    try:
        from lm_eval.api.instance import Instance
        from lm_eval.models.huggingface import HFLM
    except ImportError:
        print('lm-evaluation-harness is not installed: pip install "lm_eval[hf]==0.4.13" (skipping the peer)')
        return None
    lm = HFLM(pretrained=model, device=device, batch_size=batch_size, dtype="auto")
    requests = [Instance(request_type="loglikelihood", doc={}, arguments=(ctx, " " + x), idx=j)
                for ctx in contexts for j, x in enumerate(LETTERS)]
    t0 = time.perf_counter()
    results = lm.loglikelihood(requests, disable_tqdm=True)
    seconds = time.perf_counter() - t0
    logliks = [float(r[0]) for r in results]
    return len(contexts) / seconds, [logliks[4 * k:4 * k + 4] for k in range(len(contexts))]


def accuracy(logliks: list[list[float]], docs: list[dict]) -> float:
    return sum(max(range(4), key=lambda j: ll[j]) == target(d) for ll, d in zip(logliks, docs)) / len(docs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="a Hugging Face model folder (safetensors)")
    p.add_argument("--belebele", required=True, type=Path, help="Belebele JSONL of one language")
    p.add_argument("--n", type=int, default=900, help="items to score (default: 900, a whole Belebele language)")
    p.add_argument("--device", default="cuda")
    p.add_argument("--batch-size", type=int, default=None, help="Langbridge's batchSize (default: automatic)")
    p.add_argument("--lm-eval-batch-size", default="auto", help="HFLM's batch_size (default: auto)")
    args = p.parse_args()

    docs = [json.loads(line) for line in args.belebele.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = docs[: args.n]
    contexts = [one_shot_context(docs, k) for k in range(len(docs))]
    ours, ours_ll = langbridge_arm(args.model, contexts, args.device, args.batch_size)
    print(f"langbridge eval: {ours:.1f} items/s (acc {accuracy(ours_ll, docs):.4f}, {len(docs)} items)")
    peer = lm_eval_arm(args.model, contexts, args.device, args.lm_eval_batch_size)
    if peer is None:
        return
    theirs, theirs_ll = peer
    agree = sum(max(range(4), key=lambda j: a[j]) == max(range(4), key=lambda j: b[j])
                for a, b in zip(ours_ll, theirs_ll)) / len(docs)
    print(f"lm-eval HFLM:    {theirs:.1f} items/s (acc {accuracy(theirs_ll, docs):.4f})")
    print(f"ratio: langbridge / lm-eval = {ours / theirs:.2f}x; same answer on {agree:.1%} of items")


if __name__ == "__main__":
    main()
