#!/usr/bin/env python3
"""A toy training loop reported to carbonstream with the Python client package (clients/python).

    pip install ./clients/python
    CARBONSTREAM_TOKEN=$(deploy/local/carbonstream token --tenant python-demo --role trainer) \
        python3 examples/python/carbonstream_hook.py --demo --url http://localhost:8081

It registers a job (an NVIDIA T4 in aws-us-east-1), reports each step from the client's background thread, marks
the job FINISHED and prints its id. From a clone without the package installed, it uses clients/python/src.
The package's guide is docs/trainers.md.
"""
import argparse
import os
import sys
import time

try:
    import carbonstream
except ImportError:  # run from a clone: the package's sources sit next door
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python", "src"))
    import carbonstream


def demo(url, steps):
    with carbonstream.track(url=url, name="toy loop", accelerator_type="nvidia-t4", accelerators_per_worker=1,
                            datacenter="aws-us-east-1") as run:
        for _ in range(steps):
            with run.step(samples=32, tokens=32 * 128, utilization=0.8):
                time.sleep(0.02)  # stands in for forward, backward and the optimizer step
    print(run.job_id)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="register a job and report a toy loop's steps")
    parser.add_argument("--url", default=os.environ.get("CARBONSTREAM_URL", "http://localhost:8081"),
                        help="trainer-service base URL")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--token", help="bearer token (default: $CARBONSTREAM_TOKEN)")
    args = parser.parse_args()
    if args.token:
        os.environ["CARBONSTREAM_TOKEN"] = args.token
    if not args.demo:
        parser.print_help()
    else:
        demo(args.url, args.steps)
