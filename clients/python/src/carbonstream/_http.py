"""The HTTP calls to trainer-service: JSON in, JSON or problem+json out, standard library only."""
from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional, Tuple


class CarbonstreamError(Exception):
    """carbonstream refused a request (HTTP 4xx); ``problem`` holds its problem+json body."""

    def __init__(self, status: int, problem: Dict[str, Any]):
        detail = problem.get("detail") or problem.get("title") or problem
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.problem = problem


class Unavailable(Exception):
    """carbonstream could not be reached, or answered 5xx or 429: worth trying again later."""

    def __init__(self, reason: str, retry_after: Optional[float] = None):
        super().__init__(reason)
        self.retry_after = retry_after


def request(method: str, url: str, body: Any = None, token: Optional[str] = None,
            timeout: float = 10.0) -> Tuple[int, Any]:
    """One request. Returns (status, decoded JSON or None) for 2xx; raises CarbonstreamError for 4xx other
    than 429, and Unavailable for network errors, 429 and 5xx."""
    data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            raw = res.read()
            return res.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        status, raw, retry = e.code, e.read(), e.headers.get("Retry-After") if e.headers else None
    except (urllib.error.URLError, OSError) as e:
        raise Unavailable(f"{url}: {getattr(e, 'reason', e)}") from None
    return status, answer(status, raw, retry)  # raises: only a refusal gets here


def answer(status: int, raw: bytes, retry_after: Optional[str]) -> Any:
    """The decoded body of a 2xx answer; for any other, Unavailable (429, 5xx: worth trying later, after
    Retry-After when given) or CarbonstreamError (a refusal, with its problem+json)."""
    if 200 <= status < 300:
        return json.loads(raw) if raw else None
    try:
        problem = json.loads(raw) if raw else {}
    except ValueError:
        problem = {"detail": raw[:500].decode(errors="replace")}
    if not isinstance(problem, dict):
        problem = {"detail": str(problem)}
    if status == 429 or status >= 500:
        try:
            seconds = float(retry_after) if retry_after is not None else None
        except ValueError:
            seconds = None
        raise Unavailable(f"HTTP {status}: {problem.get('detail', '')}", seconds)
    raise CarbonstreamError(status, problem)


def bad_indices(problem: Dict[str, Any], size: int) -> List[int]:
    """The indices of the reports a 400 names (violations with fields such as ``[3].endedAt``)."""
    out = set()
    for v in problem.get("violations") or []:
        field = str(v.get("field") or "")
        if field.startswith("[") and "]" in field:
            try:
                i = int(field[1:field.index("]")])
            except ValueError:
                continue
            if 0 <= i < size:
                out.add(i)
    return sorted(out)


class Connection:
    """One kept-alive HTTP/1.1 connection to trainer-service for the sender thread: no new TCP connection and none
    of urllib's per-request machinery for each array of reports. Reconnects after any failure."""

    def __init__(self, base: str, timeout: float = 10.0):
        u = urllib.parse.urlsplit(base)
        self.https = u.scheme == "https"
        self.host = u.hostname or "127.0.0.1"
        self.port = u.port or (443 if self.https else 80)
        self.prefix = u.path.rstrip("/")
        self.timeout = timeout
        self._conn: Optional[http.client.HTTPConnection] = None

    def post(self, path: str, body: Any, token: Optional[str]) -> Any:
        """``body`` is JSON-encoded here, unless it is bytes already."""
        data = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        for attempt in (0, 1):
            try:
                if self._conn is None:
                    cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
                    self._conn = cls(self.host, self.port, timeout=self.timeout)
                self._conn.request("POST", self.prefix + path, body=data, headers=headers)
                res = self._conn.getresponse()
                raw = res.read()
                status, retry = res.status, res.getheader("Retry-After")
                if res.getheader("Connection", "").lower() == "close":
                    self.close()
                break
            except (http.client.HTTPException, OSError) as e:
                self.close()
                if attempt == 1:
                    raise Unavailable(f"{self.host}:{self.port}: {e}") from None
        return answer(status, raw, retry)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
