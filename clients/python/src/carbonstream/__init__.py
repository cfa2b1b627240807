"""carbonstream: report every training batch, with its measured energy, to carbonstream.

Five lines for a PyTorch loop::

    import carbonstream
    with carbonstream.track(name="mnist-mlp", datacenter="gcp-europe-west4") as run:
        for x, y in loader:
            with run.step(samples=len(x)):
                train_step(x, y)

The training thread never waits on the network: reports go to a bounded queue and a background thread sends
them in arrays; when carbonstream is unreachable they are kept in a spill file and sent when it is back, in this
process or the next one for the same job and worker. Configuration comes from arguments or the environment
(``CARBONSTREAM_URL``, ``CARBONSTREAM_TOKEN``, ``CARBONSTREAM_JOB_ID``, ...: see :class:`Tracker`), so a launcher can
track a run without code changes. docs/trainers.md has the whole story.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import time
import uuid
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence

from . import _dist
from ._dist import barrier, rank_and_world, synchronize_cuda
from ._energy import GpuEnergy, Rapl
from ._http import CarbonstreamError, Unavailable, request
from ._sender import Sender

__all__ = ["Tracker", "track", "tracked", "init", "step", "begin_step", "end_step", "finish", "CarbonstreamError"]
__version__ = "0.1.0"

log = logging.getLogger("carbonstream")


def _env(name: str, default: Any = None, cast: Callable[[str], Any] = str) -> Any:
    value = os.environ.get("CARBONSTREAM_" + name)
    return default if value in (None, "") else cast(value)


class Tracker:
    """One worker's reporting for one job.

    Every argument may come from the environment instead (``CARBONSTREAM_`` + the name in capitals):
    ``URL`` (http://127.0.0.1:8081, trainer-service), ``TOKEN`` (a trainer token of the job's tenant), ``JOB_ID``
    (shared by every worker; default: ``NAME-`` + the launcher's run id, TORCHELASTIC_RUN_ID or SLURM_JOB_ID, else a
    new UUID), ``NAME``, ``MODEL``, ``DATACENTER``, ``ACCELERATOR_TYPE``, ``ACCELERATORS_PER_WORKER``,
    ``PLANNED_STEPS``, ``CO2E_BUDGET_GRAMS``, ``SPILL_DIR`` (~/.cache/carbonstream). The worker id is the rank
    (torch.distributed, or RANK / LOCAL_RANK / WORLD_SIZE).

    ``gpu_energy`` is anything with a ``joules()`` of cumulative energy: by default NVML's counter for this
    process's GPU (CUDA_VISIBLE_DEVICES and LOCAL_RANK), none without an NVIDIA driver. With it, each step reports
    ``measuredPowerWatts`` (its energy over its duration, source NVML), which carbonstream prefers over its model.
    ``sync_cuda`` (default on) waits for queued CUDA work at each step boundary, so a step's time and energy are
    those of its work, not of the Python calls that launched it.

    ``cpuSeconds`` is the step's duration times the process's CPU use (CPU seconds per second) over the window the
    step ended in; the sender thread reads the process's CPU clock about once a second. Reading it at both ends of
    every step costs a torch loop about 5 µs a step, a third of one percent of a 1.5 ms step;
    ``step_cpu_time=True`` does that instead (exact per step, at that cost).

    ``cpu_energy`` likewise: by default RAPL (the CPU packages' powercap counters) when they are readable and this
    process is the only worker on its node (RAPL measures whole packages); each step then reports
    ``measuredCpuWatts``, which carbonstream prices instead of its CPU model. Otherwise ``cpuSeconds`` only.
    """

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, job_id: Optional[str] = None,
                 name: Optional[str] = None, datacenter: Optional[str] = None, model: Optional[str] = None,
                 accelerator_type: Optional[str] = None, accelerators_per_worker: Optional[int] = None,
                 workers: Optional[int] = None, planned_steps: Optional[int] = None,
                 co2e_budget_grams: Optional[float] = None, phase: Optional[str] = None,
                 rank: Optional[int] = None, local_rank: Optional[int] = None, world_size: Optional[int] = None,
                 register: bool = True, gpu_energy: Any = "auto", cpu_energy: Any = "auto",
                 devices: Optional[Sequence[int]] = None,
                 sync_cuda: bool = True, step_cpu_time: bool = False,
                 spill_dir: Optional[str] = None, max_queue: int = 100_000,
                 flush_interval: float = 1.0, exit_timeout: float = 10.0, job: Optional[Dict[str, Any]] = None):
        r, lr, w = rank_and_world()
        self.rank = r if rank is None else rank
        self.local_rank = lr if local_rank is None else local_rank
        self.world_size = w if world_size is None else world_size
        self.url = (url or _env("URL", "http://127.0.0.1:8081")).rstrip("/")
        self.token = token or _env("TOKEN")
        self.name = name or _env("NAME") or os.path.splitext(os.path.basename(sys.argv[0] or "python"))[0] or "python"
        run_id = os.environ.get("TORCHELASTIC_RUN_ID") or os.environ.get("SLURM_JOB_ID")
        self.job_id = job_id or _env("JOB_ID") or (f"{self.name}-{run_id}" if run_id else None)
        if self.job_id is None:
            if self.world_size > 1:
                log.warning("carbonstream: %d workers but no shared job id (CARBONSTREAM_JOB_ID): each worker "
                            "registers a job of its own", self.world_size)
            self.job_id = str(uuid.uuid4())
        self.worker_id = str(self.rank)
        self.phase = phase
        self.register = register
        self.job: Dict[str, Any] = {k: v for k, v in {
            "id": self.job_id, "name": self.name, "model": model or _env("MODEL"),
            "datacenter": datacenter or _env("DATACENTER"),
            "acceleratorType": accelerator_type or _env("ACCELERATOR_TYPE"),
            "acceleratorsPerWorker": accelerators_per_worker if accelerators_per_worker is not None
            else _env("ACCELERATORS_PER_WORKER", None, int),
            "workers": workers if workers is not None else self.world_size,
            "plannedSteps": planned_steps if planned_steps is not None else _env("PLANNED_STEPS", None, int),
            "co2eBudgetGrams": co2e_budget_grams if co2e_budget_grams is not None
            else _env("CO2E_BUDGET_GRAMS", None, float),
        }.items() if v is not None}
        if "acceleratorsPerWorker" not in self.job:
            self.job["acceleratorsPerWorker"] = 1 if "acceleratorType" in self.job else 0
        if phase:
            self.job["phase"] = phase
        if job:
            self.job.update(job)
        self.spill_dir = spill_dir or _env("SPILL_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "carbonstream")
        self.max_queue = max_queue
        self.flush_interval = flush_interval
        self.exit_timeout = exit_timeout
        self.step_cpu_time = step_cpu_time
        self._sync_cuda = sync_cuda
        self._gpu_arg = gpu_energy
        self._cpu_arg = cpu_energy
        self._devices = devices
        self.gpu: Any = None
        self.rapl: Optional[Rapl] = None
        self.sender: Optional[Sender] = None
        self.rejections: List[CarbonstreamError] = []
        self._warned = set()
        self._next_step = 0
        self._begun: Optional[float] = None
        self._counters: tuple = (None, None, None)
        self._step = _Step(self)
        self._queue: Any = ()  # the sender's, once started
        self._started = False
        self._finished = False
        self._update_measuring()

    # --- lifecycle ------------------------------------------------------------------------------------------

    def start(self) -> "Tracker":
        """Registers the job (every worker tries; one that exists already is fine) and starts the sender."""
        if self._started:
            return self
        if self.register:
            if "datacenter" not in self.job:
                raise ValueError("carbonstream needs the job's data centre: datacenter=... or CARBONSTREAM_DATACENTER "
                                 "(an id of carbon-service's GET /datacenters, such as gcp-europe-west4)")
            self._register()
        self.sender = Sender(self.url, self.job_id, self.worker_id, self.token, self.spill_dir,
                             max_queue=self.max_queue, flush_interval=self.flush_interval,
                             on_rejected=self._rejected, prepare=_Reports(self.worker_id, self.phase))
        if self._gpu_arg == "auto":
            self.gpu = GpuEnergy.open(self._devices, self.local_rank)
        else:
            self.gpu = self._gpu_arg
        if self._cpu_arg == "auto":
            alone = os.environ.get("LOCAL_WORLD_SIZE", "1" if self.world_size == 1 else "") == "1"
            rapl = Rapl() if alone else None
            self.rapl = rapl if rapl is not None and rapl.available() else None
        else:
            self.rapl = self._cpu_arg
        atexit.register(self.close)
        self._queue = self.sender.queue
        self._started = True
        self._update_measuring()
        return self

    def _register(self) -> None:
        for attempt in range(5):
            try:
                request("POST", self.url + "/jobs", self.job, self.token)
                return
            except CarbonstreamError as e:
                if e.status == 409:
                    return  # registered by another worker, or by an earlier run of this one
                raise
            except Unavailable as e:
                if attempt == 4:
                    # training goes on; reports are kept and sent once the job can be registered
                    log.warning("carbonstream: could not register job %s (%s); reports are kept in %s",
                                self.job_id, e, self.spill_dir)
                    return
                time.sleep(0.5 * 2 ** attempt)

    def _rejected(self, error: CarbonstreamError, reports: List[str]) -> None:
        self.rejections.append(error)
        key = (error.status, str(error))
        if key not in self._warned:
            self._warned.add(key)
            which = f" ({len(reports)} report(s), first step {json.loads(reports[0]).get('step')})" if reports else ""
            log.warning("carbonstream refused reports of job %s%s: %s", self.job_id, which, error)

    def flush(self, timeout: float = 30.0) -> bool:
        """Waits until every report so far is sent; False if carbonstream could not take them all in time (the
        rest are kept in the spill file)."""
        return self.sender.flush(timeout) if self.sender else True

    def close(self) -> None:
        """Sends what it can within ``exit_timeout`` and keeps the rest for the next run. Called at exit."""
        if self.sender:
            self.sender.close(self.exit_timeout)

    def finish(self, state: str = "FINISHED") -> None:
        """Flushes, then marks the job FINISHED or FAILED: on rank 0, after every worker got here when
        torch.distributed is initialised."""
        if self._finished:
            return
        self._finished = True
        if not self._started:
            return
        self.flush(self.exit_timeout)
        barrier()
        if self.rank == 0 and self.register:
            try:
                request("POST", f"{self.url}/jobs/{self.job_id}/finish", {"state": state}, self.token)
            except (CarbonstreamError, Unavailable) as e:
                log.warning("carbonstream: could not mark job %s %s: %s", self.job_id, state, e)
        self.close()

    def __enter__(self) -> "Tracker":
        return self.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.finish("FAILED" if exc_type is not None else "FINISHED")

    # --- steps ----------------------------------------------------------------------------------------------

    def begin_step(self) -> None:
        """Marks the start of a step (a batch): its time, and its counters when there are any to read."""
        self._step.__enter__()

    def end_step(self, samples: int, tokens: int = 0, flops: Optional[float] = None, step: Optional[int] = None,
                 phase: Optional[str] = None, utilization: Optional[float] = None) -> None:
        """Ends the step begun last and queues its report (never waits on the network)."""
        s = self._step
        s.args = (samples, tokens, flops, step, phase, utilization)
        s.__exit__(None, None, None)

    def step(self, samples: int, tokens: int = 0, flops: Optional[float] = None, step: Optional[int] = None,
             phase: Optional[str] = None, utilization: Optional[float] = None) -> "_Step":
        """A context manager around one step: ``with run.step(samples=len(x)): ...``. A step that raises is not
        reported (its batch did not complete). Steps do not nest: the tracker has one step object, reused."""
        s = self._step
        s.args = (samples, tokens, flops, step, phase, utilization)
        return s

    # what the loop pays only when there is something to measure: CUDA to wait for, energy counters, the CPU clock

    def _update_measuring(self) -> None:
        self._measuring = (not self._started or self._sync_cuda or self.gpu is not None or self.rapl is not None
                           or self.step_cpu_time)

    @property
    def sync_cuda(self) -> bool:
        return self._sync_cuda

    @sync_cuda.setter
    def sync_cuda(self, value: bool) -> None:
        self._sync_cuda = value
        self._update_measuring()

    def _begin_counters(self) -> None:
        if not self._started:
            self.start()
        if self._sync_cuda:
            if _dist._NO_CUDA:
                self.sync_cuda = False  # torch without CUDA stays without it
            else:
                synchronize_cuda()
        gpu, rapl = self.gpu, self.rapl
        self._counters = (time.process_time() if self.step_cpu_time else None,
                          gpu.joules() if gpu is not None else None, rapl.joules() if rapl is not None else None)

    def _end_counters(self) -> tuple:
        """The step's end and what was measured over it: (CPU s, GPU J, CPU package J), None where not measured."""
        if self._sync_cuda:
            synchronize_cuda()
        ended = time.time()
        cpu, gpu_j, rapl_j = self._counters
        return ended, (None if cpu is None else time.process_time() - cpu,
                       None if gpu_j is None else self.gpu.joules() - gpu_j,
                       None if rapl_j is None else self.rapl.joules() - rapl_j)


class _Step:
    """``with run.step(...)`` (and ``begin_step`` / ``end_step``, which call it). This is what the training loop
    runs between two batches, with caches the batch has filled, where each line costs several times what it costs
    alone, so it is short: without counters, a clock read at each end and one tuple on the sender's queue; it
    wakes no thread and formats nothing (the sender thread makes the report). A plain object rather than a
    ``@contextmanager`` generator, which would cost the loop a generator and its wrapper every step."""
    __slots__ = ("tracker", "args")

    def __init__(self, tracker: Tracker):
        self.tracker = tracker
        self.args: tuple = ()

    def __enter__(self) -> None:
        t = self.tracker
        if t._measuring:
            t._begin_counters()
        t._begun = time.time()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        t = self.tracker
        if exc_type is not None:
            t._begun = None
            return False
        if t._measuring:
            ended, measured = t._end_counters()
        else:
            ended, measured = time.time(), None
        begun = t._begun
        if begun is None:
            raise RuntimeError("end_step() without begin_step()")
        t._begun = None
        samples, tokens, flops, step, phase, utilization = self.args
        if step is None:
            step = t._next_step
            t._next_step = step + 1
        elif step >= t._next_step:
            t._next_step = step + 1
        report = (step, begun, ended, samples, tokens, flops, phase, utilization, measured)
        queue = t._queue
        if len(queue) < t.max_queue:  # Sender.submit, without the call
            queue.append(report)
        else:
            t.sender.submit(report)  # full: spilled
        return False


class _Reports:
    """Makes the tuples end_step queued into the JSON text of trainer-service's report, on the sender thread.

    Written out with one format string rather than a dict and ``json.dumps``, and with each second's
    ``YYYY-MM-DDTHH:MM:SS`` made once: a report costs the sender about a microsecond and a half, and that is time the
    sender may hold the GIL the loop needs. Instants are rounded to whole microseconds first (what ISO-8601 to the
    microsecond can say), and measured energies become average powers over exactly that rounded duration, so that
    carbonstream's power x duration gives back the joules measured.

    A step queued without its CPU time (the default) gets the process's average CPU use over the window it ended in
    times its duration: the window runs from one reading of the process's CPU clock to the next, and a reading is
    taken when the first report that ended after the last one is prepared (once per send, about once a second)."""

    def __init__(self, worker: str, phase: Optional[str] = None, clock: Callable[[], float] = time.time,
                 cpu_clock: Callable[[], float] = time.process_time):
        self._worker = json.dumps(worker)
        self._phase = phase
        # each kept as one tuple, replaced whole: the training thread prepares reports too when the queue is full
        self._second: tuple = (None, "")  # (a second, its YYYY-MM-DDTHH:MM:SS)
        self._clock, self._cpu_clock = clock, cpu_clock
        self._window: tuple = (clock(), cpu_clock(), 0.0)  # (end, the CPU clock then, CPU s per s before it)

    def _read_cpu(self) -> float:
        now, cpu = self._clock(), self._cpu_clock()
        end, cpu_then, used = self._window
        if now > end:
            used = max(0.0, cpu - cpu_then) / (now - end)
        self._window = (now, cpu, used)
        return used

    def _iso(self, micros: int) -> str:
        second, fraction = divmod(micros, 1_000_000)
        known, prefix = self._second
        if second != known:
            prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = (second, prefix)
        return "%s.%06dZ" % (prefix, fraction)

    def __call__(self, step: tuple) -> str:
        number, started, ended, samples, tokens, flops, phase, utilization, measured = step
        cpu, gpu_j, rapl_j = measured or (None, None, None)
        s_us, e_us = round(started * 1_000_000), round(ended * 1_000_000)
        if e_us <= s_us:
            e_us = s_us + 1  # a clock that did not move: the shortest batch carbonstream accepts
        if cpu is None:
            window = self._window
            cpu = (self._read_cpu() if ended > window[0] else window[2]) * (ended - started)
        text = '{"workerId":%s,"step":%d,"startedAt":"%s","endedAt":"%s","samples":%d,"tokens":%d,"cpuSeconds":%.6f' % (
            self._worker, number, self._iso(s_us), self._iso(e_us), int(samples), int(tokens), cpu if cpu > 0 else 0.0)
        phase = phase or self._phase
        if phase:
            text += ',"phase":' + json.dumps(phase)
        if flops is not None:
            text += ',"flops":' + json.dumps(flops)
        if utilization is not None:
            text += ',"utilization":' + json.dumps(utilization)
        seconds = (e_us - s_us) / 1_000_000
        if gpu_j is not None:
            text += ',"measuredPowerWatts":%r,"powerSource":"NVML"' % (max(0.0, gpu_j) / seconds)
        if rapl_j is not None:
            text += ',"measuredCpuWatts":%r' % (max(0.0, rapl_j) / seconds)
        return text + "}"


@contextmanager
def track(**kwargs: Any) -> Iterator[Tracker]:
    """A whole run: registers the job, and marks it FINISHED on exit or FAILED on an exception (re-raised)."""
    with Tracker(**kwargs) as t:
        yield t


def tracked(**kwargs: Any) -> Callable:
    """A decorator: the function is a tracked run, and gets the Tracker as its ``carbonstream`` keyword when it
    accepts one."""
    def wrap(fn: Callable) -> Callable:
        import functools
        import inspect
        takes = "carbonstream" in inspect.signature(fn).parameters

        @functools.wraps(fn)
        def run(*args: Any, **kw: Any) -> Any:
            with track(**kwargs) as t:
                if takes:
                    kw["carbonstream"] = t
                return fn(*args, **kw)
        return run
    return wrap


# --- a plain function API for loops that are not context managers ----------------------------------------------

_current: Optional[Tracker] = None


def init(**kwargs: Any) -> Tracker:
    """Starts the process-wide tracker (``carbonstream.step``, ``begin_step``, ``end_step``, ``finish``)."""
    global _current
    _current = Tracker(**kwargs).start()
    return _current


def _tracker() -> Tracker:
    if _current is None:
        raise RuntimeError("call carbonstream.init(...) first")
    return _current


def step(samples: int, **kwargs: Any):
    return _tracker().step(samples, **kwargs)


def begin_step() -> None:
    _tracker().begin_step()


def end_step(samples: int, **kwargs: Any) -> None:
    _tracker().end_step(samples, **kwargs)


def finish(state: str = "FINISHED") -> None:
    _tracker().finish(state)
