"""The client's own logic against a stand-in service: nothing waits, nothing is lost, refusals are surfaced."""
import logging
import time

import pytest

import carbonstream
from fake_trainer_service import FakeTrainerService


@pytest.fixture
def service():
    s = FakeTrainerService()
    yield s
    s.stop()


def duration(report):
    """A report's length in seconds, from its ISO-8601 instants."""
    from datetime import datetime
    return (datetime.fromisoformat(report["endedAt"].replace("Z", "+00:00"))
            - datetime.fromisoformat(report["startedAt"].replace("Z", "+00:00"))).total_seconds()


def tracker(service, tmp_path, **kw):
    return carbonstream.Tracker(url=service.url, token="t", job_id="job-1", name="unit", datacenter="dc",
                                spill_dir=str(tmp_path), gpu_energy=None, flush_interval=0.05, exit_timeout=5, **kw)


def test_every_step_is_sent_once_in_arrays_and_the_job_finished(service, tmp_path):
    with tracker(service, tmp_path) as run:
        for _ in range(2500):
            with run.step(samples=32, tokens=64):
                pass
    assert service.steps() == list(range(2500))
    assert all(n <= 1000 for _, n in service.requests), "arrays of at most 1000"
    assert len(service.requests) < 2500 / 10, "sent in arrays, not one by one"
    assert service.jobs["job-1"]["state"] == "FINISHED"
    assert service.jobs["job-1"]["datacenter"] == "dc"


def test_an_exception_marks_the_job_failed_and_is_raised(service, tmp_path):
    with pytest.raises(ZeroDivisionError):
        with tracker(service, tmp_path) as run:
            with run.step(samples=1):
                pass
            1 / 0
    assert service.jobs["job-1"]["state"] == "FAILED"
    assert service.steps() == [0]


def test_the_training_thread_never_waits_on_the_network(service, tmp_path):
    service.status = 503
    run = tracker(service, tmp_path).start()
    worst = 0.0
    for _ in range(200):
        run.begin_step()
        t = time.perf_counter()
        run.end_step(samples=1)
        worst = max(worst, time.perf_counter() - t)
    assert worst < 0.01, f"end_step took {worst * 1000:.1f} ms while the service was down"
    run.close()


def test_an_outage_loses_nothing_and_spilled_reports_are_sent_by_the_next_process(service, tmp_path):
    service.status = 503
    first = tracker(service, tmp_path).start()
    for _ in range(50):
        with first.step(samples=1):
            pass
    first.close()                      # the process exits while carbonstream is down
    assert service.batches == []
    assert first.sender.spilled >= 50
    service.status = 202
    second = tracker(service, tmp_path, register=False).start()   # a restarted process, same job and worker
    for s in range(50, 60):
        with second.step(samples=1, step=s):
            pass
    assert second.flush(10)
    second.close()
    assert sorted(set(service.steps())) == list(range(60)), "every step arrives"


def test_in_an_outage_the_sender_moves_the_whole_queue_to_disk_at_once(service, tmp_path):
    # more than one request's worth waits when carbonstream turns out to be away: all of it goes to the spill file
    # at the first failure, so the queue does not fill while the sender backs off and the loop never spills itself
    service.status = 503
    run = carbonstream.Tracker(url=service.url, token="t", job_id="job-1", name="unit", datacenter="dc", gpu_energy=None,
                               spill_dir=str(tmp_path), flush_interval=1e6, exit_timeout=5).start()  # waits for flush()
    for _ in range(3000):
        with run.step(samples=1):
            pass
    run.sender.flush(0.2)
    deadline = time.monotonic() + 10
    while run.sender.spilled < 3000 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert run.sender.spilled == 3000
    assert len(service.requests) == 1, "one failed request, not one per thousand reports"
    assert len(run.sender.queue) == 0
    service.status = 202
    assert run.sender.flush(10)
    run.close()
    assert service.steps() == list(range(3000)), "every step arrives once"


def test_a_rate_limited_request_is_sent_again_after_retry_after(service, tmp_path):
    service.status = 429
    run = tracker(service, tmp_path).start()
    with run.step(samples=1):
        pass
    time.sleep(0.3)
    service.status = 202
    assert run.flush(10)
    run.close()
    assert service.steps() == [0]


def test_a_bad_report_is_surfaced_once_and_the_others_are_sent(service, tmp_path, caplog):
    service.refuse_step = 3
    caplog.set_level(logging.WARNING, logger="carbonstream")
    run = tracker(service, tmp_path).start()
    for _ in range(10):
        with run.step(samples=1):
            pass
    assert run.flush(10)
    run.close()
    assert service.steps() == [0, 1, 2, 4, 5, 6, 7, 8, 9]
    assert len(run.rejections) == 1
    assert sum("refused reports" in r.message for r in caplog.records) == 1


def test_measured_gpu_energy_is_reported_as_the_steps_average_power(service, tmp_path):
    class Counter:
        def __init__(self):
            self.j = 1000.0

        def joules(self):
            return self.j

    gpu = Counter()
    run = carbonstream.Tracker(url=service.url, job_id="job-1", name="unit", datacenter="dc", spill_dir=str(tmp_path),
                               gpu_energy=gpu, flush_interval=0.05).start()
    run.begin_step()
    time.sleep(0.05)
    gpu.j += 12.5
    run.end_step(samples=8)
    assert run.flush(10)
    run.close()
    (report,) = service.batches
    seconds = duration(report)
    assert report["powerSource"] == "NVML"
    assert abs(report["measuredPowerWatts"] * seconds - 12.5) < 1e-9


def test_measured_cpu_energy_is_reported_as_the_steps_average_cpu_power(service, tmp_path):
    class Rapl:
        j = 50.0

        def joules(self):
            return self.j

    rapl = Rapl()
    run = carbonstream.Tracker(url=service.url, job_id="job-1", name="unit", datacenter="dc", spill_dir=str(tmp_path),
                               gpu_energy=None, cpu_energy=rapl, flush_interval=0.05).start()
    run.begin_step()
    time.sleep(0.05)
    rapl.j += 3.0
    run.end_step(samples=8)
    assert run.flush(10)
    run.close()
    (report,) = service.batches
    seconds = duration(report)
    assert abs(report["measuredCpuWatts"] * seconds - 3.0) < 1e-9
    assert "measuredPowerWatts" not in report


def test_the_worker_is_the_rank_the_launcher_gives(monkeypatch, service, tmp_path):
    monkeypatch.setenv("RANK", "3")
    monkeypatch.setenv("LOCAL_RANK", "1")
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("CARBONSTREAM_JOB_ID", "shared")
    run = carbonstream.Tracker(url=service.url, datacenter="dc", spill_dir=str(tmp_path), gpu_energy=None)
    assert (run.rank, run.local_rank, run.world_size, run.worker_id, run.job_id) == (3, 1, 4, "3", "shared")
    assert run.job["workers"] == 4


def test_the_plain_function_api(service, tmp_path):
    carbonstream.init(url=service.url, job_id="job-1", name="unit", datacenter="dc", spill_dir=str(tmp_path),
                      gpu_energy=None, flush_interval=0.05)
    for _ in range(3):
        carbonstream.begin_step()
        carbonstream.end_step(samples=4)
    with carbonstream.step(samples=4):
        pass
    carbonstream.finish()
    assert service.steps() == [0, 1, 2, 3]
    assert service.jobs["job-1"]["state"] == "FINISHED"



def test_a_step_whose_values_make_no_report_is_dropped_once_and_the_sender_goes_on(service, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="carbonstream"):
        with tracker(service, tmp_path) as run:
            for i in range(6):
                with run.step(samples=None if i in (1, 3) else 8, flops=object() if i == 4 else None):
                    pass
    assert service.steps() == [0, 2, 5], "the others are sent: the sender thread is still running"
    assert run.sender.rejected == 3
    assert caplog.text.count("cannot report (TypeError") == 2, "once for samples=None, once for the flops"
    assert service.jobs["job-1"]["state"] == "FINISHED"
