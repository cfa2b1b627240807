"""The counter arithmetic and device choice, with fakes of the hardware interfaces."""
import os

from carbonstream._energy import GpuEnergy, Rapl, counter_delta, visible_devices


def test_a_counter_that_wraps_counts_the_way_round():
    assert counter_delta(100, 250, 1000) == 150
    assert counter_delta(900, 50, 1000) == 150  # wrapped at max_energy_range_uj
    assert counter_delta(900, 50, None) == 0    # no range known: a decrease is not energy


def write(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(str(value))


def test_rapl_sums_every_package_and_handles_wrap_around(tmp_path):
    root = tmp_path / "powercap"
    write(str(root / "intel-rapl:0" / "energy_uj"), 999_000_000)
    write(str(root / "intel-rapl:0" / "max_energy_range_uj"), 1_000_000_000)
    write(str(root / "intel-rapl:1" / "energy_uj"), 5_000_000)
    write(str(root / "intel-rapl:1" / "max_energy_range_uj"), 1_000_000_000)
    # a sub-domain inside package 0 is not counted twice
    write(str(root / "intel-rapl:0:0" / "energy_uj"), 1)
    write(str(root / "intel-rapl:0:0" / "max_energy_range_uj"), 10)
    rapl = Rapl(str(root))
    assert rapl.available()
    assert rapl.joules() == 0
    write(str(root / "intel-rapl:0" / "energy_uj"), 1_000_000)    # wrapped: +2 J
    write(str(root / "intel-rapl:1" / "energy_uj"), 8_500_000)    # +3.5 J
    assert rapl.joules() == 5.5
    write(str(root / "intel-rapl:0" / "energy_uj"), 2_000_000)    # +1 J
    assert rapl.joules() == 6.5


def test_rapl_without_readable_counters_is_unavailable(tmp_path):
    assert not Rapl(str(tmp_path / "none")).available()


def test_the_gpu_of_this_process_is_chosen_by_cuda_visible_devices_and_local_rank():
    assert visible_devices(1, {"CUDA_VISIBLE_DEVICES": "4,6"}) == [6]
    assert visible_devices(0, {"CUDA_VISIBLE_DEVICES": "4,6"}) == [4]
    assert visible_devices(3, {}) == [3]
    assert visible_devices(0, {"CUDA_VISIBLE_DEVICES": ""}) == []
    assert visible_devices(0, {"CUDA_VISIBLE_DEVICES": "GPU-1a2b"}) == []  # UUIDs: name devices= yourself


class FakeNvml:
    """NVML as a driver answers it: a total-energy counter in mJ per device, or none (pre-Volta)."""

    def __init__(self, energy_mj=None, power_mw=None):
        self.energy_mj = energy_mj
        self.power = power_mw

    def handle(self, index):
        return index

    def total_energy_mj(self, handle):
        return None if self.energy_mj is None else self.energy_mj[handle]

    def power_mw(self, handle):
        return self.power


def test_gpu_energy_is_the_difference_of_nvml_counters_in_millijoules():
    nvml = FakeNvml(energy_mj={0: 1_000_000, 1: 2_000_000})
    gpu = GpuEnergy(nvml, [0, 1])
    assert gpu.counters
    before = gpu.joules()
    nvml.energy_mj[0] += 1_500   # 1.5 J
    nvml.energy_mj[1] += 250     # 0.25 J
    assert gpu.joules() - before == 1.75


def test_without_an_energy_counter_power_is_sampled_and_integrated():
    import time
    nvml = FakeNvml(energy_mj=None, power_mw=200_000)  # 200 W, constant
    gpu = GpuEnergy(nvml, [0])
    assert not gpu.counters
    t0, j0 = time.monotonic(), gpu.joules()
    time.sleep(0.3)
    j = gpu.joules() - j0
    elapsed = time.monotonic() - t0
    gpu.sampler.stop()
    assert 200 * (elapsed - 0.1) <= j <= 200 * (elapsed + 0.05)
