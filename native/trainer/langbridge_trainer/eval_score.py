"""Scoring evaluation items: greedy generation, multiple-choice log-likelihoods, text log-likelihood.

Tokenisation follows the reference each number is compared with:
  - `choices` and `generate` as lm-evaluation-harness's HFLM (no special tokens added; a context's
    trailing spaces move onto the continuation; continuation tokens = those of context+continuation
    after the context's own tokens; contexts too long are cut from the left), so accuracies match it;
  - `loglik-text` as training's held-out evaluation (tokcache.py, evaluate.py): special-token strings
    are text, the family's document start (Llama's BOS; nothing for Qwen) and eos are added, and the
    first token is not scored, so bits per character match the `eval` events of training.

Forward scoring runs on the decoder's final hidden states and projects only the positions that are
scored, a chunk at a time: a batch's full [rows, length, 151,936] logits would not fit beside a 7B model.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .errors import DataError
from .eval_spec import Item

# Positions projected onto the vocabulary at once (x 151,936 x 4 bytes: 311 MB in fp32).
HEAD_CHUNK = 512
DEFAULT_MAX_LENGTH = 2048


@dataclass
class Row:
    """One forward pass's input and what it scores: reads[k] = (position, token), the token predicted there."""
    ids: list[int]
    reads: list[tuple[int, int]]


@dataclass
class Scored:
    logprobs: list[float]
    greedy: list[bool]


def max_length(model) -> int:
    return min(int(getattr(model.config, "max_position_embeddings", DEFAULT_MAX_LENGTH) or DEFAULT_MAX_LENGTH),
               DEFAULT_MAX_LENGTH)


# ---- tokenisation ------------------------------------------------------------------------------

def encode(tokenizer, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def encode_pair(tokenizer, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """lm-evaluation-harness's TemplateLM._encode_pair for decoder-only models."""
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    whole = encode(tokenizer, context + continuation)
    context_ids = encode(tokenizer, context)
    return context_ids, whole[len(context_ids):]


def continuation_reads(tokenizer, context: str, continuation: str, limit: int,
                       prefix_id: int) -> tuple[list[int], list[tuple[int, int]]]:
    """The input a continuation is scored on and its reads, as lm-eval's _loglikelihood_tokens builds them."""
    if context:
        ctx, cont = encode_pair(tokenizer, context, continuation)
    else:  # lm-eval: an empty context is the end-of-text token
        ctx, cont = [prefix_id], encode(tokenizer, continuation)
    if not cont or len(cont) > limit:
        raise ValueError(f"the continuation {continuation!r} has {len(cont)} tokens (1 to {limit} can be scored)")
    ids = (ctx + cont)[:-1][-limit:]
    first = len(ids) - len(cont)
    return ids, [(first + j, t) for j, t in enumerate(cont)]


def text_ids(backend, text: str, eos: int) -> list[int]:
    """The held-out tokenisation of training (tokcache.py)."""
    ids = backend.encode(text, add_special_tokens=True).ids
    return ids if ids and ids[-1] == eos else [*ids, eos]


def text_rows(ids: list[int], limit: int) -> list[Row]:
    """Windows of `limit` tokens overlapping by one: every token but the first is scored once."""
    rows = []
    start = 0
    while start < len(ids) - 1:
        window = ids[start:start + limit]
        rows.append(Row(ids=window[:-1], reads=list(enumerate(window[1:]))))
        start += limit - 1
    return rows


# ---- forward scoring ---------------------------------------------------------------------------

def _head(model):
    head = model.get_output_embeddings()
    if head is None:
        raise TypeError(f"{type(model).__name__} has no lm_head; it is not a causal language model")
    return head


@torch.inference_mode()
def score_rows(model, rows: list[Row], pad_id: int, device: torch.device) -> list[Scored]:
    """Log-probability of each read token, and whether it is the argmax there, in one right-padded forward."""
    width = max(len(r.ids) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    row_idx, pos_idx, target = [], [], []
    for i, r in enumerate(rows):
        ids[i, :len(r.ids)] = torch.tensor(r.ids)
        mask[i, :len(r.ids)] = 1
        for pos, t in r.reads:
            row_idx.append(i)
            pos_idx.append(pos)
            target.append(t)
    hidden = model.get_decoder()(input_ids=ids.to(device), attention_mask=mask.to(device),
                                 use_cache=False).last_hidden_state
    picked = hidden[torch.tensor(row_idx, device=device), torch.tensor(pos_idx, device=device)]
    del hidden
    targets = torch.tensor(target, device=device)
    head = _head(model)
    lps, greedy = [], []
    for a in range(0, len(target), HEAD_CHUNK):
        logits = head(picked[a:a + HEAD_CHUNK]).float()
        t = targets[a:a + HEAD_CHUNK]
        lps.append(logits.gather(1, t[:, None])[:, 0] - torch.logsumexp(logits, -1))
        greedy.append(logits.argmax(-1) == t)
    lp = torch.cat(lps).double().tolist()
    gr = torch.cat(greedy).tolist()
    out, k = [], 0
    for r in rows:
        out.append(Scored(lp[k:k + len(r.reads)], gr[k:k + len(r.reads)]))
        k += len(r.reads)
    return out


def score_choices(model, tokenizer, items: list[Item], pad_id: int, prefix_id: int, device: torch.device) -> list[dict]:
    """Every (context, continuation) of the batch in one forward; continuations needing the same input
    (the one-token answers of a question) share its row, as lm-eval's request grouping does."""
    limit = max_length(model)
    rows: list[Row] = []
    by_input: dict[tuple[int, ...], int] = {}
    plans = []
    for item in items:
        plan = []
        for cont in item.continuations:
            try:
                ids, reads = continuation_reads(tokenizer, item.context, cont, limit, prefix_id)
            except ValueError as exc:
                raise DataError(f"item {item.id!r} (items line {item.line}): {exc}") from exc
            r = by_input.setdefault(tuple(ids), len(rows))
            if r == len(rows):
                rows.append(Row(ids=ids, reads=[]))
            plan.append((r, len(rows[r].reads), len(reads)))
            rows[r].reads += reads
        plans.append(plan)
    scored = score_rows(model, rows, pad_id, device)
    out = []
    for item, plan in zip(items, plans):
        logliks, greedy = [], []
        for r, offset, length in plan:
            s = scored[r]
            logliks.append(float(sum(s.logprobs[offset:offset + length])))
            greedy.append(all(s.greedy[offset:offset + length]))
        out.append({"id": item.id, "type": "choices", "logliks": logliks, "greedy": greedy})
    return out


def score_texts(model, backend, items: list[Item], eos: int, pad_id: int, device: torch.device,
                max_rows: int | None = None) -> list[dict]:
    limit = max_length(model)
    rows: list[Row] = []
    spans = []
    for item in items:
        r = text_rows(text_ids(backend, item.text, eos), limit)
        spans.append((len(rows), len(rows) + len(r)))
        rows += r
    # A long text brings many windows: they go through at most max_rows at a time.
    step = max_rows or len(rows) or 1
    scored: list[Scored] = []
    for a in range(0, len(rows), step):
        scored += score_rows(model, rows[a:a + step], pad_id, device)
    out = []
    for item, (a, b) in zip(items, spans):
        lps = [x for s in scored[a:b] for x in s.logprobs]
        out.append({"id": item.id, "type": "loglik-text", "nll": -float(sum(lps)), "tokens": len(lps),
                    "characters": len(item.text)})
    return out


# ---- generation --------------------------------------------------------------------------------

class _ChosenLogprob:
    """A logits processor that records, at each step, the log-probability of the greedy token.

    It runs last; the model's generation_config is replaced by a bare one at load (eval_run.py), so
    no repetition penalty or other processor changes the scores before it: the argmax it sees is the
    token greedy search picks, and its log-softmax is the model's own log-probability of that token.
    """

    def __init__(self) -> None:
        self.steps: list[torch.Tensor] = []

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:  # noqa: ARG002
        s = scores.float()
        self.steps.append(s.max(-1).values - torch.logsumexp(s, -1))
        return scores


class _StopStrings:
    """Stops a row once its generated text holds a stop string (a StoppingCriteria: a bool per row).

    transformers' own stop_strings (StopStringCriteria) precomputes tables over the whole vocabulary on
    every generate call: 10 s for Qwen's 151,669 tokens on a CPU, more than a batch takes. Here each
    step decodes the last few generated tokens of each row instead: a stop string of n UTF-8 bytes
    spans at most n + 1 tokens (a token holds at least one byte; one more may carry a split
    character's first bytes), so a window of that many tokens sees it when its last token is written.
    """

    def __init__(self, tokenizer, stop: tuple[str, ...], prompt_width: int):
        self.tokenizer = tokenizer
        self.stop = stop
        self.width = prompt_width
        self.window = max(len(s.encode("utf-8")) for s in stop) + 1

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs) -> torch.Tensor:  # noqa: ARG002
        tails = input_ids[:, max(self.width, input_ids.shape[1] - self.window):].tolist()
        texts = self.tokenizer.batch_decode(tails, skip_special_tokens=True)
        return torch.tensor([any(s in t for s in self.stop) for t in texts], dtype=torch.bool,
                            device=input_ids.device)


def _first_stop(tokenizer, ids: list[int], stop: tuple[str, ...]) -> tuple[int, str] | None:
    """(tokens up to and including the one completing the first stop string, text before it), or None."""
    text = tokenizer.decode(ids, skip_special_tokens=True)
    hits = [text.find(s) for s in stop if s in text]
    if not hits:
        return None
    cut = min(hits)
    # The shortest prefix whose text already holds a stop string; "holds a stop string" only turns
    # true as tokens are added, so a binary search finds it with a handful of decodes.
    lo, hi = 1, len(ids)
    while lo < hi:
        mid = (lo + hi) // 2
        part = tokenizer.decode(ids[:mid], skip_special_tokens=True)
        if any(s in part for s in stop):
            hi = mid
        else:
            lo = mid + 1
    return lo, text[:cut]


@torch.inference_mode()
def generate(model, tokenizer, items: list[Item], eos_ids: list[int], pad_id: int, device: torch.device) -> list[dict]:
    """Greedy continuations of a batch of prompts (left-padded, KV cache), each cut at its first stop string.

    The batch shares one list of stop strings (the caller groups items by it); a row's own
    maxNewTokens is applied to its output, so rows with smaller limits come out as if alone.
    """
    from transformers import GenerationConfig, LogitsProcessorList, StoppingCriteriaList  # noqa: PLC0415

    limit = max_length(model)
    stop = items[0].stop
    max_new = max(i.max_new_tokens for i in items)
    prompts = []
    for item in items:
        ids = encode(tokenizer, item.prompt)
        # As lm-eval: a prompt that leaves no room for the answer loses its oldest tokens.
        prompts.append(ids[-max(limit - max_new, 1):])
    width = max(len(p) for p in prompts)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, width - len(p):] = torch.tensor(p)
        mask[i, width - len(p):] = 1
    config = GenerationConfig(do_sample=False, num_beams=1, max_new_tokens=max_new, eos_token_id=eos_ids,
                              pad_token_id=pad_id, use_cache=True)
    recorder = _ChosenLogprob()
    stopping = StoppingCriteriaList([_StopStrings(tokenizer, stop, width)] if stop else [])
    out = model.generate(input_ids=ids.to(device), attention_mask=mask.to(device), generation_config=config,
                         logits_processor=LogitsProcessorList([recorder]), stopping_criteria=stopping)
    generated = out[:, width:].tolist()
    logprobs = torch.stack(recorder.steps, 1).double().tolist() if recorder.steps else [[] for _ in items]
    eos = set(eos_ids)
    results = []
    for item, row, lps in zip(items, generated, logprobs):
        row = row[:item.max_new_tokens]
        end = next((k for k, t in enumerate(row) if t in eos), None)
        body = row if end is None else row[:end]
        found = _first_stop(tokenizer, body, stop) if stop else None
        if found is not None:
            n, text = found
        else:
            n = len(row) if end is None else end + 1  # the eos the model chose counts as one of its tokens
            text = tokenizer.decode(body, skip_special_tokens=True)
        total = float(sum(lps[:n]))
        results.append({"id": item.id, "type": "generate", "text": text.strip(), "tokens": n, "logprob": total,
                        "meanLogprob": total / n if n else None})
    return results
