"""Tokenised shards, cached on disk per (dataset version, tokenizer).

Each data file becomes three .npy files: the token ids of all its documents back to back, each
document followed by EOS (uint32); the start offset of every document (int64, one more than there
are documents); and the characters of each document (int64, for bits per character). A small
.json written last marks the entry complete, so an interrupted tokenisation is redone, never half-used.

The cache folder is named by the manifest's sha256 and the tokenizer's fingerprint, so a rebuilt
dataset or another tokenizer can never pick up stale ids.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import DataError, writing
from .manifest import DataFile, Manifest, read_records, verify

# Bump when the way text becomes ids changes (special-token handling, EOS placement).
TOKENISATION_SCHEME = 1
BATCH_DOCUMENTS = 512


@dataclass(frozen=True)
class Documents:
    tokens: np.ndarray  # uint32, memory-mapped
    starts: np.ndarray  # int64, len = documents + 1
    chars: np.ndarray  # int64, len = documents

    @property
    def count(self) -> int:
        return len(self.chars)


def tokenizer_fingerprint(tokenizer) -> str:
    h = hashlib.sha256()
    h.update(tokenizer.backend_tokenizer.to_str().encode("utf-8"))
    h.update(json.dumps({"eos": tokenizer.eos_token_id, "scheme": TOKENISATION_SCHEME}).encode())
    return h.hexdigest()


class TokenCache:
    def __init__(self, cache_dir: Path, manifest: Manifest, tokenizer):
        if not getattr(tokenizer, "is_fast", False):
            raise DataError("tokenisation needs a fast (Rust) tokenizer; the base model's tokenizer is not one")
        self.manifest = manifest
        self.eos = tokenizer.eos_token_id
        self.root = Path(cache_dir) / f"{manifest.sha256[:16]}-{tokenizer_fingerprint(tokenizer)[:16]}"
        # A private copy: text that happens to contain "<|endoftext|>" or "<|im_start|>" is text, and
        # must not become control tokens the model would learn to emit mid-document.
        from tokenizers import Tokenizer  # noqa: PLC0415 - transformers depends on it

        self.backend = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
        self.backend.encode_special_tokens = True
        self.backend.no_truncation()
        self.backend.no_padding()

    def _path(self, file: DataFile, suffix: str) -> Path:
        return self.root / (file.rel.replace("/", "__") + suffix)

    def is_cached(self, file: DataFile) -> bool:
        return self._path(file, ".json").exists()

    def load(self, file: DataFile) -> Documents:
        return Documents(
            tokens=np.load(self._path(file, ".tokens.npy"), mmap_mode="r"),
            starts=np.load(self._path(file, ".starts.npy")),
            chars=np.load(self._path(file, ".chars.npy")),
        )

    def ensure(self, file: DataFile) -> Documents:
        if not self.is_cached(file):
            self._build(file)
        return self.load(file)

    def _build(self, file: DataFile) -> None:
        verify(file)
        pieces: list[np.ndarray] = []
        lengths: list[int] = []
        chars: list[int] = []
        batch: list[str] = []

        def flush() -> None:
            # add_special_tokens=True keeps the model family's own document start (Llama's BOS);
            # Qwen's post-processor adds nothing.
            for enc in self.backend.encode_batch_fast(batch, add_special_tokens=True):
                ids = enc.ids
                if not ids or ids[-1] != self.eos:
                    ids = [*ids, self.eos]
                pieces.append(np.asarray(ids, dtype=np.uint32))
                lengths.append(len(ids))
            batch.clear()

        records = 0
        for rec in read_records(file, self.manifest.shard_format):
            batch.append(rec["text"])
            chars.append(len(rec["text"]))
            records += 1
            if len(batch) >= BATCH_DOCUMENTS:
                flush()
        if batch:
            flush()
        if file.records is not None and records != file.records:
            raise DataError(f"{file.path} holds {records} records but the dataset manifest says {file.records}")

        tokens = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint32)
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        with writing(self.root):
            self.root.mkdir(parents=True, exist_ok=True)
        for suffix, array in ((".tokens.npy", tokens), (".starts.npy", starts),
                              (".chars.npy", np.asarray(chars, dtype=np.int64))):
            _atomic_save(self._path(file, suffix), array)
        meta = {"file": file.rel, "sha256": file.sha256, "documents": len(lengths), "tokens": int(len(tokens)),
                "characters": int(sum(chars)), "scheme": TOKENISATION_SCHEME}
        tmp = self._path(file, f".json.tmp-{os.getpid()}")
        with writing(tmp):
            tmp.write_text(json.dumps(meta))
        os.replace(tmp, self._path(file, ".json"))

    def ensure_all(self, files: list[DataFile], progress: Callable[[int, int], None] | None = None) -> None:
        for i, file in enumerate(files):
            self.ensure(file)
            if progress:
                progress(i + 1, len(files))


def _atomic_save(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        with writing(tmp):  # np.save reports a full disk as an OSError without errno
            with open(tmp, "wb") as f:
                np.save(f, array)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a partial file on a full disk only takes the space others need
        raise
    os.replace(tmp, path)
