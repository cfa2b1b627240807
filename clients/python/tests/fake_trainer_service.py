"""A stand-in for trainer-service's two endpoints the client calls, for unit tests of the client's own logic
(retries, spill, refusals). The real service is exercised by e2e-tests' PythonClientIT."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeTrainerService:
    def __init__(self):
        self.jobs = {}
        self.batches = []          # every accepted report, as received
        self.requests = []         # (path, number of reports)
        self.status = 202          # answer to batch posts: 202, 503, 429, 401
        self.refuse_step = None    # a step whose report is refused with a 400 naming it
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
                if self.path == "/jobs":
                    if body["id"] in outer.jobs:
                        return self.answer(409, {"title": "Conflict", "detail": "exists"})
                    outer.jobs[body["id"]] = dict(body, state="RUNNING")
                    return self.answer(201, body)
                if self.path.endswith("/finish"):
                    outer.jobs[self.path.split("/")[2]]["state"] = body["state"]
                    return self.answer(200, {})
                reports = body if isinstance(body, list) else [body]
                outer.requests.append((self.path, len(reports)))
                if outer.status != 202:
                    headers = {"Retry-After": "0.1"} if outer.status == 429 else {}
                    return self.answer(outer.status, {"title": "unavailable", "detail": "try later"}, headers)
                bad = [{"field": f"[{i}].step", "message": "refused by the test"}
                       for i, r in enumerate(reports) if r["step"] == outer.refuse_step]
                if bad:
                    return self.answer(400, {"title": "Invalid request", "detail": bad[0]["field"], "violations": bad})
                outer.batches.extend(reports)
                self.answer(202, {"accepted": len(reports)})

            def answer(self, status, body, headers=None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if status < 400 else "application/problem+json")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def steps(self):
        return sorted(r["step"] for r in self.batches)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
