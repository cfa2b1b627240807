"""What carbonstream's client costs a training loop: the same real PyTorch loop with and without it.

usage: CARBONSTREAM_TOKEN=... python3 clients/python/bench/overhead.py [--url http://127.0.0.1:8081] [--repeats 7]
       python3 clients/python/bench/overhead.py --stub      (a stand-in service in another process: the client alone)

Two loops, each timed REPEATS times with and without the client (alternating), median and range printed:
  mlp     a 784-256-10 MLP, 400 steps of 64 samples on one thread (the issue's loop: 1.5 ms a step where it was
          measured, about 0.7 ms here), and of 192 samples (about 1.5 ms a step here)
  100/s   a loop of 100 steps a second (each step sleeps 10 ms: what a GPU-bound loop looks like to Python)
The client sends to the running stack, whose services then share the machine's cores with the loop; --stub sends
to a stand-in trainer-service (tests/fake_trainer_service.py) in another process instead, which measures the
client's own cost: what a loop pays when carbonstream runs elsewhere, as it does in production.
"""
import argparse
import os
import statistics
import sys
import time
import uuid

import torch

import carbonstream


def mlp_loop(steps, run=None, batch=64):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    x, y = torch.randn(steps, batch, 784), torch.randint(0, 10, (steps, batch))
    t = time.perf_counter()
    for i in range(steps):
        if run:
            run.begin_step()
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x[i]), y[i]).backward()
        opt.step()
        if run:
            run.end_step(samples=batch, tokens=batch)
    return time.perf_counter() - t


def sleepy_loop(steps, run=None):
    t = time.perf_counter()
    for _ in range(steps):
        if run:
            run.begin_step()
        time.sleep(0.01)
        if run:
            run.end_step(samples=64)
    return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default=os.environ.get("CARBONSTREAM_URL", "http://127.0.0.1:8081"))
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--stub", action="store_true", help="send to a stand-in service in another process")
    args = p.parse_args()
    stub = None
    if args.stub:
        import subprocess
        here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests")
        stub = subprocess.Popen([sys.executable, "-c", "import sys, time; sys.path.insert(0, sys.argv[1]); "
                                 "from fake_trainer_service import FakeTrainerService; s = FakeTrainerService(); "
                                 "print(s.url, flush=True); time.sleep(3600)", here], stdout=subprocess.PIPE, text=True)
        args.url = stub.stdout.readline().strip()
    torch.set_num_threads(1)
    print(f"carbonstream client overhead, torch {torch.__version__}, python {sys.version.split()[0]}, {args.repeats} runs each,"
          f" sending to {'a stand-in service' if stub else args.url}")
    def mlp192(steps, run=None):
        return mlp_loop(steps, run, batch=192)

    for name, loop, steps in (("mlp 400x64", mlp_loop, 400), ("mlp 400x192", mlp192, 400),
                              ("100 steps/s", sleepy_loop, 200)):
        loop(50)  # warm up torch
        without, with_ = [], []
        for _ in range(args.repeats):
            without.append(loop(steps))
            run = carbonstream.Tracker(url=args.url, job_id=f"overhead-{uuid.uuid4()}", name="overhead bench",
                                       datacenter="gcp-europe-west4", gpu_energy=None).start()
            with_.append(loop(steps, run))
            run.finish()
            assert run.sender.sent == steps, f"sent {run.sender.sent} of {steps} (is the stack up, the token set?)"
        a, b = statistics.median(without), statistics.median(with_)
        print(f"{name:12s} without {a * 1000 / steps:7.3f} ms/step ({min(without) * 1000 / steps:.3f}-{max(without) * 1000 / steps:.3f})"
              f"   with {b * 1000 / steps:7.3f} ms/step ({min(with_) * 1000 / steps:.3f}-{max(with_) * 1000 / steps:.3f})"
              f"   added {100 * (b - a) / a:+.2f} %   ({1e6 * (b - a) / steps:+.1f} us/step)")
    if stub:
        stub.kill()


if __name__ == "__main__":
    main()
