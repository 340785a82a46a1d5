import hashlib

import pytest

from langbridge_trainer.__main__ import main
from langbridge_trainer.errors import ModelError
from langbridge_trainer.flops import attention_width, flops_per_token, mfu, model_flops_per_token, peak_flops
from langbridge_trainer.tiny import create_tiny, find_tokenizer


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tiny_model_loads_with_a_fast_qwen_tokenizer(tiny_model):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_model, use_safetensors=True)
    cfg = model.config
    assert type(model).__name__ == "Qwen2ForCausalLM"
    assert (cfg.vocab_size, cfg.hidden_size, cfg.num_hidden_layers, cfg.num_attention_heads,
            cfg.num_key_value_heads, cfg.intermediate_size, cfg.max_position_embeddings) == \
        (151_936, 64, 2, 4, 2, 128, 4096)
    assert cfg.tie_word_embeddings and model.lm_head.weight is model.model.embed_tokens.weight
    tok = AutoTokenizer.from_pretrained(tiny_model)
    assert tok.is_fast and len(tok) <= cfg.vocab_size
    assert tok.eos_token == "<|endoftext|>" and tok.eos_token_id == 151_643
    assert not list(tiny_model.glob("*.bin"))


def test_same_seed_same_weights(tiny_model, tmp_path):
    again = create_tiny(tmp_path / "again", seed=0)
    other = create_tiny(tmp_path / "other", seed=1)
    assert digest(again / "model.safetensors") == digest(tiny_model / "model.safetensors")
    assert digest(other / "model.safetensors") != digest(tiny_model / "model.safetensors")


def test_missing_tokenizer_is_explained(tmp_path, capsys):
    with pytest.raises(ModelError, match="--tokenizer"):
        find_tokenizer(tmp_path / "x.py")
    assert main(["create-tiny", "--out", str(tmp_path / "m"), "--tokenizer", str(tmp_path)]) == 1
    assert "tokenizer.json" in capsys.readouterr().err


def test_mfu_formula_and_peaks():
    # 6N + 12 * layers * hidden * seqLen
    assert flops_per_token(1000, 1000, 2, 64, 128, lora=False) == 6 * 1000 + 12 * 2 * 64 * 128
    assert flops_per_token(1000, 10, 2, 64, 128, lora=True) == 4 * 1000 + 6 * 10 + 12 * 2 * 64 * 128
    assert peak_flops("NVIDIA H100 80GB HBM3") == 989e12
    assert peak_flops("NVIDIA H100 PCIe") == 756e12
    assert peak_flops("NVIDIA H200") == 989e12
    assert peak_flops("NVIDIA A100-SXM4-80GB") == 312e12
    assert peak_flops("Some Future GPU") is None and peak_flops(None) is None
    assert mfu(1000.0, 1e9, 1e12, 2) == pytest.approx(0.5)
    assert mfu(1000.0, 1e9, None, 1) is None
    assert peak_flops("NVIDIA H100 NVL") == 835e12 and peak_flops("NVIDIA H200 NVL") == 835e12


def test_mfu_attention_term_uses_heads_times_head_dim():
    # Regression: the attention term used hidden_size, but PaLM's H*Q is heads x head_dim, which
    # Qwen3-0.6B sets to 16 x 128 = 2048 over a hidden size of 1024.
    from transformers import Qwen2Config, Qwen3Config

    qwen3 = Qwen3Config(hidden_size=1024, num_attention_heads=16, head_dim=128, num_hidden_layers=28)
    assert attention_width(qwen3) == 2048
    assert attention_width(Qwen2Config(hidden_size=896, num_attention_heads=14)) == 896
    counts = {"non_embedding": 440_000_000, "trainable": 440_000_000}
    assert model_flops_per_token(qwen3, counts, 4096, lora=False) == 6 * 440_000_000 + 12 * 28 * 2048 * 4096
    assert model_flops_per_token(qwen3, {**counts, "trainable": 10}, 4096, lora=True) == \
        4 * 440_000_000 + 6 * 10 + 12 * 28 * 2048 * 4096
