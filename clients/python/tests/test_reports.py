"""What the sender thread makes of a queued step: the report's JSON text, its instants, its CPU time."""
import json
import logging
import random
from datetime import datetime, timezone

import carbonstream
from carbonstream import _Reports
from carbonstream._sender import Sender


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def step(number, started, ended, cpu=None, gpu_j=None, rapl_j=None, phase=None, flops=None):
    """A step as end_step queues it."""
    measured = None if cpu is None and gpu_j is None and rapl_j is None else (cpu, gpu_j, rapl_j)
    return (number, started, ended, 64, 128, flops, phase, None, measured)


class Clocks:
    """A wall clock and a CPU clock the test moves."""

    def __init__(self, wall, cpu):
        self.wall, self.cpu = wall, cpu

    def reports(self):
        return _Reports("0", clock=lambda: self.wall, cpu_clock=lambda: self.cpu)


def test_instants_are_iso_8601_to_the_microsecond_in_utc():
    reports = _Reports("0")
    rng = random.Random(7)
    for _ in range(2000):
        started = 1_796_130_209 + rng.random() * 86_400 * 3
        ended = started + rng.random() * 2
        r = json.loads(reports(step(1, started, ended, cpu=0.5)))
        for key, ts in (("startedAt", started), ("endedAt", ended)):
            assert r[key].endswith("Z") and len(r[key]) == len("2026-12-01T13:03:29.929733Z")
            exact = datetime.fromtimestamp(ts, tz=timezone.utc)
            assert abs((instant(r[key]) - exact).total_seconds()) <= 1e-6, (r[key], ts)
    # the second's prefix is remembered, and changes with the second
    a = json.loads(reports(step(1, 1_796_130_209.999_999_4, 1_796_130_210.000_000_4, cpu=0)))
    assert (a["startedAt"], a["endedAt"]) == ("2026-12-01T13:03:29.999999Z", "2026-12-01T13:03:30.000000Z")


def test_measured_energies_are_powers_over_exactly_the_duration_the_instants_say():
    reports = _Reports("0")
    rng = random.Random(11)
    for _ in range(2000):
        started = 1_796_130_209 + rng.random() * 1000
        ended = started + 1e-4 + rng.random() * 0.01
        gpu_j, cpu_j = rng.random() * 5, rng.random() * 2
        r = json.loads(reports(step(1, started, ended, cpu=0.001, gpu_j=gpu_j, rapl_j=cpu_j)))
        seconds = (instant(r["endedAt"]) - instant(r["startedAt"])).total_seconds()
        # carbonstream prices power x the duration of the instants: that gives back the joules measured
        assert abs(r["measuredPowerWatts"] * seconds - gpu_j) <= 1e-12 * max(1.0, gpu_j)
        assert abs(r["measuredCpuWatts"] * seconds - cpu_j) <= 1e-12 * max(1.0, cpu_j)
        assert r["powerSource"] == "NVML"


def test_the_text_is_the_report_trainer_service_reads():
    reports = _Reports('rank "3"', phase="train")
    r = json.loads(reports(step(41, 1_796_130_209.25, 1_796_130_209.5, cpu=0.123_456_7, phase="eval", flops=1.5e12)))
    assert r == {"workerId": 'rank "3"', "step": 41, "startedAt": "2026-12-01T13:03:29.250000Z",
                 "endedAt": "2026-12-01T13:03:29.500000Z", "samples": 64, "tokens": 128, "cpuSeconds": 0.123457,
                 "phase": "eval", "flops": 1.5e12}
    # a clock that did not move gives the shortest batch carbonstream accepts; negative CPU time reads 0
    r = json.loads(reports(step(42, 1_796_130_209.5, 1_796_130_209.5, cpu=-0.1)))
    assert (r["startedAt"], r["endedAt"], r["cpuSeconds"], r["phase"]) == (
        "2026-12-01T13:03:29.500000Z", "2026-12-01T13:03:29.500001Z", 0, "train"), "the tracker's phase by default"


def test_a_step_without_its_cpu_time_gets_the_processs_cpu_use_over_the_window_it_ended_in():
    clocks = Clocks(wall=1000.0, cpu=50.0)
    reports = clocks.reports()
    # the sender prepares the first steps at 1001 s: the process used 1.5 CPU seconds in that second
    clocks.wall, clocks.cpu = 1001.0, 51.5
    first = json.loads(reports(step(0, 1000.1, 1000.3)))
    second = json.loads(reports(step(1, 1000.3, 1000.9)))
    assert (first["cpuSeconds"], second["cpuSeconds"]) == (0.3, 0.9)
    # a second later the process was idle: steps that ended after 1001 get that window's use
    clocks.wall, clocks.cpu = 1002.0, 51.6
    third = json.loads(reports(step(2, 1001.0, 1001.5)))
    assert third["cpuSeconds"] == 0.05
    # the steps add up to the process's CPU time over the time they ran
    assert abs(sum(r["cpuSeconds"] for r in (first, second, third)) - (0.2 + 0.6) * 1.5 - 0.5 * 0.1) < 1e-9


def test_step_cpu_time_reads_the_cpu_clock_at_each_steps_ends(tmp_path):
    run = carbonstream.Tracker(url="http://127.0.0.1:9", job_id="j", datacenter="dc", register=False,
                               gpu_energy=None, cpu_energy=None, spill_dir=str(tmp_path), flush_interval=1e6,
                               step_cpu_time=True).start()
    run.begin_step()
    sum(i * i for i in range(200_000))
    run.end_step(samples=1)
    cpu, gpu_j, rapl_j = run.sender.queue[0][-1]
    assert cpu > 0 and gpu_j is None and rapl_j is None
    default = carbonstream.Tracker(url="http://127.0.0.1:9", job_id="k", datacenter="dc", register=False,
                                   gpu_energy=None, cpu_energy=None, sync_cuda=False, spill_dir=str(tmp_path),
                                   flush_interval=1e6).start()
    with default.step(samples=1):
        pass
    assert default.sender.queue[-1][-1] is None, "left to the sender's window by default"
    assert not default._measuring, "nothing to read but the clock"
    run.sender.queue.clear()
    default.sender.queue.clear()


def test_a_spill_file_cut_short_by_a_crash_loses_only_its_broken_line(tmp_path, caplog):
    sender = Sender("http://127.0.0.1:9", "job", "0", None, str(tmp_path), flush_interval=1e6)
    good = [json.dumps({"workerId": "0", "step": i}) for i in range(3)]
    with open(sender.spill_path, "w") as f:
        f.write(good[0] + "\n" + good[1] + "\n\n" + good[2] + "\n" + '{"workerId":"0","st')
    with caplog.at_level(logging.WARNING, logger="carbonstream"):
        assert sender._read_spill(sender.spill_path) == good
    assert "1 unreadable line" in caplog.text


def test_a_full_queue_spills_the_loops_reports_in_order(tmp_path):
    run = carbonstream.Tracker(url="http://127.0.0.1:9", job_id="full", datacenter="dc", register=False,
                               gpu_energy=None, cpu_energy=None, sync_cuda=False, spill_dir=str(tmp_path),
                               flush_interval=1e6, max_queue=3).start()
    for _ in range(5):
        with run.step(samples=2):
            pass
    assert [r[0] for r in run.sender.queue] == [0, 1, 2]
    with open(run.sender.spill_path) as f:
        assert [json.loads(line)["step"] for line in f] == [3, 4]
    assert run.sender.spilled == 2
    run.sender.queue.clear()

