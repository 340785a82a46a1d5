"""Reads a GGUF file's header, metadata and tensor index (GGUF v3, little-endian), for the export's
check of what it wrote.

gguf.GGUFReader builds a numpy view for every item of every array, which takes tens of seconds on
Qwen's 151,936 tokens and 151,387 merges; this reader walks the same layout with struct and only
decodes the scalars and strings it is asked about. It is also a second, independent reading of the
format, so the check does not just trust the writer's own library. (The tests read the files with
GGUFReader too, and the app checks the header with @huggingface/gguf.)
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32
# Value types (gguf.GGUFValueType): fixed-size scalars and their struct codes.
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9


@dataclass(frozen=True)
class TensorEntry:
    name: str
    shape: tuple[int, ...]  # as in PyTorch: outermost dimension first
    ggml_type: int
    offset: int             # from the start of the file


class GGUFIndex:
    def __init__(self, path: Path):
        self.path = Path(path)
        with open(self.path, "rb") as f:
            self._buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if self._buf[:4] != MAGIC:
            raise ValueError(f"{path} does not start with the GGUF magic bytes")
        self.version, n_tensors, n_kv = struct.unpack_from("<IQQ", self._buf, 4)
        self._pos = 24
        self.metadata: dict[str, object] = {}
        for _ in range(n_kv):
            key = self._string()
            self.metadata[key] = self._value(struct.unpack_from("<I", self._buf, self._take(4))[0])
        infos = []
        for _ in range(n_tensors):
            name = self._string()
            (n_dims,) = struct.unpack_from("<I", self._buf, self._take(4))
            dims = struct.unpack_from(f"<{n_dims}Q", self._buf, self._take(8 * n_dims))
            ggml_type, offset = struct.unpack_from("<IQ", self._buf, self._take(12))
            infos.append((name, tuple(reversed(dims)), ggml_type, offset))
        alignment = int(self.metadata.get("general.alignment", DEFAULT_ALIGNMENT))
        start = -(-self._pos // alignment) * alignment
        self.tensors = {n: TensorEntry(n, s, t, start + o) for n, s, t, o in infos}

    def _take(self, n: int) -> int:
        at = self._pos
        self._pos += n
        return at

    def _string(self) -> str:
        (n,) = struct.unpack_from("<Q", self._buf, self._take(8))
        return self._buf[self._take(n):self._pos].decode("utf-8")

    def _value(self, vtype: int):
        if vtype in _SCALARS:
            code = _SCALARS[vtype]
            return struct.unpack_from("<" + code, self._buf, self._take(struct.calcsize(code)))[0]
        if vtype == _STRING:
            return self._string()
        if vtype == _ARRAY:
            item, count = struct.unpack_from("<IQ", self._buf, self._take(12))
            if item in _SCALARS:  # skipped, but remembered as (type, count)
                self._take(count * struct.calcsize(_SCALARS[item]))
            elif item == _STRING:
                for _ in range(count):
                    (n,) = struct.unpack_from("<Q", self._buf, self._take(8))
                    self._take(n)
            else:
                raise ValueError(f"{self.path}: unsupported array item type {item}")
            return ("array", item, count)
        raise ValueError(f"{self.path}: unknown metadata value type {vtype}")

    def data(self, name: str) -> np.ndarray:
        """The tensor dequantised to float32, in its PyTorch shape."""
        import gguf  # noqa: PLC0415

        t = self.tensors[name]
        qtype = gguf.GGMLQuantizationType(t.ggml_type)
        byte_shape = gguf.quant_shape_to_byte_shape(t.shape, qtype)  # F32 and F16 too: 4 and 2 bytes
        nbytes = int(np.prod(byte_shape))
        if t.offset + nbytes > len(self._buf):
            raise ValueError(f"{self.path}: tensor {name} runs past the end of the file")
        raw = np.frombuffer(self._buf, dtype=np.uint8, count=nbytes, offset=t.offset).reshape(byte_shape)
        # dequantize returns a new array, so no view of the mapping outlives close().
        return np.array(gguf.quants.dequantize(raw, qtype), dtype=np.float32).reshape(t.shape)

    def close(self) -> None:
        self._buf.close()
