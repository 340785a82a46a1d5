"""The chunked loss (loss.nll_sum) against the full-logits computation it replaced: same value, same gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from langbridge_trainer import loss
from langbridge_trainer.model import apply_lora, load_model
from langbridge_trainer.packing import IGNORE, TokenStream, collate, stream_row
from langbridge_trainer.spec import DEFAULT_LORA_TARGETS, LoraSpec
from langbridge_trainer.tokcache import Documents

CPU = torch.device("cpu")
SEQ_LEN = 45
ROWS = 2
CHUNK = 16  # 2 rows x 44 predicted tokens = 88 = 5 chunks of 16 and a ragged one of 8


def reference_nll_sum(model, batch):
    """The loss as it was before chunking: full [rows, seqLen, vocab] logits, fp32 cross-entropy."""
    logits = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
    return F.cross_entropy(logits[:, :-1].flatten(0, 1).float(), batch["labels"][:, 1:].flatten(),
                           ignore_index=IGNORE, reduction="sum")


def packed_batch(seed: int = 0, ignore_first_chunk: bool = False) -> dict[str, torch.Tensor]:
    """Rows packed from random documents: position ids restart and first tokens are unlabelled, as in training."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(5, 30, size=12)
    tokens = rng.integers(0, 151_000, size=int(lengths.sum())).astype(np.uint32)
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    stream = TokenStream([Documents(tokens=tokens, starts=starts, chars=np.ones(len(lengths), dtype=np.int64))])
    batch = collate([stream_row(stream, k, SEQ_LEN) for k in range(ROWS)], CPU)
    assert (batch["labels"] == IGNORE).any() and (batch["position_ids"][:, 1:] == 0).any()
    if ignore_first_chunk:  # a chunk with no label at all contributes 0 and no gradient
        batch["labels"][0, 1:CHUNK + 3] = IGNORE
    return batch


def make_model(tiny_model, method: str):
    torch.manual_seed(0)
    model = load_model(tiny_model, torch.float32, "sdpa")
    if method != "full":
        targets = DEFAULT_LORA_TARGETS + (("lm_head",) if method == "lora-lm_head" else ())
        model = apply_lora(model, LoraSpec(r=4, alpha=8, dropout=0.0, target_modules=targets))
        # LoRA's B starts at zero, which would make every A gradient zero: give B values.
        g = torch.Generator().manual_seed(1)
        with torch.no_grad():
            for name, p in model.named_parameters():
                if "lora_B" in name:
                    p.copy_(torch.randn(p.shape, generator=g) * 0.05)
    return model.train()


def value_and_grads(model, fn, batch):
    model.zero_grad(set_to_none=True)
    value = fn(model, batch)
    value.backward()
    grads = {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
    assert all(g is not None for g in grads.values())
    return value.detach(), grads


def assert_grads_match(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for name, g in want.items():
        scale = float(g.abs().max())
        assert scale > 0, f"{name}: zero gradient, nothing is being compared"
        # 1e-5 relative to the parameter's gradient as a whole, elementwise where it is not cancelling to ~0.
        assert float((got[name] - g).norm() / g.norm()) < 1e-5, name
        torch.testing.assert_close(got[name], g, rtol=1e-5, atol=1e-6 * scale, msg=name)


@pytest.mark.parametrize("method", ["full", "lora", "lora-lm_head"])
@pytest.mark.parametrize("ignore_first_chunk", [False, True])
def test_chunked_loss_matches_full_logits(tiny_model, monkeypatch, method, ignore_first_chunk):
    model = make_model(tiny_model, method)
    batch = packed_batch(ignore_first_chunk=ignore_first_chunk)
    want, want_grads = value_and_grads(model, reference_nll_sum, batch)
    monkeypatch.setattr(loss, "CHUNK_TOKENS", CHUNK)  # read at call time: what train and evaluate get
    got, got_grads = value_and_grads(model, loss.nll_sum, batch)
    assert got.dtype == torch.float32 and got.shape == ()
    assert float(got) == pytest.approx(float(want), rel=1e-5)
    assert_grads_match(got_grads, want_grads)
    # Evaluation's path (no_grad: nothing checkpointed), with one chunk, several, one token each.
    with torch.no_grad():
        for chunk in (loss.CHUNK_TOKENS, CHUNK, 1):
            assert float(loss.nll_sum(model, batch, chunk_tokens=chunk)) == pytest.approx(float(want), rel=1e-5)


def test_chunked_loss_matches_under_bf16_autocast(tiny_model):
    # The recomputed chunks run again under the autocast of their forward (checkpoint restores it).
    model = make_model(tiny_model, "full")
    batch = packed_batch(seed=3)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        want, want_grads = value_and_grads(model, reference_nll_sum, batch)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        got, got_grads = value_and_grads(model, lambda m, b: loss.nll_sum(m, b, chunk_tokens=CHUNK), batch)
    assert got.dtype == torch.float32
    assert float(got) == pytest.approx(float(want), rel=1e-5)
    for name, g in want_grads.items():
        assert float((got_grads[name] - g).norm() / g.norm()) < 1e-3, name


@pytest.mark.parametrize("method", ["full", "lora"])
def test_full_logits_are_never_materialised(tiny_model, method):
    """The wrapper's own forward runs (DDP and FSDP hook it), its lm_head projects no position, and the loss
    projects at most one chunk at a time: each chunk once in forward, and all but the last again in backward."""
    model = make_model(tiny_model, method)
    batch = packed_batch()
    projected: list[tuple[str, int]] = []
    phase = ["forward"]
    head = loss.output_head(model)
    assert head is model.get_output_embeddings()
    head.register_forward_hook(lambda m, args, out: projected.append((phase[0], out.shape[:-1].numel())))
    wrapper_calls = []
    model.register_forward_pre_hook(lambda m, args: wrapper_calls.append(m))
    value = loss.nll_sum(model, batch, chunk_tokens=CHUNK)
    phase[0] = "backward"
    value.backward()
    assert wrapper_calls == [model]
    chunks = [CHUNK] * 5 + [8]
    assert projected == ([("forward", 0)] + [("forward", n) for n in chunks] +
                         [("backward", CHUNK)] * 5)


def test_output_head_is_found_through_ddp(tiny_model, tmp_path):
    import torch.distributed as dist

    model = make_model(tiny_model, "lora")
    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'pg'}", rank=0, world_size=1)
    try:
        ddp = torch.nn.parallel.DistributedDataParallel(model)
        assert loss.output_head(ddp) is model.get_base_model().lm_head
        batch = packed_batch()
        want, want_grads = value_and_grads(model, reference_nll_sum, batch)
        got, got_grads = value_and_grads(ddp, lambda m, b: loss.nll_sum(m, b, chunk_tokens=CHUNK), batch)
        assert float(got) == pytest.approx(float(want), rel=1e-5)
        assert_grads_match({n.removeprefix("module."): g for n, g in got_grads.items()}, want_grads)
    finally:
        dist.destroy_process_group()


def test_loss_memory_formula():
    assert loss.loss_memory_bytes(4 * 4095, 151_936) == 1024 * 151_936 * 12
    assert loss.loss_memory_bytes(300, 151_936) == 300 * 151_936 * 12
