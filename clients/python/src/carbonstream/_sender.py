"""Reports leave the training thread through a bounded queue; a daemon thread sends them in arrays.

The training thread only appends a tuple to a deque: it never waits on the network, and wakes no thread. When the
queue is full, or carbonstream cannot be reached, reports go to a spill file (JSON lines, one per report) in
``spill_dir``; the sender sends spilled reports once carbonstream answers again, in this process or in the next
one for the same job and worker. Each report keeps its identity (carbonstream derives it from job, worker, phase
and step), so a report sent twice is counted once.
"""
from __future__ import annotations

import json
import logging
import os
import collections
import threading
import time
from typing import Any, Callable, Dict, List, Optional

from ._http import CarbonstreamError, Connection, Unavailable, bad_indices

log = logging.getLogger("carbonstream")

MAX_PER_REQUEST = 1000
# the sender prepares reports in chunks of this many and yields the GIL between them, so that the training thread
# waits at most for one chunk's work (well under a millisecond), never for a whole request's
CHUNK = 100


def encode(reports: List[str]) -> bytes:
    """A JSON array of reports, each the JSON text of one (what ``prepare`` makes)."""
    return ("[" + ",".join(reports) + "]").encode()


class Sender:
    def __init__(self, url: str, job_id: str, worker_id: str, token: Optional[str], spill_dir: str,
                 max_queue: int = 100_000, flush_interval: float = 1.0, timeout: float = 10.0,
                 max_backoff: float = 30.0, on_rejected: Optional[Callable[[CarbonstreamError, List[str]], None]] = None,
                 prepare: Optional[Callable[[Any], str]] = None):
        self.url = url.rstrip("/")
        self.job_id = job_id
        self.worker_id = worker_id
        self.token = token
        self.timeout = timeout
        self.flush_interval = flush_interval
        self.max_backoff = max_backoff
        self.on_rejected = on_rejected
        # a deque, not a queue.Queue: appending wakes no thread, so a step costs the loop no thread switch; the
        # sender looks every flush_interval (at once while someone waits in flush())
        # the tracker's steps append to it directly while it holds fewer than max_queue (submit without the call)
        self.queue: "collections.deque[tuple]" = collections.deque()
        self.max_queue = max_queue
        # what the training thread queued, made the JSON text of a report on this thread (ISO instants, say)
        self.prepare: Callable[[Any], str] = prepare or (lambda r: json.dumps(r, separators=(",", ":")))
        self._connection = Connection(self.url, timeout)
        os.makedirs(spill_dir, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in f"{job_id}-{worker_id}")
        self.spill_path = os.path.join(spill_dir, safe + ".jsonl")
        self._spill_lock = threading.Lock()
        self._stop = threading.Event()
        self._flush_now = threading.Event()  # set while someone waits in flush(): send without lingering
        self._pending = 0  # reports taken from the queue, not yet sent or spilled
        self.sent = 0
        self.spilled = 0
        self.rejected = 0
        self._warned_unavailable = False
        self._warned_unready = set()
        self._thread = threading.Thread(target=self._run, name="carbonstream-sender", daemon=True)
        self._thread.start()

    # --- the training thread's side -------------------------------------------------------------------------

    def submit(self, report: Any) -> None:
        """Never blocks and wakes no thread: queued (the sender looks every flush_interval), or spilled when the
        queue is full."""
        if len(self.queue) < self.max_queue:
            self.queue.append(report)
        else:
            text = self._ready(report)
            if text is not None:
                self._spill([text])

    def flush(self, timeout: float = 30.0) -> bool:
        """Waits until everything submitted so far is sent (or spilled); True when it all went."""
        deadline = time.monotonic() + timeout
        self._flush_now.set()
        try:
            while time.monotonic() < deadline:
                if not self.queue and self._pending == 0 and not self._spill_waiting():
                    return True
                time.sleep(0.02)
            return False
        finally:
            self._flush_now.clear()

    def close(self, timeout: float = 30.0) -> None:
        """Sends what it can within ``timeout``, spills the rest, and stops the thread."""
        self.flush(timeout)
        self._stop.set()
        self._thread.join(timeout=max(1.0, self.timeout + 1))
        rest = []
        while self.queue:
            text = self._ready(self.queue.popleft())
            if text is not None:
                rest.append(text)
        if rest:
            self._spill(rest)

    # --- the sender thread ----------------------------------------------------------------------------------

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            batch = self._take()
            try:
                if batch:
                    self._send(batch)
                self._drain_spill()
                backoff = 0.5
                if self._warned_unavailable:
                    log.info("carbonstream is reachable again: spilled reports are being sent")
                    self._warned_unavailable = False
            except Unavailable as e:
                if batch:
                    self._spill(batch)
                self._spill_queue()
                if not self._warned_unavailable:
                    log.warning("carbonstream unavailable (%s): reports are kept in %s and sent when it is back",
                                e, self.spill_path)
                    self._warned_unavailable = True
                wait = e.retry_after if e.retry_after is not None else backoff
                backoff = min(backoff * 2, self.max_backoff)
                self._stop.wait(wait)
            finally:
                self._pending = 0

    def _take(self) -> List[str]:
        """The reports of one request: what the loop queued in the last ``flush_interval`` (at most 1000), so that
        a loop of any speed costs one request a second."""
        if not self.queue and self._flush_now.is_set():
            self._stop.wait(0.01)  # someone waits in flush() for the spill file or the last request: don't spin
        elif not self.queue or (len(self.queue) < MAX_PER_REQUEST and not self._flush_now.is_set()):
            self._flush_now.wait(self.flush_interval)
        return self._pop_reports(min(len(self.queue), MAX_PER_REQUEST))

    def _spill_queue(self) -> None:
        """Moves everything queued to the spill file while carbonstream is away, one fsync for all of it: the queue
        then never fills in an outage (the sender sends at most 1000 a request, and waits up to max_backoff between
        tries), so the loop never has to spill its own reports."""
        texts = self._pop_reports(len(self.queue))
        if texts:
            self._spill(texts)

    def _pop_reports(self, n: int) -> List[str]:
        """The texts of the first n queued steps, taken off the queue. Only this thread takes from the deque, so n
        are there; they count as pending before they leave it, so that flush() never sees them nowhere."""
        self._pending = n
        texts = []
        for i in range(n):
            text = self._ready(self.queue.popleft())
            if text is not None:
                texts.append(text)
            if i % CHUNK == CHUNK - 1:
                time.sleep(0)  # let the training thread have the GIL: it never waits long for this one
        return texts

    def _ready(self, item: Any) -> Optional[str]:
        """A queued step made a report's text; None, logged once for each kind of fault, for a step whose values
        cannot make one (samples=None, say): it is dropped, and the sender goes on with the others."""
        try:
            return self.prepare(item)
        except (TypeError, ValueError, OverflowError) as e:
            self.rejected += 1
            key = (type(e), str(e))
            if key not in self._warned_unready:
                self._warned_unready.add(key)
                log.warning("carbonstream dropped a step of job %s it cannot report (%s: %s); reports with the same "
                            "fault are dropped without another message", self.job_id, type(e).__name__, e)
            return None

    def _send(self, reports: List[str]) -> None:
        """Sends reports; a 4xx is surfaced once and the reports it names are dropped, the rest sent."""
        while reports:
            try:
                self._connection.post(f"/jobs/{self.job_id}/batches", encode(reports), self.token)
                self.sent += len(reports)
                return
            except CarbonstreamError as e:
                bad = bad_indices(e.problem, len(reports)) if e.status == 400 else []
                if e.status == 400 and bad and len(bad) < len(reports):
                    self._reject(e, [reports[i] for i in bad])
                    reports = [r for i, r in enumerate(reports) if i not in set(bad)]
                    continue
                if e.status in (401, 403):
                    # the token is missing, expired or lacks the trainer role: the caller keeps the reports (spilled)
                    # for a process with a good token
                    self._reject(e, [])
                    raise Unavailable(str(e), 30.0) from None
                self._reject(e, reports)
                return

    def _reject(self, e: CarbonstreamError, reports: List[str]) -> None:
        self.rejected += len(reports)
        if self.on_rejected:
            self.on_rejected(e, reports)

    # --- the spill file -------------------------------------------------------------------------------------

    def _spill(self, reports: List[str]) -> None:
        with self._spill_lock:
            self._append(reports)
        self.spilled += len(reports)

    def _append(self, reports: List[str]) -> None:
        """Appends reports to the spill file, on disk before it returns. The caller holds the spill lock."""
        with open(self.spill_path, "a", encoding="utf-8") as f:
            for r in reports:
                f.write(r + "\n")
            f.flush()
            os.fsync(f.fileno())

    def _spill_waiting(self) -> bool:
        try:
            return os.path.getsize(self.spill_path) > 0
        except OSError:
            return False

    def _drain_spill(self) -> None:
        """Sends the spill file's reports (this run's and earlier runs'), then empties it."""
        if not self._spill_waiting():
            return
        with self._spill_lock:
            sending = self.spill_path + ".sending"
            if not os.path.exists(sending):
                os.replace(self.spill_path, sending)
        reports = self._read_spill(sending)
        for i in range(0, len(reports), MAX_PER_REQUEST):
            try:
                self._send(reports[i:i + MAX_PER_REQUEST])
            except Unavailable:
                # keep what was not sent: the reports sent already are counted once if sent again
                with self._spill_lock:
                    self._append(reports[i:])  # on disk before the file it came from goes
                    os.remove(sending)
                raise
        os.remove(sending)

    def _read_spill(self, path: str) -> List[str]:
        """The reports of a spill file. A line that is not a JSON object (the end of a file a crash cut short) is
        dropped with a warning rather than sent: it would have carbonstream refuse the whole array."""
        reports, broken = [], 0
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    if isinstance(json.loads(line), dict):
                        reports.append(line)
                        continue
                except ValueError:
                    pass
                broken += 1
        if broken:
            log.warning("carbonstream: %d unreadable line(s) in %s dropped (a report being written when the process "
                        "stopped?)", broken, path)
        return reports
