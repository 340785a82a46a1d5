"""A dataset version as the pipeline wrote it: manifest.json, stage shards and held-out files.

Layout (paths in the manifest are relative to the dataset folder):
    manifest.json   shardFormat "jsonl.gz" | "parquet"; stages[] {name, directory, peakLr, shards[]};
                    heldOut[] {lang, path, documents, characters, tokens, sha256, bytes}
    stage-1/shard-00000.jsonl.gz  one record per line: {"text", "lang", "group", "origin"}

Every file is checked against its sha256 before it is read: a shard edited or truncated after the
dataset was built would otherwise train silently on data nobody reviewed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError, MissingDependency

SHARD_FORMATS = ("jsonl.gz", "parquet")


@dataclass(frozen=True)
class DataFile:
    path: Path
    rel: str
    sha256: str
    bytes: int | None
    records: int | None


@dataclass(frozen=True)
class ManifestStage:
    name: str
    directory: str
    peak_lr: float | None
    shards: tuple[DataFile, ...]


@dataclass(frozen=True)
class HeldOut:
    lang: str
    file: DataFile
    characters: int | None


@dataclass(frozen=True)
class Manifest:
    root: Path
    sha256: str
    shard_format: str
    stages: tuple[ManifestStage, ...]
    held_out: tuple[HeldOut, ...]


def _need(obj: Any, key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise DataError(f"{where}.{key} is missing or of the wrong type")
    return value


def _data_file(root: Path, entry: Any, where: str, records_key: str) -> DataFile:
    rel = _need(entry, "path", where, str)
    path = (root / rel).resolve()
    # A manifest is data from disk, not code: never let it point outside its own folder.
    if root.resolve() not in path.parents:
        raise DataError(f"{where}.path {rel!r} points outside the dataset folder {root}")
    sha = _need(entry, "sha256", where, str).lower()
    size = entry.get("bytes")
    records = entry.get(records_key)
    return DataFile(path=path, rel=rel, sha256=sha, bytes=size if isinstance(size, int) else None,
                    records=records if isinstance(records, int) else None)


def load_manifest(folder: str | Path) -> Manifest:
    root = Path(folder).resolve()
    mpath = root / "manifest.json"
    try:
        raw = mpath.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{root} is not a dataset version: it has no manifest.json") from None
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DataError(f"{mpath} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    where = str(mpath)
    fmt = obj.get("shardFormat", "jsonl.gz")
    if fmt not in SHARD_FORMATS:
        raise DataError(f"{where}: shardFormat {fmt!r} is not one of {', '.join(SHARD_FORMATS)}")
    stages = []
    for i, s in enumerate(_need(obj, "stages", where, list)):
        sw = f"{where}: stages[{i}]"
        shards = tuple(
            _data_file(root, sh, f"{sw}.shards[{j}]", "records")
            for j, sh in enumerate(_need(s, "shards", sw, list))
        )
        peak = s.get("peakLr")
        stages.append(ManifestStage(
            name=s.get("name") or _need(s, "directory", sw, str),
            directory=_need(s, "directory", sw, str),
            peak_lr=float(peak) if isinstance(peak, (int, float)) and not isinstance(peak, bool) else None,
            shards=shards,
        ))
    held = []
    for i, h in enumerate(obj.get("heldOut") or []):
        hw = f"{where}: heldOut[{i}]"
        chars = h.get("characters") if isinstance(h, dict) else None
        held.append(HeldOut(lang=_need(h, "lang", hw, str), file=_data_file(root, h, hw, "documents"),
                            characters=chars if isinstance(chars, int) else None))
    return Manifest(root=root, sha256=hashlib.sha256(raw).hexdigest(), shard_format=fmt, stages=tuple(stages),
                    held_out=tuple(held))


def verify(file: DataFile) -> None:
    """Refuse a file whose bytes are not the ones the manifest recorded."""
    try:
        h = hashlib.sha256()
        size = 0
        with open(file.path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        raise DataError(f"{file.path} is listed in the dataset manifest but does not exist") from None
    digest = h.hexdigest()
    if digest != file.sha256:
        raise DataError(
            f"{file.path} does not match the dataset manifest (sha256 {digest[:16]}…, expected "
            f"{file.sha256[:16]}…, {size} bytes): the file changed after the dataset was built; rebuild the "
            f"dataset version rather than training on unreviewed data"
        )


def read_records(file: DataFile, fmt: str) -> Iterator[dict]:
    """Yield {"text", "lang"} for each record, checking the fields training needs."""
    if fmt == "parquet":
        yield from _read_parquet(file)
        return
    lineno = 0
    try:
        # Binary lines decoded one by one, so an encoding error names its line.
        with gzip.open(file.path, "rb") as f:
            for lineno, raw in enumerate(f, 1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise DataError(f"{file.path} line {lineno}: not UTF-8 text ({exc.reason} at byte {exc.start})"
                                    ) from exc
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{file.path} line {lineno}: not valid JSON ({exc.msg})") from exc
                yield _check_record(rec, f"{file.path} line {lineno}")
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        if isinstance(exc, FileNotFoundError):
            raise DataError(f"{file.path} is listed in the dataset manifest but does not exist") from None
        raise DataError(f"{file.path}: not a readable gzip file after line {lineno} ({type(exc).__name__}: {exc})"
                        ) from exc


def _read_parquet(file: DataFile) -> Iterator[dict]:
    try:
        import pyarrow.parquet as pq  # noqa: PLC0415 - only parquet datasets need it
    except ImportError:
        raise MissingDependency(
            f"{file.path} is a parquet shard and reading parquet needs pyarrow, which this Python lacks "
            f"(pip install pyarrow), or rebuild the dataset with jsonl.gz shards"
        ) from None
    try:
        table = pq.read_table(file.path, columns=["text", "lang"])
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors (ArrowInvalid, ...) all mean an unreadable shard
        raise DataError(f"{file.path}: not a readable parquet file with text and lang columns "
                        f"({type(exc).__name__}: {exc})") from exc
    for i, rec in enumerate(table.to_pylist(), 1):
        yield _check_record(rec, f"{file.path} row {i}")


def _check_record(rec: Any, where: str) -> dict:
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise DataError(f"{where}: record has no text field")
    lang = rec.get("lang")
    return {"text": rec["text"], "lang": lang if isinstance(lang, str) else "und"}
