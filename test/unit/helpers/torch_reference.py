"""PyTorch's side of the ONNX translation test: for each request, on the fp32 Hugging Face model,

- "greedy": the greedy continuation of the prompt (one forward pass per token with the cache),
  stopping at the first token whose text holds a line break or at an end-of-text token, or after
  max_new_tokens; with each token's log-probability.
- "score": the log-probability of each given token after the prompt (teacher forcing).

Reads {"model": DIR, "requests": [{"prompt": str, "max_new_tokens": int} | {"prompt": str, "tokens": [int]}]}
on stdin; writes {"results": [{"prompt_ids", "tokens", "log_probs", "text"}]} on stdout.
"""

import json
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def main() -> None:
    spec = json.load(sys.stdin)
    tok = AutoTokenizer.from_pretrained(spec["model"])
    model = AutoModelForCausalLM.from_pretrained(spec["model"], dtype=torch.float32).eval()
    eos = model.generation_config.eos_token_id
    eos = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
    results = []
    with torch.no_grad():
        for req in spec["requests"]:
            ids = tok(req["prompt"], add_special_tokens=False)["input_ids"]
            forced = req.get("tokens")
            out = model(input_ids=torch.tensor([ids]), use_cache=True)
            tokens, log_probs = [], []
            steps = len(forced) if forced is not None else req["max_new_tokens"]
            for i in range(steps):
                logp = torch.log_softmax(out.logits[0, -1].double(), dim=-1)
                t = forced[i] if forced is not None else int(torch.argmax(logp))
                tokens.append(t)
                log_probs.append(float(logp[t]))
                if forced is None and (t in eos or "\n" in tok.decode([t])):
                    break
                out = model(input_ids=torch.tensor([[t]]), past_key_values=out.past_key_values, use_cache=True)
            text = tok.decode([t for t in tokens if t not in eos], skip_special_tokens=True)
            results.append({"prompt_ids": ids, "tokens": tokens, "log_probs": log_probs, "text": text})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
