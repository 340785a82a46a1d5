"""Base model and tokenizer: loading (safetensors only), precision, LoRA, attention path.

Attention path. Packed rows need a block-diagonal causal mask. transformers builds it from
position_ids when attention_mask is None (see packing.py):
  - "sdpa" materialises it as a dense boolean [batch, 1, L, L] mask: O(L^2) memory, fine on CPU
    and for L up to a few thousand, and supported everywhere.
  - "flex_attention" compiles it into a BlockMask (torch.nn.attention.flex_attention): no dense
    mask, and fully masked blocks are skipped. It needs torch.compile, which is cheap on CUDA.
"auto" picks flex_attention on CUDA and sdpa on CPU. Whichever is picked is checked once at
start-up (check_isolation) on a two-document row: if flex_attention fails or leaks across the
boundary the run falls back to sdpa and says so in the `plan` event; if sdpa leaks, the run stops.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import torch

from .errors import ModelError, SpecError
from .spec import LoraSpec

# flex_attention's kernels work in 128-token blocks; on CPU (torch 2.11) a row shorter than one
# block came out wrong in our checks, so flex is used only for whole blocks.
FLEX_BLOCK = 128


def resolve_device(requested: str, local_rank: int = 0) -> torch.device:
    if requested == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda", local_rank)
    if requested == "cuda":
        raise SpecError("device", "'cuda' was asked for but this PyTorch sees no CUDA GPU (see `doctor`)")
    return torch.device("cpu")


def resolve_precision(requested: str, device: torch.device) -> str:
    if requested != "auto":
        return requested
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return "bf16"
    return "fp32"


def autocast_dtype(precision: str) -> torch.dtype | None:
    return {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)


def autocast(device: torch.device, precision: str):
    dtype = autocast_dtype(precision)
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)


def check_model_folder(path: Path) -> None:
    if not path.is_dir():
        raise ModelError(f"base model folder {path} does not exist")
    if not (path / "config.json").exists():
        raise ModelError(f"{path} is not a Hugging Face model folder: it has no config.json")
    if not any(path.glob("*.safetensors")):
        raise ModelError(
            f"{path} has no *.safetensors weights; Langbridge loads safetensors only (pickled .bin/.pt files can "
            f"run code when loaded). Download the safetensors variant or convert the model first"
        )


def load_tokenizer(path: Path):
    from transformers import AutoTokenizer  # noqa: PLC0415 - heavy import, only when training

    check_model_folder(path)  # also keeps a missing folder from being looked up on the Hub as a repo id
    try:
        tok = AutoTokenizer.from_pretrained(str(path))
    except Exception as exc:  # noqa: BLE001 - any failure here means the folder's tokenizer is unusable
        raise ModelError(f"cannot load the tokenizer of {path}: {exc}") from exc
    if not getattr(tok, "is_fast", False):
        raise ModelError(f"the tokenizer of {path} is not a fast tokenizer (it needs a tokenizer.json)")
    if tok.eos_token_id is None:
        raise ModelError(f"the tokenizer of {path} has no eos_token; documents could not be separated")
    return tok


def load_model(path: Path, dtype: torch.dtype, attention: str):
    from transformers import AutoModelForCausalLM  # noqa: PLC0415

    check_model_folder(path)
    try:
        return AutoModelForCausalLM.from_pretrained(
            str(path), use_safetensors=True, dtype=dtype, attn_implementation=attention, local_files_only=True
        )
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load {path} as a causal language model: {exc}") from exc


def apply_lora(model, lora: LoraSpec):
    from peft import LoraConfig, get_peft_model  # noqa: PLC0415

    config = LoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout,
                        target_modules=list(lora.target_modules), task_type="CAUSAL_LM")
    try:
        # autocast_adapter_dtype keeps the adapter in fp32 over a bf16 base: its updates are small.
        return get_peft_model(model, config, autocast_adapter_dtype=True)
    except ValueError as exc:
        raise SpecError("lora.targetModules", str(exc)) from exc


def enable_activation_checkpointing(model) -> None:
    kwargs = {"use_reentrant": False}
    if hasattr(model, "activation_checkpointing_enable"):
        model.activation_checkpointing_enable(activation_checkpointing_kwargs=kwargs)
    else:  # transformers 5.x before the rename
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs=kwargs)
    # With the cache on, checkpointed layers would hold it; training never uses it.
    model.config.use_cache = False


def choose_attention(requested: str, device: torch.device, seq_len: int) -> tuple[str, str | None]:
    if requested != "auto":
        if requested == "flex_attention" and seq_len % FLEX_BLOCK:
            raise SpecError("attention", f"flex_attention needs seqLen to be a multiple of {FLEX_BLOCK}")
        return requested, None
    if device.type != "cuda":
        return "sdpa", "CPU: sdpa with a dense block-diagonal mask"
    if seq_len % FLEX_BLOCK:
        return "sdpa", f"seqLen is not a multiple of {FLEX_BLOCK}, so sdpa rather than flex_attention"
    return "flex_attention", None


def isolation_error(model, device: torch.device, first: int = 160, second: int = 96) -> float:
    """Largest relative logit difference for a document alone vs. after another in the same row.

    0 (up to rounding) when the mask isolates documents; of the order of 1 when it does not.
    Uses its own generator so the run's random streams are untouched.
    """
    vocab = model.get_input_embeddings().weight.shape[0]
    g = torch.Generator().manual_seed(1234)
    a = torch.randint(0, vocab, (1, first), generator=g)
    b = torch.randint(0, vocab, (1, second), generator=g)
    packed = torch.cat([a, b], 1).to(device)
    pos = torch.cat([torch.arange(first), torch.arange(second)]).unsqueeze(0).to(device)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            together = model(input_ids=packed, position_ids=pos, use_cache=False).logits[:, first:].float()
            alone = model(input_ids=b.to(device), position_ids=pos[:, first:], use_cache=False).logits.float()
    finally:
        model.train(was_training)
    return float((together - alone).abs().max() / (alone.abs().max() + 1e-6))


def settle_attention(model, attention: str, device: torch.device) -> tuple[str, str | None]:
    """Check the chosen path isolates documents; fall back from flex_attention to sdpa if not."""
    # Loose enough for bf16 rounding between two kernels, far below what a leaking mask gives.
    tolerance = 2e-2
    try:
        err = isolation_error(model, device)
        if err <= tolerance:
            return attention, None
        problem = f"documents were not isolated (relative logit difference {err:.3g})"
    except Exception as exc:  # noqa: BLE001 - any failure of the optional kernel means: use sdpa
        if attention != "flex_attention":
            raise
        problem = f"{type(exc).__name__}: {exc}"
    if attention != "flex_attention":
        raise ModelError(f"attention '{attention}' does not isolate packed documents: {problem}")
    model.set_attn_implementation("sdpa")
    err = isolation_error(model, device)
    if err > tolerance:
        raise ModelError(f"attention 'sdpa' does not isolate packed documents (relative difference {err:.3g})")
    return "sdpa", f"flex_attention was not usable ({problem[:300]}); using sdpa"


def parameter_counts(model) -> dict[str, int]:
    """Total, trainable and non-embedding parameters (tied weights counted once)."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    embedding = model.get_input_embeddings().weight
    excluded = embedding.numel()
    out = model.get_output_embeddings()
    if out is not None and out.weight is not embedding:
        excluded += out.weight.numel()
    return {"parameters": total, "trainable": trainable, "non_embedding": total - excluded}
