"""Held-out evaluation: loss and bits per character per language, with the training's packing.

bpc = total NLL in nats / (ln 2 * characters of the evaluated documents). Characters are Unicode
code points of the documents' text, so languages with different scripts and tokenizer fertility
compare fairly. The first token of each document is not scored (there is nothing before it to
predict it from, the same rule as in training), which makes bpc slightly optimistic, equally so
for every checkpoint. The prediction of each document's EOS is scored (it carries no characters),
which pulls the other way. Held-out documents are packed into rows like training data: one that
crosses a row boundary goes on in the next row as a document of its own (that row's first token
unscored, the head of the document out of reach), so long documents are scored with less context
than a model would have at generation time; again the same for every checkpoint.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import torch

from . import distributed
from .loss import nll_sum
from .manifest import Manifest
from .model import autocast
from .packing import IGNORE, Row, collate, eval_rows, target_count
from .tokcache import TokenCache


@dataclass(frozen=True)
class LanguageSet:
    lang: str
    rows: list[Row]
    characters: int
    documents: int
    tokens: int


def prepare(cache: TokenCache, manifest: Manifest, max_documents: int | None, seq_len: int,
            pad_id: int) -> list[LanguageSet]:
    sets = []
    for h in manifest.held_out:
        docs = cache.load(h.file)
        rows, characters = eval_rows(docs, max_documents, seq_len, pad_id)
        n = docs.count if max_documents is None else min(docs.count, max_documents)
        sets.append(LanguageSet(lang=h.lang, rows=rows, characters=characters, documents=n,
                                tokens=int(docs.starts[n])))
    return sets


def evaluate(model, sets: list[LanguageSet], micro_batch: int, device: torch.device, precision: str,
             world: distributed.World) -> dict:
    start = time.perf_counter()
    was_training = model.training
    model.eval()
    sums: list[float] = []
    try:
        with torch.no_grad():
            for s in sets:
                nll = 0.0
                count = 0
                mine = s.rows[world.rank::world.size]
                # Every rank runs the same number of forwards (FSDP gathers weights in each), so a
                # rank short of rows repeats one with no labels.
                per_rank = -(-len(s.rows) // world.size)
                mine += [Row(r.input_ids, r.position_ids, np.full_like(r.labels, IGNORE))
                         for r in s.rows[: per_rank - len(mine)]]
                for i in range(0, len(mine), micro_batch):
                    batch = collate(mine[i:i + micro_batch], device)
                    with autocast(device, precision):
                        nll += float(nll_sum(model, batch))
                    count += target_count(batch["labels"])
                sums += [nll, float(count)]
    finally:
        model.train(was_training)
    sums = distributed.all_sum(world, sums, device)
    languages = {}
    for k, s in enumerate(sets):
        nll, count = sums[2 * k], sums[2 * k + 1]
        if count == 0 or s.characters == 0:
            continue
        languages[s.lang] = {
            "loss": nll / count,
            "bpc": nll / (math.log(2) * s.characters),
            "tokens": int(count),
            "characters": s.characters,
            "documents": s.documents,
        }
    losses = [v["loss"] for v in languages.values()]
    bpcs = [v["bpc"] for v in languages.values()]
    return {
        "languages": languages,
        "meanLoss": sum(losses) / len(losses) if losses else None,
        "meanBpc": sum(bpcs) / len(bpcs) if bpcs else None,
        "seconds": time.perf_counter() - start,
    }
