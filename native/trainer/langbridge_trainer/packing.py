"""Packing documents into rows of exactly seqLen tokens.

A stage's documents (each already followed by EOS) are laid end to end in shard order; row k is
tokens [k*L, (k+1)*L) of that stream, read cyclically, so a token budget larger than the stage
repeats it in the same order and the last row of an epoch is completed by the first documents
(the stream starts at a document boundary, so the wrap is a boundary too). Documents that cross a
row boundary are split there.

Isolation: position_ids restart at 0 at every document start and at every row start (a split
document's tail is trained as a document of its own: its head is in the previous row, out of
reach). transformers turns position ids that do not step by +1 into a block-diagonal causal mask
(masking_utils.find_packed_sequence_indices) when the model is called with attention_mask=None and
no cache, so no token attends across a document boundary.

Labels: every token is its own label (the model shifts by one), except the first token of each
document, whose label is -100: it would be predicted from the previous document's EOS, i.e.
across the boundary. The last text token still learns to predict EOS.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .tokcache import Documents

IGNORE = -100


class TokenStream:
    """Several shards' documents as one cyclic stream of token ids with document starts."""

    def __init__(self, parts: list[Documents]):
        self.parts = [p for p in parts if len(p.tokens)]
        sizes = [len(p.tokens) for p in self.parts]
        self.offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self.offsets[1:])
        self.total = int(self.offsets[-1])
        self.documents = sum(p.count for p in self.parts)

    def window(self, start: int, length: int) -> tuple[np.ndarray, np.ndarray]:
        """`length` ids from `start` (cyclic) and a flag per id: does a document start there?"""
        if self.total == 0:
            raise ValueError("empty token stream")
        ids = np.empty(length, dtype=np.int64)
        flags = np.zeros(length, dtype=bool)
        filled = 0
        pos = start % self.total
        while filled < length:
            i = int(np.searchsorted(self.offsets, pos, side="right")) - 1
            part = self.parts[i]
            local = pos - int(self.offsets[i])
            n = min(length - filled, len(part.tokens) - local)
            ids[filled:filled + n] = part.tokens[local:local + n]
            lo, hi = np.searchsorted(part.starts, [local, local + n], side="left")
            flags[filled + part.starts[lo:hi] - local] = True
            filled += n
            pos = (pos + n) % self.total
        return ids, flags


@dataclass(frozen=True)
class Row:
    input_ids: np.ndarray
    position_ids: np.ndarray
    labels: np.ndarray


def make_row(ids: np.ndarray, starts: np.ndarray) -> Row:
    starts = starts.copy()
    starts[0] = True  # a row never continues attention from the previous row
    idx = np.arange(len(ids), dtype=np.int64)
    last_start = np.maximum.accumulate(np.where(starts, idx, 0))
    labels = ids.copy()
    labels[starts] = IGNORE
    return Row(input_ids=ids, position_ids=idx - last_start, labels=labels)


def stream_row(stream: TokenStream, k: int, seq_len: int) -> Row:
    return make_row(*stream.window(k * seq_len, seq_len))


def rows_per_epoch(stream: TokenStream, seq_len: int) -> int:
    return -(-stream.total // seq_len)


def eval_rows(docs: Documents, max_documents: int | None, seq_len: int, pad_id: int) -> tuple[list[Row], int]:
    """Held-out rows: the first `max_documents` documents once, no wrap; returns rows and their characters.

    The last row is padded with `pad_id` tokens that form a document of their own with no labels,
    so padding neither sees nor is seen by real text and adds nothing to the loss.
    """
    n = docs.count if max_documents is None else min(docs.count, max_documents)
    end = int(docs.starts[n])
    tokens = np.asarray(docs.tokens[:end], dtype=np.int64)
    flags = np.zeros(end, dtype=bool)
    flags[docs.starts[:n]] = True
    rows = []
    for a in range(0, end, seq_len):
        ids, st = tokens[a:a + seq_len], flags[a:a + seq_len]
        pad = seq_len - len(ids)
        if pad:
            ids = np.concatenate([ids, np.full(pad, pad_id, dtype=np.int64)])
            st = np.concatenate([st, np.zeros(pad, dtype=bool)])
            st[seq_len - pad] = True
        row = make_row(ids, st)
        if pad:
            row.labels[seq_len - pad:] = IGNORE
        rows.append(row)
    return rows, int(docs.chars[:n].sum())


def collate(rows: list[Row], device: torch.device) -> dict[str, torch.Tensor]:
    def stack(name: str) -> torch.Tensor:
        return torch.from_numpy(np.stack([getattr(r, name) for r in rows])).to(device, non_blocking=True)

    return {"input_ids": stack("input_ids"), "position_ids": stack("position_ids"), "labels": stack("labels")}


def row_targets(rows: list[Row]) -> int:
    """Tokens that carry loss in these rows once the model's one-token shift is applied (host side)."""
    return sum(int(np.count_nonzero(r.labels[1:] != IGNORE)) for r in rows)


def target_count(labels: torch.Tensor) -> int:
    """Tokens that carry loss once the model's one-token shift is applied."""
    return int((labels[:, 1:] != IGNORE).sum())
