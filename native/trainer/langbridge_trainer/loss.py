"""Next-token loss over packed rows, summed so micro-batches and ranks can be weighted by tokens.

The output projection is chunked. A row's full logits are [seqLen, vocab] (Qwen: 151,936 rows):
at seqLen 4096 that is 1.2 GB in bf16 and 2.5 GB for each fp32 copy the cross-entropy makes, per
row, all alive at once. Instead the model's forward returns only the final hidden states, and the
loss projects them CHUNK_TOKENS tokens at a time: logits = lm_head(chunk) in the compute precision,
cross-entropy in fp32, summed. Every chunk but the last runs under torch.utils.checkpoint
(use_reentrant=False), which keeps nothing of it for backward but its inputs and recomputes its
logits there, so at most one chunk's logits exist at any time, in forward and in backward. The last
chunk is not checkpointed: its saved tensors live only from its forward (the end of the forward
pass) to its backward, which autograd runs first, before any other chunk is recomputed, so
checkpointing it would cost one more projection and save no peak memory. A batch of at most
CHUNK_TOKENS predicted tokens (micro-batch x (seqLen - 1)) is therefore projected exactly once.

Memory the loss needs, beyond the model's activations (for the app's memory estimate): with
c = min(CHUNK_TOKENS, micro-batch x (seqLen - 1)) predicted tokens and V the vocabulary (lm_head rows),
    peak = c x V x 12 bytes  (CHUNK_TOKENS = 1024, V = 151,936: 1.87e9 bytes = 1.74 GiB),
in any compute precision (loss_memory_bytes computes it). During a chunk's backward the fp32
log-softmax output, the fp32 gradient reaching it and the fp32 gradient it produces are alive
together (3 x 4 bytes per logit); its forward needs c x V x 8 bytes (the fp32 logits, or the
compute-precision logits while their fp32 copy is made, then the log-softmax output). Measured on the
tiny model on CPU (fp32, 510 tokens, one chunk): 8.3 bytes per logit in forward, 12.2 in backward. The
full-logits loss this replaced needed at least as much per logit, for every token of the micro-batch
at once (micro-batch x seqLen x V x 12 bytes in fp32; more in bf16: the bf16 logits and slice copies).

The cost: every chunk but the last is projected twice (once in forward, again in backward), so the
lm_head's forward FLOPs are paid about twice for long rows: +1/3 of the lm_head's share of a step's
FLOPs. At seqLen 4096 the lm_head is about a fifth of Qwen2-0.5B's FLOPs (so about +7%) and 7% of
Qwen2-7B's (+2%). flops.py does not count the recomputation, as it does not count activation
checkpointing's.

The forward still goes through the model the caller passes (DDP, FSDP2, PEFT), see nll_sum.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

from .packing import IGNORE

# Predicted tokens per chunk of the output projection (rows of a micro-batch are flattened first, so
# a chunk may span two rows). 1024 x 3584 x 152,064 (Qwen2-7B) is still a large, efficient matmul.
CHUNK_TOKENS = 1024
# Bytes per logit a chunk needs at its peak (see the module docstring).
CHUNK_BYTES_PER_LOGIT = 12


def loss_memory_bytes(tokens: int, vocab: int, chunk_tokens: int = CHUNK_TOKENS) -> int:
    """Peak bytes of the chunked loss for `tokens` predicted tokens per micro-batch (see the module docstring)."""
    return min(chunk_tokens, max(tokens, 1)) * vocab * CHUNK_BYTES_PER_LOGIT


def output_head(model) -> torch.nn.Module:
    """The causal LM's output projection (lm_head), found through DDP, PEFT and torch.compile wrappers.

    FSDP2 (fully_shard) keeps the model's own class (a subclass of it) and attributes, so no
    unwrapping is needed there. Under PEFT this is the LoRA layer when lm_head is a LoRA target.
    """
    m = model
    while True:
        if isinstance(m, torch.nn.parallel.DistributedDataParallel):
            m = m.module
        elif hasattr(m, "_orig_mod"):  # torch.compile's OptimizedModule
            m = m._orig_mod
        else:
            break
    if hasattr(m, "get_base_model"):  # PeftModel
        m = m.get_base_model()
    head = m.get_output_embeddings()
    if head is None:
        raise TypeError(f"{type(m).__name__} has no output embeddings (lm_head); it is not a causal language model")
    return head


def final_hidden_states(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """The decoder's last hidden states (after the final norm), [rows, seqLen, hidden], from the wrapper's forward.

    attention_mask stays None on purpose: that is what makes transformers derive the
    block-diagonal mask from position_ids (see packing.py). use_cache=False for the same reason,
    a cache object disables packed-sequence detection.

    The call goes through `model` itself, not its decoder submodule: DDP's forward arms its
    gradient all-reduce (calling a submodule would leave the gradients unsynchronised) and FSDP2's
    root forward gathers the root's parameters (embeddings, final norm, lm_head) and hooks its
    outputs for backward. Two transformers arguments keep the full logits from being computed:
    logits_to_keep (an empty index: lm_head projects zero positions, [rows, 0, vocab]) and
    output_hidden_states=-1 (capture_outputs returns only the last hidden state, replaced by the
    normed last_hidden_state; the other layers' entries are None, so nothing extra is held). The hidden
    state is part of the wrapper's output, so FSDP2 hooks it like any output.

    The chunks' lm_head then runs after, outside, that forward, which is safe:
      - DDP: its forward armed the reducer, whose hooks sit on each parameter's gradient accumulator
        and fire wherever in the backward the gradient comes from (find_unused_parameters is off, so
        DDP does not walk the graph from the outputs). Non-reentrant checkpointing recomputes inside
        the same backward graph, so lm_head's weight (tied to the embeddings in small Qwens) still
        gets its gradient accumulated once, the sum over all chunks; reentrant checkpointing would
        run separate backwards and DDP would see the parameter "marked ready twice".
      - FSDP2: lm_head is among the root module's parameters, and the root does not reshard after
        forward, so after the forward (and in backward, when a chunk is recomputed) lm_head.weight is
        the gathered parameter in FSDP's param_dtype. Its gradient is reduce-scattered by the root's
        post-backward, which FSDP runs in its final backward callback, after every chunk.
      - PEFT: the forward goes through PeftModel; output_head returns the base model's lm_head (the
        LoRA layer if lm_head is a target).
    tests/test_loss.py compares this with the full-logits loss (plain, LoRA, DDP); the two-process
    test in tests/test_distributed.py checks DDP and FSDP2 against one process with several chunks.
    """
    input_ids = batch["input_ids"]
    out = model(input_ids=input_ids, position_ids=batch["position_ids"], use_cache=False,
                logits_to_keep=torch.empty(0, dtype=torch.long, device=input_ids.device), output_hidden_states=-1)
    hidden = out.hidden_states[-1] if out.hidden_states else None
    if hidden is None or hidden.shape[:2] != input_ids.shape:
        raise RuntimeError("the model did not return its last hidden state for output_hidden_states=-1 "
                           f"({type(out).__name__}); the chunked loss needs transformers' capture_outputs")
    return hidden


def _chunk_nll(head: torch.nn.Module, hidden: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    # The projection in the compute precision (autocast's), the softmax in fp32: a bf16 logsumexp over
    # a 150k vocabulary loses the small differences. Inline, so the bf16 logits are freed right after
    # their fp32 copy is made.
    return F.cross_entropy(head(hidden).float(), labels, ignore_index=IGNORE, reduction="sum")


def nll_sum(model, batch: dict[str, torch.Tensor], chunk_tokens: int | None = None) -> torch.Tensor:
    """Summed negative log-likelihood (nats, fp32 scalar) of every labelled token, predicted from the one before.

    The label of position t+1 is scored on the hidden state of position t. `chunk_tokens` defaults
    to CHUNK_TOKENS (read at call time).
    """
    chunk = chunk_tokens or CHUNK_TOKENS
    head = output_head(model)
    hidden = final_hidden_states(model, batch)
    h = hidden[:, :-1].reshape(-1, hidden.shape[-1])
    labels = batch["labels"][:, 1:].reshape(-1)
    n = labels.numel()
    # No graph, nothing to recompute: evaluation (no_grad) just runs the chunks.
    recompute = torch.is_grad_enabled()
    total = None
    for start in range(0, max(n, 1), chunk):
        end = min(start + chunk, n)
        if recompute and end < n:
            part = checkpoint(_chunk_nll, head, h[start:end], labels[start:end], use_reentrant=False)
        else:
            part = _chunk_nll(head, h[start:end], labels[start:end])
        total = part if total is None else total + part
    return total
