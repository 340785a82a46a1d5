"""Model FLOPs utilisation (MFU), as in the PaLM paper (Chowdhery et al. 2022, appendix B).

    FLOPs per token = 6 * N + 12 * n_layers * hidden * seqLen

N is the number of non-embedding parameters (embedding lookups are not matmuls); 6N is forward
(2N) plus backward (4N). The second term is attention's score and value matmuls, forward and
backward, counted over the full seqLen as the convention does even though packed documents attend
to less. A LoRA run computes no gradients for frozen weights, so its weight term is 4N (forward
plus the activation gradients) plus 6 per adapter parameter. Recomputation by activation
checkpointing is not counted: that is hardware utilisation, not model utilisation.

    MFU = tokens per second * FLOPs per token / (peak FLOPs per GPU * GPUs)

against each GPU's dense bf16/fp16 tensor-core peak (fp32 runs therefore show a low MFU).
"""

from __future__ import annotations

# Dense (no sparsity) bf16 tensor-core peaks from the vendors' data sheets, FLOP/s. Matched in
# order against the device name, so the more specific names come first.
PEAK_BF16_FLOPS: tuple[tuple[str, float], ...] = (
    ("H200", 989e12),
    ("H100 PCIe", 756e12),
    ("H100", 989e12),
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


def flops_per_token(non_embedding_params: int, trainable_params: int, n_layers: int, hidden: int, seq_len: int,
                    lora: bool) -> float:
    attention = 12 * n_layers * hidden * seq_len
    if lora:
        return 4 * non_embedding_params + 6 * trainable_params + attention
    return 6 * non_embedding_params + attention


def mfu(tokens_per_second: float, per_token: float, peak: float | None, world_size: int) -> float | None:
    if not peak:
        return None
    return tokens_per_second * per_token / (peak * world_size)
