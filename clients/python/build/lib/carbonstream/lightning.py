"""A PyTorch Lightning callback: ``Trainer(callbacks=[carbonstream.lightning.CarbonstreamCallback(datacenter=...)])``.

Every training batch of every rank is reported (rank = ``trainer.global_rank``), with its samples (the batch's
first dimension), its time and, on NVIDIA GPUs, its measured energy. The job is registered when fitting starts,
and marked FINISHED when it ends (FAILED on an exception).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

try:
    from lightning.pytorch.callbacks import Callback
except ImportError:  # the older package name
    from pytorch_lightning.callbacks import Callback  # type: ignore[no-redef]

from . import Tracker


def batch_size(batch: Any) -> int:
    """The number of samples in a batch: the first dimension of its first tensor (tuples, lists, dicts)."""
    if hasattr(batch, "shape") and len(batch.shape) > 0:
        return int(batch.shape[0])
    if isinstance(batch, dict):
        return batch_size(next(iter(batch.values()))) if batch else 0
    if isinstance(batch, (list, tuple)) and batch:
        return batch_size(batch[0])
    return 1


class CarbonstreamCallback(Callback):
    def __init__(self, tracker: Optional[Tracker] = None, samples: Callable[[Any], int] = batch_size,
                 tokens: Optional[Callable[[Any], int]] = None, **tracker_args: Any):
        self.tracker = tracker
        self.tracker_args = tracker_args
        self.samples = samples
        self.tokens = tokens
        self._step = 0

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        if self.tracker is None:
            args = dict(rank=trainer.global_rank, local_rank=trainer.local_rank, world_size=trainer.world_size)
            args.update(self.tracker_args)
            self.tracker = Tracker(**args)
        self.tracker.start()
        # a resumed fit goes on numbering after the batches of the checkpoint
        self._step = int(trainer.global_step) * int(getattr(trainer, "accumulate_grad_batches", 1) or 1)

    def on_train_batch_start(self, trainer: Any, pl_module: Any, batch: Any, batch_idx: int) -> None:
        self.tracker.begin_step()

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        self.tracker.end_step(self.samples(batch), tokens=self.tokens(batch) if self.tokens else 0, step=self._step)
        self._step += 1

    def on_fit_end(self, trainer: Any, pl_module: Any) -> None:
        self.tracker.finish("FINISHED")

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        if self.tracker is not None:
            self.tracker.finish("FAILED")
