"""A real Hugging Face transformers Trainer run tracked by carbonstream's TrainerCallback (PythonClientIT).

usage: huggingface_loop.py JOB_ID STEPS OUTPUT_DIR
"""
import json
import sys

import torch
from transformers import Trainer, TrainingArguments

from carbonstream.huggingface import CarbonstreamTrainerCallback


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(16, 2)

    def forward(self, x, labels=None):
        logits = self.net(x)
        return {"loss": torch.nn.functional.cross_entropy(logits, labels), "logits": logits}


class Data(torch.utils.data.Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(0)
        self.x, self.y = torch.randn(n, 16, generator=g), torch.randint(0, 2, (n,), generator=g)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"x": self.x[i], "labels": self.y[i]}


def main():
    job, steps, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    args = TrainingArguments(output_dir=out, max_steps=steps, per_device_train_batch_size=8, report_to=[],
                             save_strategy="no", logging_strategy="no", use_cpu=True, disable_tqdm=True)
    callback = CarbonstreamTrainerCallback(job_id=job, name="hf trainer", datacenter="aws-eu-north-1", tokens_per_sample=16)
    Trainer(model=Tiny(), args=args, train_dataset=Data(steps * 8), callbacks=[callback]).train()
    print(json.dumps({"job": job, "sent": callback.tracker.sender.sent}))


if __name__ == "__main__":
    main()
