"""Next-token loss over packed rows, summed so micro-batches and ranks can be weighted by tokens."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .packing import IGNORE


def nll_sum(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Summed negative log-likelihood (nats) of every labelled token, predicted from the one before.

    attention_mask stays None on purpose: that is what makes transformers derive the
    block-diagonal mask from position_ids (see packing.py). use_cache=False for the same reason,
    a cache object disables packed-sequence detection.
    """
    logits = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
    # fp32 for the softmax over a 150k vocabulary: bf16 logsumexp loses the small differences.
    return F.cross_entropy(
        logits[:, :-1].flatten(0, 1).float(), batch["labels"][:, 1:].flatten(), ignore_index=IGNORE, reduction="sum"
    )
