"""Packed documents must not see each other: same logits and same loss as when trained alone."""

import os

import numpy as np
import pytest
import torch

from langbridge_trainer.loss import nll_sum
from langbridge_trainer.model import isolation_error, load_model, load_tokenizer
from langbridge_trainer.packing import IGNORE, TokenStream, collate, make_row, stream_row
from langbridge_trainer.tokcache import Documents

CPU = torch.device("cpu")
TEXT_A = "Everyone has the right to life, liberty and security of person, and to an effective remedy."
TEXT_B = "Kila mtu ana haki ya kuishi, uhuru na usalama wa nafsi yake."


@pytest.fixture(scope="module")
def model(tiny_model):
    return load_model(tiny_model, torch.float32, "sdpa").eval()


@pytest.fixture(scope="module")
def docs(tiny_model):
    tok = load_tokenizer(tiny_model)
    a = tok(TEXT_A, add_special_tokens=False).input_ids + [tok.eos_token_id]
    b = tok(TEXT_B, add_special_tokens=False).input_ids + [tok.eos_token_id]
    return np.array(a), np.array(b)


def documents(*docs: np.ndarray) -> Documents:
    tokens = np.concatenate(docs).astype(np.uint32)
    starts = np.concatenate([[0], np.cumsum([len(d) for d in docs])]).astype(np.int64)
    return Documents(tokens=tokens, starts=starts, chars=np.ones(len(docs), dtype=np.int64))


def logits(model, rows):
    batch = collate(rows, CPU)
    with torch.no_grad():
        return model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits


def test_a_document_has_the_same_logits_with_or_without_a_neighbour(model, docs):
    a, b = docs
    n = len(a) + len(b)
    packed = stream_row(TokenStream([documents(a, b)]), 0, n)
    assert packed.position_ids[len(a)] == 0 and packed.position_ids[-1] == len(b) - 1
    alone = make_row(b, np.eye(1, len(b), dtype=bool)[0])
    together = logits(model, [packed])[0, len(a):]
    by_itself = logits(model, [alone])[0]
    torch.testing.assert_close(together, by_itself, atol=1e-5, rtol=0)

    # The same tokens with positions that do not restart: B now sees A, and its logits move.
    leaky = make_row(packed.input_ids, np.eye(1, n, dtype=bool)[0])
    assert (logits(model, [leaky])[0, len(a):] - by_itself).abs().max() > 1e-3


def test_isolation_holds_in_every_row_of_a_batch(model, docs):
    a, b = docs
    n = len(a) + len(b)
    first = stream_row(TokenStream([documents(a, b)]), 0, n)
    second = stream_row(TokenStream([documents(b, a)]), 0, n)
    out = logits(model, [first, second])
    alone_a = logits(model, [make_row(a, np.eye(1, len(a), dtype=bool)[0])])[0]
    alone_b = logits(model, [make_row(b, np.eye(1, len(b), dtype=bool)[0])])[0]
    torch.testing.assert_close(out[0, :len(a)], alone_a, atol=1e-5, rtol=0)
    torch.testing.assert_close(out[0, len(a):], alone_b, atol=1e-5, rtol=0)
    torch.testing.assert_close(out[1, :len(b)], alone_b, atol=1e-5, rtol=0)
    torch.testing.assert_close(out[1, len(b):], alone_a, atol=1e-5, rtol=0)


def test_packed_loss_is_the_sum_of_the_documents_losses(model, docs):
    a, b = docs
    packed = stream_row(TokenStream([documents(a, b)]), 0, len(a) + len(b))
    # No label on B's first token: it would be predicted from A's EOS, across the boundary.
    assert packed.labels[len(a)] == IGNORE and packed.labels[len(a) - 1] == a[-1]
    with torch.no_grad():
        together = nll_sum(model, collate([packed], CPU))
        separate = sum(nll_sum(model, collate([make_row(d, np.eye(1, len(d), dtype=bool)[0])], CPU)) for d in (a, b))
    assert float(together) == pytest.approx(float(separate), rel=1e-5)


def test_startup_check_measures_isolation(model):
    assert isolation_error(model, CPU) < 1e-5


@pytest.mark.skipif(os.environ.get("LANGBRIDGE_TEST_FLEX") != "1",
                    reason="compiles flex_attention on CPU (about 15 s); set LANGBRIDGE_TEST_FLEX=1")
def test_flex_attention_path_isolates_like_sdpa(tiny_model, docs):
    # flex_attention is the CUDA path; its BlockMask comes from the same position ids. On CPU
    # it runs (slowly) too, which lets this check the mask logic without a GPU.
    flex = load_model(tiny_model, torch.float32, "flex_attention").eval()
    assert isolation_error(flex, CPU) < 1e-4
    sdpa = load_model(tiny_model, torch.float32, "sdpa").eval()
    a, b = docs
    filler = np.resize(a, 256 - len(a) - len(b))  # flex is used only for whole 128-token blocks
    row = stream_row(TokenStream([documents(a, b, filler)]), 0, 256)
    torch.testing.assert_close(logits(flex, [row]), logits(sdpa, [row]), atol=1e-4, rtol=1e-4)
