"""The client's GPU energy (NVML's total-energy counter, differenced per step) against nvidia-smi's power readings
over the same real CUDA loop. Needs an NVIDIA GPU, its driver and torch with CUDA.

usage: python3 clients/python/bench/nvml_vs_smi.py [--steps 400] [--size 8192] [--device 0]

A matrix-multiply loop (fp16, size x size, 4 multiplications a step) runs with the client, which sends to a
stand-in trainer-service (tests/fake_trainer_service.py) and keeps each report; nvidia-smi samples the GPU's
power every 50 ms meanwhile. Printed: the energy the client reported (sum of measuredPowerWatts x duration over
the steps), nvidia-smi's energy over the same interval (its power readings integrated, trapezoids), the two
average powers, and their ratio; then the same for each tenth of the run.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime

import torch

import carbonstream


def sample_smi(device, out, stop):
    cmd = ["nvidia-smi", "--query-gpu=timestamp,power.draw", "--format=csv,noheader,nounits", "-i", str(device),
           "-lms", "50"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as p:
        for line in p.stdout:
            if stop.is_set():
                p.terminate()
                break
            stamp, watts = (part.strip() for part in line.split(","))
            try:
                t = datetime.strptime(stamp, "%Y/%m/%d %H:%M:%S.%f").timestamp()  # local time, like time.time()
                out.append((t, float(watts)))
            except ValueError:
                pass  # "[N/A]" and the like


def smi_joules(samples, start, end):
    """nvidia-smi's power integrated over [start, end] (trapezoids between readings, clipped to the interval)."""
    total = 0.0
    for (t0, w0), (t1, w1) in zip(samples, samples[1:]):
        a, b = max(t0, start), min(t1, end)
        if b <= a:
            continue
        slope = (w1 - w0) / (t1 - t0)
        wa, wb = w0 + slope * (a - t0), w0 + slope * (b - t0)
        total += (wa + wb) / 2 * (b - a)
    return total


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=400)
    p.add_argument("--size", type=int, default=8192)
    p.add_argument("--device", type=int, default=0)
    args = p.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
    from fake_trainer_service import FakeTrainerService
    service = FakeTrainerService()
    torch.cuda.set_device(args.device)
    a = torch.randn(args.size, args.size, device="cuda", dtype=torch.float16)
    b = torch.randn(args.size, args.size, device="cuda", dtype=torch.float16)
    for _ in range(10):
        a @ b  # warm up
    torch.cuda.synchronize()

    samples, stop = [], threading.Event()
    sampler = threading.Thread(target=sample_smi, args=(args.device, samples, stop), daemon=True)
    sampler.start()
    time.sleep(1.0)
    reports = []
    run = carbonstream.Tracker(url=service.url, job_id="nvml-vs-smi", datacenter="gcp-europe-west4",
                               accelerator_type="nvidia-h100-sxm", accelerators_per_worker=1, devices=[args.device])
    run.start()
    if run.gpu is None:
        sys.exit("no NVML: the client found no GPU energy counter on this machine")
    prepare = run.sender.prepare

    def kept(step):
        text = prepare(step)
        reports.append(json.loads(text))
        return text
    run.sender.prepare = kept
    for _ in range(args.steps):
        with run.step(samples=1):
            for _ in range(4):
                a @ b
    run.finish()
    time.sleep(0.5)
    stop.set()
    service.stop()

    def instant(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    steps = sorted(((instant(r["startedAt"]), instant(r["endedAt"]), r["measuredPowerWatts"]) for r in reports))
    print(f"{len(steps)} steps, {len(samples)} nvidia-smi readings, {torch.cuda.get_device_name(args.device)}")

    def compare(label, part):
        start, end = part[0][0], part[-1][1]
        client = sum(w * (e - s) for s, e, w in part)
        busy = sum(e - s for s, e, _ in part)
        smi = smi_joules(samples, start, end)
        print(f"{label:10s} client {client:10.1f} J ({client / busy:6.1f} W over {busy:6.2f} s of steps)   "
              f"nvidia-smi {smi:10.1f} J ({smi / (end - start):6.1f} W over {end - start:6.2f} s)   "
              f"ratio {client / smi if smi else float('nan'):.3f}")
    compare("whole run", steps)
    tenth = max(1, len(steps) // 10)
    for i in range(0, len(steps) - tenth + 1, tenth):
        compare(f"steps {i}-", steps[i:i + tenth])


if __name__ == "__main__":
    main()
