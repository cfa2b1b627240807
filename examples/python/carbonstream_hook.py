#!/usr/bin/env python3
"""Report training batches to carbonstream from any Python training loop (PyTorch, JAX, ...).

Standard library only. Typical use in a PyTorch loop:

    from carbonstream_hook import CarbonstreamReporter

    reporter = CarbonstreamReporter("http://localhost:8081", job_id="my-run", worker_id=str(rank), every=10)
    # the bearer token comes from CARBONSTREAM_TOKEN (or token=...): a trainer token of the job's tenant
    for step, (x, y) in enumerate(loader):
        with reporter.step(step, samples=len(x), tokens=x.numel()) as batch:
            loss = model(x, y); loss.backward(); optimizer.step()
            batch.flops = 6 * n_params * x.numel()          # optional
    reporter.close()                                        # sends what is still buffered

Reports are buffered and sent every `every` steps as one JSON array. A failed send (connection error, 5xx)
is retried with backoff; a retry is safe because carbonstream derives each batch's identity from
(job, worker, phase, step) and counts it once. A 429 answer (the tenant is over its batch-report rate) is retried
after the `Retry-After` the service sends. A 401 or 403 (no token, an expired one, or one without the trainer role)
raises `ReportRejected` at once. A 400 answer (a bad report) raises `ReportRejected` with the
problem details. If `pynvml` is installed, the average GPU power of the step is read from NVML and sent as a
measurement (`powerSource: NVML`), which carbonstream prefers over its power model.

Run `CARBONSTREAM_TOKEN=$(deploy/local/carbonstream token --tenant python-demo --role trainer)
python3 carbonstream_hook.py --demo --url http://localhost:8081` against a local stack to see it work.
"""
import argparse
import json
import os
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone


class ReportRejected(Exception):
    """carbonstream refused a request (HTTP 4xx); `problem` holds its problem+json body."""

    def __init__(self, status, problem):
        super().__init__(f"HTTP {status}: {problem.get('detail', problem)}")
        self.status = status
        self.problem = problem


def _iso(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


class _Batch:
    def __init__(self):
        self.flops = None
        self.utilization = None


class _Nvml:
    """Average power of the visible GPUs over a step, when pynvml is available."""

    def __init__(self):
        try:
            import pynvml  # noqa: PLC0415
            pynvml.nvmlInit()
            self._nvml = pynvml
            self._handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(pynvml.nvmlDeviceGetCount())]
        except Exception:  # no pynvml, no driver, no GPU
            self._nvml = None
            self._handles = []

    def watts(self):
        if not self._handles:
            return None
        return sum(self._nvml.nvmlDeviceGetPowerUsage(h) for h in self._handles) / 1000.0


class CarbonstreamReporter:
    def __init__(self, url, job_id, worker_id="0", every=10, timeout=10.0, retries=5, measure_power=True, token=None):
        self.url = url.rstrip("/")
        self.token = token or os.environ.get("CARBONSTREAM_TOKEN")
        self.job_id = job_id
        self.worker_id = worker_id
        self.every = max(1, every)
        self.timeout = timeout
        self.retries = retries
        self._buffer = []
        self._nvml = _Nvml() if measure_power else None

    @staticmethod
    def register_job(url, token=None, **job):
        """POST /jobs; returns the job as carbonstream stored it (its id in ['id']). Its tenant is the token's."""
        return _post(url.rstrip("/") + "/jobs", job, timeout=10.0, retries=3,
                     token=token or os.environ.get("CARBONSTREAM_TOKEN"))

    @contextmanager
    def step(self, step, samples, tokens=0, phase=None):
        batch = _Batch()
        power = []
        started = time.time()
        cpu0 = time.process_time()
        if self._nvml:
            w = self._nvml.watts()
            if w is not None:
                power.append(w)
        yield batch
        ended = time.time()
        if self._nvml:
            w = self._nvml.watts()
            if w is not None:
                power.append(w)
        report = {"workerId": self.worker_id, "step": step, "startedAt": _iso(started), "endedAt": _iso(ended),
                  "samples": samples, "tokens": tokens, "cpuSeconds": round(time.process_time() - cpu0, 6)}
        if phase:
            report["phase"] = phase
        if batch.flops is not None:
            report["flops"] = batch.flops
        if batch.utilization is not None:
            report["utilization"] = batch.utilization
        if power:
            report["measuredPowerWatts"] = sum(power) / len(power)
            report["powerSource"] = "NVML"
        self._buffer.append(report)
        if len(self._buffer) >= self.every:
            self.flush()

    def flush(self):
        if not self._buffer:
            return None
        answer = _post(f"{self.url}/jobs/{self.job_id}/batches", self._buffer, self.timeout, self.retries, self.token)
        self._buffer = []
        return answer

    def close(self):
        return self.flush()


def _post(url, body, timeout, retries, token=None):
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    delay = 0.5
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=data, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            if e.code == 429 and attempt < retries:
                # over the tenant's rate: nothing of the request was taken; wait as long as the service says
                time.sleep(min(float(e.headers.get("Retry-After") or 1), 60))
                continue
            if 400 <= e.code < 500:
                raise ReportRejected(e.code, json.loads(e.read() or b"{}")) from None
            if attempt == retries:
                raise
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            if attempt == retries:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 10)
    return None


def _demo(url, steps):
    job = CarbonstreamReporter.register_job(url, name="toy loop", acceleratorType="nvidia-t4",
                                            acceleratorsPerWorker=1, datacenter="aws-us-east-1")
    reporter = CarbonstreamReporter(url, job["id"], every=4)
    for step in range(steps):
        with reporter.step(step, samples=32, tokens=32 * 128) as batch:
            time.sleep(0.02)            # stands in for forward, backward and the optimizer step
            batch.utilization = 0.8
    reporter.close()
    print(job["id"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="register a job and report a toy loop's steps")
    parser.add_argument("--url", default="http://localhost:8081", help="trainer-service base URL")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--token", help="bearer token (default: $CARBONSTREAM_TOKEN)")
    args = parser.parse_args()
    if args.token:
        os.environ["CARBONSTREAM_TOKEN"] = args.token
    if not args.demo:
        parser.print_help()
    else:
        _demo(args.url, args.steps)
