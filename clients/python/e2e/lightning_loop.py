"""A real PyTorch Lightning fit tracked by carbonstream's callback (e2e-tests' PythonClientIT).

usage: lightning_loop.py JOB_ID STEPS
"""
import json
import sys

import lightning as L
import torch

from carbonstream.lightning import CarbonstreamCallback


class Mlp(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 4))

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.cross_entropy(self.net(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def main():
    job, steps = sys.argv[1], int(sys.argv[2])
    torch.manual_seed(0)
    data = torch.utils.data.TensorDataset(torch.randn(steps * 16, 32), torch.randint(0, 4, (steps * 16,)))
    loader = torch.utils.data.DataLoader(data, batch_size=16)
    callback = CarbonstreamCallback(job_id=job, name="lightning fit", datacenter="aws-eu-north-1")
    trainer = L.Trainer(max_steps=steps, accelerator="cpu", logger=False, enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False, callbacks=[callback])
    trainer.fit(Mlp(), loader)
    print(json.dumps({"job": job, "sent": callback.tracker.sender.sent}))


if __name__ == "__main__":
    main()
