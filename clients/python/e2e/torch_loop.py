"""A real PyTorch training loop tracked by carbonstream, run by e2e-tests' PythonClientIT against the local stack.

usage: torch_loop.py JOB_ID STEPS REPORT_LOG [STEP_SLEEP_S]
A 784-256-10 MLP on random data, one step per batch of 64. This machine has no GPU, so the loop's "GPU" is a
simulated energy meter of exactly 250 W (cumulative joules from the clock): the client reports the energy it reads
as measuredPowerWatts, exactly as it would NVML's counter, and REPORT_LOG gets every report as the client sends
it, for the test to compare with the footprint.
"""
import json
import sys
import time

import torch

import carbonstream


class SimulatedMeter:
    WATTS = 250.0

    def joules(self):
        return self.WATTS * time.monotonic()


def main():
    job, steps, log_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pause = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    x, y = torch.randn(steps, 64, 784), torch.randint(0, 10, (steps, 64))
    with open(log_path, "w") as log, carbonstream.track(job_id=job, name="torch loop", datacenter="gcp-europe-west4",
                                                        accelerator_type="nvidia-t4", accelerators_per_worker=1,
                                                        planned_steps=steps, gpu_energy=SimulatedMeter(),
                                                        exit_timeout=120) as run:
        prepare = run.sender.prepare

        def logged(step):
            report = prepare(step)  # once per step: a spilled report is sent again as it was prepared
            log.write(report + "\n")
            return report

        run.sender.prepare = logged
        first = last = None
        for i in range(steps):
            with run.step(samples=64, tokens=64):
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(x[i]), y[i])
                loss.backward()
                opt.step()
            first = loss.item() if first is None else first
            last = loss.item()
            if pause:
                time.sleep(pause)
    print(json.dumps({"job": job, "first_loss": first, "last_loss": last, "sent": run.sender.sent,
                      "spilled": run.sender.spilled}))


if __name__ == "__main__":
    main()
