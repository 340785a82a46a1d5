"""PyTorch's side of `npm run bench:translate` (test/bench/translate-bench.mjs drives it).

    python bench/bench_translate.py make --shape qwen2-0.5b --out DIR
        a random model of that shape with the Qwen tokenizer, saved as a Hugging Face folder
        (the exporter then writes its ONNX files: the same weights on both sides)
    python bench/bench_translate.py torch --model DIR --prompts FILE --new-tokens 128 --threads N
        greedy `generate` on the CPU, one prompt at a time (batch 1, as Langbridge translates),
        exactly --new-tokens per prompt (min_new_tokens = max_new_tokens), after one warm-up run;
        prints {"tokens", "seconds", "tokens_per_s", "outputs"} as JSON on stdout

Shapes: "qwen2-0.5b" is Qwen/Qwen2.5-0.5B's config.json (hidden 896, 24 layers, 14 query and 2
key/value heads, intermediate 4864, 151,936-row tied embedding, rope theta 1e6, RMS eps 1e-6),
with random weights; "tiny" is the app's tiny demo model (langbridge_trainer.tiny).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Qwen/Qwen2.5-0.5B config.json (the values that shape the computation).
QWEN25_05B = dict(hidden_size=896, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
                  intermediate_size=4864, max_position_embeddings=32768, rope_theta=1_000_000.0,
                  rms_norm_eps=1e-6, tie_word_embeddings=True, hidden_act="silu")


def make(shape: str, out: Path, seed: int) -> None:
    import torch
    from transformers import AutoTokenizer, GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    from langbridge_trainer.tiny import DOCUMENT_END, QWEN2_VOCAB_SIZE, create_tiny, find_tokenizer

    if shape == "tiny":
        create_tiny(out, seed=seed)
        return
    tok = AutoTokenizer.from_pretrained(str(find_tokenizer()))
    tok.eos_token = DOCUMENT_END
    tok.pad_token = DOCUMENT_END
    config = Qwen2Config(vocab_size=QWEN2_VOCAB_SIZE, bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id,
                         pad_token_id=tok.pad_token_id, use_cache=True, **QWEN25_05B)
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    model.generation_config = GenerationConfig(bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id,
                                               pad_token_id=tok.pad_token_id)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))


def run_torch(model_dir: Path, prompts: list[str], new_tokens: int, threads: int) -> dict:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(threads)
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32).eval()

    def generate(prompt: str, n: int) -> list[int]:
        ids = tok(prompt, return_tensors="pt", add_special_tokens=False)
        out = model.generate(**ids, do_sample=False, num_beams=1, max_new_tokens=n, min_new_tokens=n,
                             pad_token_id=tok.pad_token_id)
        return out[0, ids["input_ids"].shape[1]:].tolist()

    with torch.inference_mode():
        generate(prompts[0], 8)  # warm-up: first-call allocations and kernel selection
        outputs, started = [], time.perf_counter()
        for p in prompts:
            outputs.append(generate(p, new_tokens))
        seconds = time.perf_counter() - started
    tokens = sum(len(o) for o in outputs)
    return {"tokens": tokens, "seconds": seconds, "tokens_per_s": tokens / seconds, "outputs": outputs,
            "threads": threads, "torch": torch.__version__}


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("--shape", choices=["tiny", "qwen2-0.5b"], required=True)
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("torch")
    t.add_argument("--model", type=Path, required=True)
    t.add_argument("--prompts", type=Path, required=True, help="a JSON array of prompt strings")
    t.add_argument("--new-tokens", type=int, default=128)
    t.add_argument("--threads", type=int, required=True)
    args = ap.parse_args()
    if args.command == "make":
        make(args.shape, args.out, args.seed)
        return 0
    prompts = json.loads(args.prompts.read_text(encoding="utf-8"))
    json.dump(run_torch(args.model, prompts, args.new_tokens, args.threads), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
