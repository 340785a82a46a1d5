import importlib.util
import json

import numpy as np
import pytest
from conftest import DATASET, FIXTURES, write_dataset

from langbridge_trainer.errors import DataError, MissingDependency
from langbridge_trainer.manifest import load_manifest, verify
from langbridge_trainer.model import load_tokenizer
from langbridge_trainer.packing import IGNORE, TokenStream, eval_rows, make_row, rows_per_epoch
from langbridge_trainer.tokcache import Documents, TokenCache


def docs_of(*lengths: int, first: int = 1) -> Documents:
    tokens, starts, t = [], [0], first
    for n in lengths:
        tokens += list(range(t, t + n))
        t += n
        starts.append(len(tokens))
    return Documents(tokens=np.array(tokens, dtype=np.uint32), starts=np.array(starts, dtype=np.int64),
                     chars=np.full(len(lengths), 10, dtype=np.int64))


def test_rows_read_across_shards_and_wrap_at_a_document_boundary():
    stream = TokenStream([docs_of(3, 4), docs_of(2, first=100)])  # 9 tokens, 3 documents
    assert stream.total == 9 and rows_per_epoch(stream, 4) == 3
    ids, starts = stream.window(6, 6)
    assert ids.tolist() == [7, 100, 101, 1, 2, 3]
    assert starts.tolist() == [False, True, False, True, False, False]


def test_positions_restart_at_documents_and_rows_and_first_tokens_carry_no_label():
    ids = np.arange(10, 18)
    starts = np.array([0, 0, 1, 0, 0, 0, 1, 0], dtype=bool)  # the row opens mid-document
    row = make_row(ids, starts)
    assert row.position_ids.tolist() == [0, 1, 0, 1, 2, 3, 0, 1]
    assert row.labels.tolist() == [IGNORE, 11, IGNORE, 13, 14, 15, IGNORE, 17]


def test_eval_rows_pad_the_last_row_without_labels():
    rows, chars = eval_rows(docs_of(5, 4), max_documents=None, seq_len=4, pad_id=0)
    assert len(rows) == 3 and chars == 20
    last = rows[-1]
    assert last.input_ids.tolist() == [9, 0, 0, 0]
    assert last.labels.tolist() == [IGNORE] * 4
    assert last.position_ids.tolist() == [0, 0, 1, 2]
    rows, chars = eval_rows(docs_of(5, 4), max_documents=1, seq_len=4, pad_id=0)
    assert len(rows) == 2 and chars == 10


@pytest.fixture(scope="module")
def tokenizer(tiny_model):
    return load_tokenizer(tiny_model)


def test_cache_holds_each_document_followed_by_eos(tmp_path, tokenizer):
    texts = ["Hello world.", "A text that mentions <|endoftext|> and <|im_start|> as plain text."]
    manifest = load_manifest(write_dataset(tmp_path / "ds", [texts]))
    cache = TokenCache(tmp_path / "cache", manifest, tokenizer)
    docs = cache.ensure(manifest.stages[0].shards[0])
    eos = tokenizer.eos_token_id
    assert docs.count == 2 and docs.chars.tolist() == [len(t) for t in texts]
    ends = docs.starts[1:] - 1
    assert docs.tokens[ends].tolist() == [eos, eos]
    # Special-token strings inside text stay text: the only EOS ids are the document ends.
    assert int((docs.tokens == eos).sum()) == 2
    assert tokenizer.convert_tokens_to_ids("<|im_start|>") not in docs.tokens.tolist()
    assert tokenizer.decode(docs.tokens[docs.starts[1]:ends[1]].tolist()) == texts[1]


def test_cache_is_keyed_by_dataset_and_tokenizer(tmp_path, tokenizer):
    manifest = load_manifest(DATASET)
    cache = TokenCache(tmp_path / "cache", manifest, tokenizer)
    assert cache.root.name.startswith(manifest.sha256[:16])
    other = load_manifest(write_dataset(tmp_path / "ds", [["one text"]]))
    assert TokenCache(tmp_path / "cache", other, tokenizer).root != cache.root


def test_a_shard_that_changed_is_refused_naming_it():
    manifest = load_manifest(FIXTURES / "dataset-tampered")
    shard = manifest.stages[0].shards[0]
    with pytest.raises(DataError, match="shard-00000.jsonl.gz does not match the dataset manifest") as info:
        verify(shard)
    assert str(shard.path) in str(info.value)
    verify(manifest.stages[1].shards[0])  # the untouched one passes


def test_record_count_must_match_the_manifest(tmp_path, tokenizer):
    root = write_dataset(tmp_path / "ds", [["one", "two"]])
    m = json.loads((root / "manifest.json").read_text())
    m["stages"][0]["shards"][0]["records"] = 3
    (root / "manifest.json").write_text(json.dumps(m))
    manifest = load_manifest(root)
    with pytest.raises(DataError, match="holds 2 records but the dataset manifest says 3"):
        TokenCache(tmp_path / "cache", manifest, tokenizer).ensure(manifest.stages[0].shards[0])


def test_parquet_without_pyarrow_says_so(tmp_path, tokenizer):
    if importlib.util.find_spec("pyarrow") is not None:
        pytest.skip("pyarrow is installed here")
    root = write_dataset(tmp_path / "ds", [["one"]])
    m = json.loads((root / "manifest.json").read_text())
    m["shardFormat"] = "parquet"
    (root / "manifest.json").write_text(json.dumps(m))
    manifest = load_manifest(root)
    with pytest.raises(MissingDependency, match="pyarrow"):
        TokenCache(tmp_path / "cache", manifest, tokenizer).ensure(manifest.stages[0].shards[0])


def test_manifest_paths_cannot_leave_the_dataset(tmp_path):
    root = write_dataset(tmp_path / "ds", [["one"]])
    m = json.loads((root / "manifest.json").read_text())
    m["stages"][0]["shards"][0]["path"] = "../../etc/passwd"
    (root / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(DataError, match="outside the dataset folder"):
        load_manifest(root)


def test_a_folder_without_manifest_is_not_a_dataset(tmp_path):
    with pytest.raises(DataError, match="has no manifest.json"):
        load_manifest(tmp_path)


def _replace_shard(root, raw: bytes):
    """Put `raw` in place of stage 1's shard and record its sha256, as if the pipeline had written it."""
    import hashlib

    shard = root / "stage-1" / "shard-00000.jsonl.gz"
    shard.write_bytes(raw)
    m = json.loads((root / "manifest.json").read_text())
    m["stages"][0]["shards"][0]["sha256"] = hashlib.sha256(raw).hexdigest()
    (root / "manifest.json").write_text(json.dumps(m))
    return load_manifest(root), shard


def test_unreadable_shards_are_bad_data_naming_file_and_line(tmp_path, tokenizer):
    # Regression: a shard whose sha256 matched but whose bytes were not UTF-8 or not gzip raised a
    # bare UnicodeDecodeError / BadGzipFile, classified "other" with no line.
    import gzip

    root = write_dataset(tmp_path / "ds", [["one", "two"]])
    lines = b'{"text": "one", "lang": "eng_Latn"}\n{"text": "t\xffo", "lang": "eng_Latn"}\n'
    manifest, shard = _replace_shard(root, gzip.compress(lines, mtime=0))
    with pytest.raises(DataError, match=r"line 2: not UTF-8") as info:
        TokenCache(tmp_path / "cache", manifest, tokenizer).ensure(manifest.stages[0].shards[0])
    assert str(shard) in str(info.value)
    manifest, shard = _replace_shard(root, gzip.compress(b'{"text": "one"}\n' * 50, mtime=0)[:40])
    with pytest.raises(DataError, match="not a readable gzip file") as info:
        TokenCache(tmp_path / "cache", manifest, tokenizer).ensure(manifest.stages[0].shards[0])
    assert str(shard) in str(info.value)
