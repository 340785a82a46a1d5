"""Model FLOPs utilisation (MFU), as in the PaLM paper (Chowdhery et al. 2022, appendix B).

    FLOPs per token = 6 * N + 12 * n_layers * (n_heads * head_dim) * seqLen

N is the number of non-embedding parameters (embedding lookups are not matmuls); 6N is forward
(2N) plus backward (4N). The second term is attention's score and value matmuls, forward and
backward, counted over the full seqLen as the convention does even though packed documents attend
to less. Its width is PaLM's H*Q, n_heads * head_dim, which is not the hidden size in every model
(Qwen3-0.6B: 16 heads x 128 = 2048 over a hidden size of 1024). A LoRA run computes no weight
gradients for frozen weights, so its weight term is 4N (forward plus the activation gradients)
plus 6 per adapter parameter. Recomputation by activation checkpointing is not counted: that is
hardware utilisation, not model utilisation.

Not counted, by that convention: the output projection (lm_head, vocab x hidden), although the
logits are a matmul. With Qwen's 152k vocabulary it is about 8% of a 7B model's matmul work and over
a quarter of a 0.5B one's, so MFU here reads that much lower than with torchtitan's or Megatron's
count, which include it.

    MFU = tokens per second * FLOPs per token / (peak FLOPs per GPU * GPUs)

against each GPU's dense bf16/fp16 tensor-core peak (fp32 runs therefore show a low MFU).
"""

from __future__ import annotations

# Dense (no sparsity) bf16 tensor-core peaks from the vendors' data sheets, FLOP/s. Matched in
# order against the device name, so the more specific names come first.
PEAK_BF16_FLOPS: tuple[tuple[str, float], ...] = (
    ("H200 NVL", 835e12),
    ("H200", 989e12),
    ("H100 PCIe", 756e12),
    ("H100 NVL", 835e12),
    ("H100", 989e12),
    ("H800 PCIe", 756e12),
    ("H800", 989e12),
    ("GH200", 989e12),
    ("B200", 2250e12),
    ("A100", 312e12),
    ("A800", 312e12),
    ("L40S", 362e12),
    ("L40", 181e12),
    ("L4", 121e12),
    ("A10G", 70e12),
    ("A10", 125e12),
    ("RTX 4090", 165e12),
    ("RTX 3090", 71e12),
    ("V100", 125e12),  # fp16; V100 has no bf16
    ("T4", 65e12),  # fp16
)


def peak_flops(device_name: str | None) -> float | None:
    if not device_name:
        return None
    for needle, flops in PEAK_BF16_FLOPS:
        if needle.lower() in device_name.lower():
            return flops
    return None


def attention_width(config) -> int:
    """n_heads * head_dim of a transformers config (PaLM's H*Q)."""
    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    return heads * head_dim


def flops_per_token(non_embedding_params: int, trainable_params: int, n_layers: int, hidden: int, seq_len: int,
                    lora: bool, *, attention_width: int | None = None) -> float:
    """`hidden` stands in for the attention width (n_heads * head_dim) when that is not given:
    use model_flops_per_token, which reads it from the model's config."""
    attention = 12 * n_layers * (attention_width or hidden) * seq_len
    if lora:
        return 4 * non_embedding_params + 6 * trainable_params + attention
    return 6 * non_embedding_params + attention


def mfu(tokens_per_second: float, per_token: float, peak: float | None, world_size: int) -> float | None:
    if not peak:
        return None
    return tokens_per_second * per_token / (peak * world_size)


def model_flops_per_token(config, counts: dict[str, int], seq_len: int, lora: bool) -> float:
    """flops_per_token for a transformers config and model.parameter_counts(): what `train` reports."""
    return flops_per_token(counts["non_embedding"], counts["trainable"], config.num_hidden_layers, config.hidden_size,
                           seq_len, lora=lora, attention_width=attention_width(config))
