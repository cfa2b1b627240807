"""Energy counters read per step: NVIDIA GPUs through NVML (ctypes on libnvidia-ml.so.1, no pynvml), and CPU
packages through RAPL (powercap ``energy_uj``). Differences of cumulative counters give a step's energy; a
power-sampling thread stands in where the GPU has no energy counter (before Volta).
"""
from __future__ import annotations

import ctypes
import glob
import os
import threading
import time
from typing import Callable, List, Optional, Sequence

NVML_SUCCESS = 0
NVML_ERROR_NOT_SUPPORTED = 3


def counter_delta(before: int, after: int, max_range: Optional[int]) -> int:
    """The increase of a cumulative counter that wraps to 0 after ``max_range`` (RAPL's ``max_energy_range_uj``);
    without a range, a decrease is impossible and counts as 0."""
    if after >= before:
        return after - before
    if max_range:
        return max_range - before + after
    return 0


class Nvml:
    """The NVML calls carbonstream needs, through ctypes."""

    def __init__(self, library: str = "libnvidia-ml.so.1"):
        self.lib = ctypes.CDLL(library)
        if self.lib.nvmlInit_v2() != NVML_SUCCESS:
            raise OSError("nvmlInit failed")

    def handle(self, index: int):
        h = ctypes.c_void_p()
        if self.lib.nvmlDeviceGetHandleByIndex_v2(ctypes.c_uint(index), ctypes.byref(h)) != NVML_SUCCESS:
            raise OSError(f"no NVML device {index}")
        return h

    def total_energy_mj(self, handle) -> Optional[int]:
        """Millijoules since the driver loaded (Volta and newer), or None where the GPU has no counter."""
        mj = ctypes.c_ulonglong()
        rc = self.lib.nvmlDeviceGetTotalEnergyConsumption(handle, ctypes.byref(mj))
        return mj.value if rc == NVML_SUCCESS else None

    def power_mw(self, handle) -> Optional[int]:
        mw = ctypes.c_uint()
        rc = self.lib.nvmlDeviceGetPowerUsage(handle, ctypes.byref(mw))
        return mw.value if rc == NVML_SUCCESS else None


def visible_devices(local_rank: int, env: Optional[dict] = None) -> List[int]:
    """The physical GPU index this process uses: ``CUDA_VISIBLE_DEVICES[LOCAL_RANK]`` (numeric lists), else
    LOCAL_RANK itself."""
    env = os.environ if env is None else env
    visible = env.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        ids = [v.strip() for v in visible.split(",") if v.strip()]
        if not ids:
            return []
        pick = ids[local_rank] if local_rank < len(ids) else ids[0]
        if pick.isdigit():
            return [int(pick)]
        return []  # UUIDs: name the devices with devices=[...]
    return [local_rank]


class PowerSampler:
    """Integrates power readings over time (trapezoids) on a background thread: the energy of GPUs without a
    counter."""

    def __init__(self, read_watts: Callable[[], Optional[float]], interval: float = 0.02):
        self.read_watts = read_watts
        self.interval = interval
        self._joules = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="carbonstream-power", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        last_t, last_w = time.monotonic(), self.read_watts() or 0.0
        while not self._stop.wait(self.interval):
            t, w = time.monotonic(), self.read_watts()
            if w is None:
                continue
            with self._lock:
                self._joules += (w + last_w) / 2 * (t - last_t)
            last_t, last_w = t, w

    def joules(self) -> float:
        with self._lock:
            return self._joules

    def stop(self) -> None:
        self._stop.set()


class GpuEnergy:
    """Cumulative energy (J) of this process's GPUs: NVML's total-energy counter, or sampled power."""

    def __init__(self, nvml: Nvml, devices: Sequence[int]):
        self.nvml = nvml
        self.handles = [nvml.handle(i) for i in devices]
        self.counters = all(nvml.total_energy_mj(h) is not None for h in self.handles)
        self.sampler = None if self.counters else PowerSampler(self._watts)

    def _watts(self) -> Optional[float]:
        readings = [self.nvml.power_mw(h) for h in self.handles]
        if any(r is None for r in readings):
            return None
        return sum(readings) / 1000.0

    def joules(self) -> float:
        if self.counters:
            return sum(self.nvml.total_energy_mj(h) or 0 for h in self.handles) / 1000.0
        return self.sampler.joules()

    @staticmethod
    def open(devices: Optional[Sequence[int]], local_rank: int) -> Optional["GpuEnergy"]:
        try:
            nvml = Nvml()
        except OSError:
            return None
        chosen = list(devices) if devices is not None else visible_devices(local_rank)
        if not chosen:
            return None
        try:
            return GpuEnergy(nvml, chosen)
        except OSError:
            return None


class Rapl:
    """CPU package energy from the powercap interface: ``/sys/class/powercap/intel-rapl:N/energy_uj``, wrap-around
    handled with ``max_energy_range_uj``. Readable only where the kernel allows (often root only)."""

    def __init__(self, root: str = "/sys/class/powercap"):
        self.domains = []
        for d in sorted(glob.glob(os.path.join(root, "intel-rapl:[0-9]*"))):
            if os.path.basename(d).count(":") != 1:
                continue  # sub-domains (core, dram) are inside their package
            try:
                with open(os.path.join(d, "max_energy_range_uj")) as f:
                    max_range = int(f.read())
                self.domains.append((os.path.join(d, "energy_uj"), max_range))
                self._read(self.domains[-1][0])
            except (OSError, ValueError):
                self.domains = [x for x in self.domains if x[0] != os.path.join(d, "energy_uj")]
        self._last = [self._read(p) for p, _ in self.domains]
        self._total_uj = 0

    @staticmethod
    def _read(path: str) -> int:
        with open(path) as f:
            return int(f.read())

    def available(self) -> bool:
        return bool(self.domains)

    def joules(self) -> float:
        """Cumulative joules since this object was made (reading often enough that no counter wraps twice)."""
        for i, (path, max_range) in enumerate(self.domains):
            now = self._read(path)
            self._total_uj += counter_delta(self._last[i], now, max_range)
            self._last[i] = now
        return self._total_uj / 1e6
