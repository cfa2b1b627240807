"""What carbonstream's client costs a training loop: the same real PyTorch loop with and without it.

usage: python3 clients/python/bench/overhead.py --stub          (a stand-in service in another process)
       CARBONSTREAM_TOKEN=... python3 clients/python/bench/overhead.py [--url http://127.0.0.1:8081]
       options: --pairs 200 (blocks per loop), --runs 9 (whole runs per loop), --quick, --loop "mlp 192",
                --blocks-only

Three loops, each written as docs/trainers.md's quick start (``with run.step(samples=...)``):
  mlp 64    a 784-256-10 MLP on one thread, 64 samples a step (the loop of the issue that asked for the client)
  mlp 192   the same MLP at 192 samples a step: about 1.5 ms a step, the step the < 1 % goal is set for
  100/s     a loop of 100 steps a second (each step sleeps 10 ms: what a GPU-bound loop looks like to Python)

Each loop is measured two ways.

1. Blocks (the figure to read). One tracker runs for the whole measurement, sending as it does in a real run. The
   loop runs in short blocks (about 70 ms), in pairs: one block calling the client, one not, in random order, many
   pairs; the mean of the pairs' differences (with its standard error) is what the calls cost inside the loop. The
   sender thread's work falls on both blocks of a pair alike, so it is measured apart: the time it holds the GIL
   preparing reports (thread CPU time, per report), which is the most it can take from the loop. Their sum is the
   client's cost per step, an upper bound.
2. Whole runs. Complete runs (start, about two seconds of steps, finish) with and without the client,
   alternating, medians; and the same for two runs without it, to show the noise of this way on this machine
   (about 1 % on a shared 2-core machine: too coarse for a 1 % goal, which is why the blocks exist).

--stub sends to a stand-in trainer-service (tests/fake_trainer_service.py) in another process: the client's own
cost, as when carbonstream runs on other machines, as it does in production. Without it, the client sends to the
running local stack, whose services then share this machine's cores with the loop.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import uuid

import torch

import carbonstream
from carbonstream import _sender


class SenderClock:
    """The sender thread's CPU time holding the GIL to prepare reports (Sender._take), and all of its CPU time."""

    def __init__(self):
        self.take = self.total = 0.0
        take, run = _sender.Sender._take, _sender.Sender._run
        clock = self

        def timed_take(sender):
            t = time.thread_time()
            try:
                return take(sender)
            finally:
                clock.take += time.thread_time() - t

        def timed_run(sender):
            try:
                run(sender)
            finally:
                clock.total += time.thread_time()

        _sender.Sender._take, _sender.Sender._run = timed_take, timed_run


def mlp(batch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    data = [(torch.randn(batch, 784), torch.randint(0, 10, (batch,))) for _ in range(64)]

    def batches(n, offset):
        return (data[i % 64] for i in range(offset, offset + n))

    def steps(n, run=None, offset=0):
        t = time.perf_counter()
        if run is None:
            for x, y in batches(n, offset):
                opt.zero_grad()
                torch.nn.functional.cross_entropy(model(x), y).backward()
                opt.step()
        else:
            for x, y in batches(n, offset):
                with run.step(samples=batch):
                    opt.zero_grad()
                    torch.nn.functional.cross_entropy(model(x), y).backward()
                    opt.step()
        return (time.perf_counter() - t) / n
    return steps


def sleepy():
    def steps(n, run=None, offset=0):
        t = time.perf_counter()
        if run is None:
            for _ in range(n):
                time.sleep(0.01)
        else:
            for _ in range(n):
                with run.step(samples=64):
                    time.sleep(0.01)
        return (time.perf_counter() - t) / n
    return steps


def tracker(url):
    return carbonstream.Tracker(url=url, job_id=f"overhead-{uuid.uuid4()}", name="overhead bench",
                                datacenter="gcp-europe-west4", gpu_energy=None)


def blocks(loop, url, pairs, clock):
    per_step = loop(200)
    k = max(7, round(0.07 / per_step))
    take_before = clock.take
    run = tracker(url).start()
    loop(k, run)
    diffs, without = [], []
    for p in range(pairs):
        if random.random() < 0.5:
            a = loop(k, None, p * k)
            b = loop(k, run, p * k)
        else:
            b = loop(k, run, p * k)
            a = loop(k, None, p * k)
        diffs.append(b - a)
        without.append(a)
    run.finish()
    sent = run.sender.sent
    assert sent == (pairs + 1) * k, f"sent {sent} of {(pairs + 1) * k} (is the stack up, the token set?)"
    step = statistics.mean(without)
    added = statistics.mean(diffs)
    se = statistics.stdev(diffs) / len(diffs) ** 0.5
    held = (clock.take - take_before) / sent
    return step, k, added, se, held


def whole_runs(loop, url, runs, steps):
    without, with_, again = [], [], []
    for _ in range(runs):
        order = ["without", "with", "again"]
        random.shuffle(order)
        for kind in order:
            if kind == "with":
                run = tracker(url).start()
                with_.append(loop(steps, run))
                run.finish()
                assert run.sender.sent == steps, f"sent {run.sender.sent} of {steps}"
            else:
                (without if kind == "without" else again).append(loop(steps))
    a, b, c = statistics.median(without), statistics.median(with_), statistics.median(again)
    return a, 100 * (b - a) / a, 100 * (c - a) / a


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default=os.environ.get("CARBONSTREAM_URL", "http://127.0.0.1:8081"))
    p.add_argument("--pairs", type=int, default=200)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--quick", action="store_true", help="40 pairs and 3 runs: to see that it works")
    p.add_argument("--loop", action="append", choices=["mlp 64", "mlp 192", "100/s"], help="only these loops")
    p.add_argument("--blocks-only", action="store_true", help="skip the whole runs")
    p.add_argument("--stub", action="store_true", help="send to a stand-in service in another process")
    args = p.parse_args()
    if args.quick:
        args.pairs, args.runs = 40, 3
    stub = None
    if args.stub:
        here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests")
        stub = subprocess.Popen([sys.executable, "-c", "import sys, time; sys.path.insert(0, sys.argv[1]); "
                                 "from fake_trainer_service import FakeTrainerService; s = FakeTrainerService(); "
                                 "print(s.url, flush=True); time.sleep(3600)", here], stdout=subprocess.PIPE, text=True)
        args.url = stub.stdout.readline().strip()
    torch.set_num_threads(1)
    clock = SenderClock()
    print(f"carbonstream client overhead: torch {torch.__version__}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores, sending to {'a stand-in service' if stub else args.url}")
    print(f"1. blocks: {args.pairs} pairs of blocks with and without the client, one tracker sending throughout")
    print(f"   {'loop':8s} {'step':>9s} {'block':>6s} {'calls in the loop':>22s} {'sender holds GIL':>17s} "
          f"{'client per step':>16s} {'of a step':>10s}")
    loops = [(name, make()) for name, make in (("mlp 64", lambda: mlp(64)), ("mlp 192", lambda: mlp(192)),
                                               ("100/s", sleepy)) if not args.loop or name in args.loop]
    try:
        for name, loop in loops:
            loop(50)  # warm up torch
            step, k, added, se, held = blocks(loop, args.url, args.pairs, clock)
            total = added + held
            print(f"   {name:8s} {step * 1e3:6.3f} ms {k:4d} st {added * 1e6:+9.2f} ± {se * 1e6:4.2f} us "
                  f"{held * 1e6:10.2f} us {total * 1e6:+12.2f} us {100 * total / step:+9.2f} %", flush=True)
        if args.blocks_only:
            return
        print(f"2. whole runs: {args.runs} runs each with and without the client (start, steps, finish), medians;"
              " 'noise' is a second set of runs without it")
        for name, loop in loops:
            steps = max(100, round(2.0 / loop(100)))
            base, added, noise = whole_runs(loop, args.url, args.runs, steps)
            print(f"   {name:8s} {base * 1e3:6.3f} ms x {steps:5d} steps   with the client {added:+6.2f} %   "
                  f"noise {noise:+6.2f} %", flush=True)
        print(f"sender thread: {clock.total:.3f} CPU s in all, of which {clock.take:.3f} s preparing reports "
              "(the rest is mostly the kernel's socket work, without the GIL)")
    finally:
        if stub:
            stub.kill()


if __name__ == "__main__":
    main()
