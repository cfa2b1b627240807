"""A Hugging Face ``transformers`` callback (module carbonstream.huggingface): ``Trainer(..., callbacks=[CarbonstreamTrainerCallback(datacenter=...)])``.

Each optimizer step of each process is reported (worker = ``args.process_index``), with the samples of the step
(per-device batch size x gradient accumulation), tokens when ``tokens_per_sample`` is given, its time and, on
NVIDIA GPUs, its measured energy. The job is registered when training begins and marked FINISHED when it ends.
"""
from __future__ import annotations

from typing import Any, Optional

from transformers import TrainerCallback

from . import Tracker


class CarbonstreamTrainerCallback(TrainerCallback):
    def __init__(self, tracker: Optional[Tracker] = None, tokens_per_sample: int = 0, **tracker_args: Any):
        self.tracker = tracker
        self.tracker_args = tracker_args
        self.tokens_per_sample = tokens_per_sample

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.tracker is None:
            tracker_args = dict(rank=args.process_index, local_rank=max(0, args.local_rank), world_size=args.world_size,
                                planned_steps=state.max_steps or None)
            tracker_args.update(self.tracker_args)
            self.tracker = Tracker(**tracker_args)
        self.tracker.start()

    def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.tracker.begin_step()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        samples = args.per_device_train_batch_size * args.gradient_accumulation_steps
        self.tracker.end_step(samples, tokens=samples * self.tokens_per_sample, step=state.global_step - 1)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.tracker.finish("FINISHED")
