"""The HTTP calls to trainer-service: JSON in, JSON or problem+json out, standard library only."""
from __future__ import annotations

import json
import urllib.error
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
        raw = e.read()
        try:
            problem = json.loads(raw) if raw else {}
        except ValueError:
            problem = {"detail": raw[:500].decode(errors="replace")}
        if e.code == 429 or e.code >= 500:
            retry = e.headers.get("Retry-After") if e.headers else None
            try:
                seconds = float(retry) if retry is not None else None
            except ValueError:
                seconds = None
            raise Unavailable(f"HTTP {e.code}: {problem.get('detail', '')}", seconds) from None
        raise CarbonstreamError(e.code, problem if isinstance(problem, dict) else {"detail": str(problem)}) from None
    except (urllib.error.URLError, OSError) as e:
        raise Unavailable(f"{url}: {getattr(e, 'reason', e)}") from None


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
