"""Which worker this process is: torch.distributed when it is initialised, else the launchers' environment."""
from __future__ import annotations

import os
import sys
from typing import Optional, Tuple


def rank_and_world(env: Optional[dict] = None) -> Tuple[int, int, int]:
    """(rank, local rank, world size): torch.distributed's when initialised; else RANK / LOCAL_RANK / WORLD_SIZE
    (torchrun, Lightning, accelerate), SLURM_PROCID / SLURM_LOCALID / SLURM_NTASKS, OMPI_COMM_WORLD_*; else 0, 0, 1."""
    env = os.environ if env is None else env
    torch = sys.modules.get("torch")  # never import torch ourselves: it costs seconds and may not be installed
    if torch is not None:
        try:
            dist = torch.distributed
            if dist.is_available() and dist.is_initialized():
                rank, world = dist.get_rank(), dist.get_world_size()
                return rank, int(env.get("LOCAL_RANK", rank)), world
        except Exception:  # noqa: BLE001 - a partial torch install must not break training
            pass
    for r, lr, w in (("RANK", "LOCAL_RANK", "WORLD_SIZE"), ("SLURM_PROCID", "SLURM_LOCALID", "SLURM_NTASKS"),
                     ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", "OMPI_COMM_WORLD_SIZE")):
        if r in env:
            try:
                rank = int(env[r])
                return rank, int(env.get(lr, rank)), int(env.get(w, 1))
            except ValueError:
                continue
    return 0, 0, 1


def barrier() -> None:
    """All workers meet here when torch.distributed is initialised (so the job is finished after every worker's
    last report); a no-op otherwise."""
    torch = sys.modules.get("torch")
    if torch is None:
        return
    try:
        dist = torch.distributed
        if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
            dist.barrier()
    except Exception:  # noqa: BLE001
        pass


_NO_CUDA = False  # torch without CUDA stays without it: stop asking


def synchronize_cuda() -> None:
    """Waits for this process's queued CUDA work, so that a step ends when its work has finished, not when the
    Python call that launched it returned."""
    global _NO_CUDA
    if _NO_CUDA:
        return
    torch = sys.modules.get("torch")
    if torch is None:
        return
    try:
        if not torch.cuda.is_available():
            _NO_CUDA = True
        elif torch.cuda.is_initialized():
            torch.cuda.synchronize()
    except Exception:  # noqa: BLE001
        _NO_CUDA = True
