"""Several processes (torchrun): process group, model wrapping, and the few collectives the loop needs.

Under torchrun every rank runs the same loop over the same rows; rank r trains on its slice of each
optimizer step's rows (see train.py) and rank 0 alone writes events and checkpoints. DDP is the
default; FSDP2 (torch.distributed.fsdp.fully_shard) shards parameters, gradients and optimizer state
for models whose full fp32 state does not fit one GPU.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class World:
    rank: int
    size: int
    local_rank: int

    @property
    def main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        return self.size > 1


def init(use_cuda: bool) -> World:
    size = int(os.environ.get("WORLD_SIZE", "1"))
    if size <= 1:
        return World(0, 1, 0)
    rank = int(os.environ["RANK"])
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if use_cuda:
        torch.cuda.set_device(local_rank)
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return World(rank, size, local_rank)


def shutdown(world: World) -> None:
    if world.active and dist.is_initialized():
        dist.destroy_process_group()


def barrier(world: World) -> None:
    if world.active:
        dist.barrier()


def all_sum(world: World, values: list[float], device: torch.device) -> list[float]:
    if not world.active:
        return values
    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return t.tolist()


def any_true(world: World, flag: bool, device: torch.device) -> bool:
    """True on every rank if it is true on one: all ranks must stop at the same step."""
    if not world.active:
        return flag
    t = torch.tensor([1.0 if flag else 0.0], device=device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def wrap(model: torch.nn.Module, world: World, kind: str, device: torch.device, precision_dtype):
    if not world.active:
        return model
    if kind == "fsdp":
        from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard  # noqa: PLC0415

        # FSDP2 does its own casting: fp32 sharded master weights, compute in bf16/fp16, gradients
        # reduced in fp32.
        mp = MixedPrecisionPolicy(param_dtype=precision_dtype, reduce_dtype=torch.float32) if precision_dtype else \
            MixedPrecisionPolicy()
        for layer in _decoder_layers(model):
            fully_shard(layer, mp_policy=mp)
        fully_shard(model, mp_policy=mp)
        return model
    from torch.nn.parallel import DistributedDataParallel  # noqa: PLC0415

    return DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)


def reshard(model: torch.nn.Module) -> None:
    """Put every FSDP2 module back to sharded parameters.

    After a forward outside training (the root keeps its parameters unsharded after forward),
    model.parameters() would list plain unsharded tensors, not the sharded DTensors an optimizer
    must hold: build the optimizer only after this.
    """
    from torch.distributed.fsdp import FSDPModule  # noqa: PLC0415

    for m in model.modules():
        if isinstance(m, FSDPModule):
            m.reshard()


def _decoder_layers(model: torch.nn.Module) -> list[torch.nn.Module]:
    from transformers.modeling_layers import GradientCheckpointingLayer  # noqa: PLC0415

    return [m for m in model.modules() if isinstance(m, GradientCheckpointingLayer)]


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    return model.module if hasattr(model, "module") and isinstance(
        model, torch.nn.parallel.DistributedDataParallel) else model
