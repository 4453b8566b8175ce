#!/usr/bin/env python3
"""Loopback replay server for stackaudit's live-connector tests.

Serves recorded vendor pages described by routes.json files, injects faults on request
(rate limits, server errors, hung or truncated responses, broken JSON, redirects) and records
every request so tests can assert what the client sent. Standard library only; binds
127.0.0.1 only. Prints `LISTENING <port>` on stdout once bound, then nothing else on stdout.
Exits on SIGTERM/SIGINT or when stdin reaches end of file, so a crashed test never leaves it
running. See docs/connectors/testing.md.
"""

import argparse
import gzip
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BASE_MARKER = "{{BASE}}"
CONTROL_PREFIX = "/__control/"
# Query parameters whose values never reach the log (credentials sent in URLs by some APIs).
SECRET_PARAMS = {"access_token", "api_key", "apikey", "client_secret", "code", "key", "password",
                 "secret", "sig", "signature", "token"}


class ConfigError(Exception):
    pass


def parse_query(raw):
    """Query string -> {name: value} with a list value only for repeated names."""
    parsed = parse_qs(raw, keep_blank_values=True)
    return {name: values[0] if len(values) == 1 else values for name, values in parsed.items()}


def query_matches(expected, actual):
    """`expected` is "*" (any query) or the exact set of parameters (order-independent)."""
    if expected == "*":
        return True
    if not isinstance(expected, dict):
        return False
    normalized = {name: value if isinstance(value, list) else str(value) for name, value in expected.items()}
    if len(normalized) != len(actual):
        return False
    for name, value in normalized.items():
        got = actual.get(name)
        if isinstance(value, list) or isinstance(got, list):
            if sorted(value if isinstance(value, list) else [value]) != sorted(got if isinstance(got, list) else [got]):
                return False
        elif got != value:
            return False
    return True


def header_lines(headers):
    """{"Name": "v" or ["v1", "v2"]} -> [(name, value), ...] keeping several lines per name."""
    lines = []
    for name, value in (headers or {}).items():
        for item in value if isinstance(value, list) else [value]:
            lines.append((str(name), str(item)))
    return lines


def body_bytes(value):
    """A body given inline: a string as is, anything else as JSON."""
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")


class Route:
    def __init__(self, spec, folder, source):
        if not isinstance(spec, dict) or "path" not in spec:
            raise ConfigError(f"{source}: every route needs a \"path\"")
        self.method = str(spec.get("method", "GET")).upper()
        self.path = spec["path"]
        self.query = spec.get("query", {})
        self.status = int(spec.get("status", 200))
        self.headers = spec.get("headers", {})
        self.gzip = bool(spec.get("gzip", False))
        self.source = source
        if "body_file" in spec:
            self.body_path = os.path.join(folder, spec["body_file"])
            if not os.path.isfile(self.body_path):
                raise ConfigError(f"{source}: body_file {spec['body_file']} not found (looked at {self.body_path})")
            self.inline_body = None
        else:
            self.body_path = None
            self.inline_body = body_bytes(spec.get("body"))

    def matches(self, method, path, query):
        return self.method == method and self.path == path and query_matches(self.query, query)

    def body(self):
        if self.body_path is None:
            return self.inline_body
        with open(self.body_path, "rb") as handle:  # read per request: fixtures may be edited while serving
            return handle.read()

    def default_content_type(self):
        if self.body_path is not None:
            return "application/json" if self.body_path.endswith(".json") else "text/csv" if self.body_path.endswith(".csv") else "application/octet-stream"
        return "application/json"


def load_routes(roots):
    routes = []
    for root in roots:
        file = root if os.path.isfile(root) else os.path.join(root, "routes.json")
        try:
            with open(file, "r", encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as error:
            raise ConfigError(f"cannot load {file}: {error}") from error
        entries = document.get("routes") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise ConfigError(f"{file}: expected {{\"routes\": [...]}}")
        folder = os.path.dirname(os.path.abspath(file))
        for index, entry in enumerate(entries):
            routes.append(Route(entry, folder, f"{file} route {index}"))
    return routes


class State:
    """Faults and the request log, shared by all connection threads."""

    def __init__(self, routes, log_file):
        self.routes = routes
        self.lock = threading.Lock()
        self.faults = []
        self.requests = []
        self.log_file = log_file
        self.stopping = threading.Event()
        self.base = ""

    def take_fault(self, method, path, query):
        with self.lock:
            for fault in self.faults:
                if fault["times"] == 0:
                    continue
                if fault.get("method") not in (None, method):
                    continue
                if fault.get("path", "*") not in ("*", path):
                    continue
                if not query_matches(fault.get("query", "*"), query):
                    continue
                if fault["times"] > 0:
                    fault["times"] -= 1
                return fault["action"]
        return None

    def set_faults(self, faults, append):
        checked = []
        for fault in faults:
            if not isinstance(fault, dict) or not isinstance(fault.get("action"), dict):
                raise ConfigError("each fault needs an \"action\" object")
            entry = dict(fault)
            entry["times"] = int(fault.get("times", 1))
            if "method" in entry:
                entry["method"] = str(entry["method"]).upper()
            checked.append(entry)
        with self.lock:
            self.faults = (self.faults + checked) if append else checked

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)

    def log(self, line):
        if self.log_file is None:
            return
        with self.lock:
            self.log_file.write(line + "\n")
            self.log_file.flush()


def loggable_target(path, query):
    if not query:
        return path
    parts = []
    for name, value in sorted(query.items()):
        shown = "[REDACTED]" if name.lower() in SECRET_PARAMS else value
        parts.append(f"{name}={shown}")
    return path + "?" + "&".join(parts)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "stackaudit-replay/1"
    timeout = 60  # an idle keep-alive connection is dropped after this long
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls

    # Every method goes through one handler; routes decide what exists.
    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        pass  # our own log line per request replaces the default stderr line (which prints full URLs)

    @property
    def state(self):
        return self.server.state

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def handle_any(self):
        split = urlsplit(self.path)
        path, query = split.path, parse_query(split.query)
        body = self.read_body()
        if path.startswith(CONTROL_PREFIX):
            self.handle_control(path, body)
            return
        entry = {
            "method": self.command,
            "path": path,
            "query": query,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
            "outcome": "in progress",
        }
        # Recorded on arrival, so a test sees a request that is still hanging or delayed.
        self.state.record(entry)
        route = next((r for r in self.state.routes if r.matches(self.command, path, query)), None)
        action = self.state.take_fault(self.command, path, query)
        outcome = self.respond(route, action, entry)
        with self.state.lock:
            entry["outcome"] = outcome
        self.state.log(f"{self.command} {loggable_target(path, query)} -> {outcome}")

    def respond(self, route, action, entry):
        """Answers one request; returns a short description of what was done for the log."""
        action = action or {}
        note = " (fault)" if action else ""
        if "delay_seconds" in action:
            self.state.stopping.wait(float(action["delay_seconds"]))
        if "hang_seconds" in action:
            with self.state.lock:
                entry["outcome"] = "hanging (fault)"
            self.state.log(f"{self.command} {loggable_target(entry['path'], entry['query'])} -> hanging{note}")
            self.state.stopping.wait(float(action["hang_seconds"]))
            self.close_connection = True
            return "hung, closed without a response" + note
        if "redirect" in action:
            location = str(action["redirect"]).replace(BASE_MARKER, self.state.base)
            status = int(action.get("status", 302))
            self.send_full(status, [("Location", location), ("Content-Type", "text/plain")], b"")
            return f"{status} redirect to {location}{note}"
        if "status" in action:
            lines = [(n, v.replace(BASE_MARKER, self.state.base)) for n, v in header_lines(action.get("headers"))]
            if not any(n.lower() == "content-type" for n, _ in lines):
                lines.append(("Content-Type", "application/json"))
            self.send_full(int(action["status"]), lines, self.substitute(body_bytes(action.get("body"))))
            return f"{int(action['status'])}{note}"
        if route is None:
            problem = {"error": "no route matches this request", "method": entry["method"],
                       "path": entry["path"], "query": entry["query"],
                       "hint": "add a route to routes.json (method, exact path, exact query set)"}
            self.send_full(404, [("Content-Type", "application/json")], json.dumps(problem).encode("utf-8"))
            return "404 no route"
        lines = [(n, v.replace(BASE_MARKER, self.state.base)) for n, v in header_lines(route.headers)]
        override = [(n, v.replace(BASE_MARKER, self.state.base)) for n, v in header_lines(action.get("headers"))]
        if override:
            names = {n.lower() for n, _ in override}
            lines = [(n, v) for n, v in lines if n.lower() not in names] + override
        if not any(n.lower() == "content-type" for n, _ in lines):
            lines.append(("Content-Type", route.default_content_type()))
        payload = self.substitute(body_bytes(action["body"]) if "body" in action else route.body())
        if route.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            payload = gzip.compress(payload)
            lines.append(("Content-Encoding", "gzip"))
        if action.get("truncate"):
            self.send_full(route.status, lines, payload, truncate=True)
            return f"{route.status} truncated{note}"
        self.send_full(route.status, lines, payload)
        return f"{route.status}{note}"

    def substitute(self, payload):
        return payload.replace(BASE_MARKER.encode("ascii"), self.state.base.encode("ascii"))

    def send_full(self, status, lines, payload, truncate=False):
        self.send_response_only(status)
        self.send_header("Date", self.date_time_string())
        for name, value in lines:
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload[: len(payload) // 2] if truncate else payload)
        self.wfile.flush()
        if truncate:
            try:
                self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def handle_control(self, path, body):
        name = path[len(CONTROL_PREFIX):]
        try:
            if name == "faults" and self.command == "POST":
                document = json.loads(body or b"{}")
                faults = document.get("faults") if isinstance(document, dict) else None
                if not isinstance(faults, list):
                    raise ConfigError("expected {\"faults\": [...]}")
                self.state.set_faults(faults, bool(document.get("append", False)))
                self.send_json(200, {"ok": True, "faults": len(self.state.faults)})
            elif name == "requests" and self.command == "GET":
                with self.state.lock:
                    self.send_json(200, {"requests": list(self.state.requests)})
            elif name == "reset" and self.command == "POST":
                with self.state.lock:
                    self.state.faults = []
                    self.state.requests = []
                self.send_json(200, {"ok": True})
            else:
                self.send_json(404, {"error": f"unknown control endpoint {self.command} {path}",
                                     "hint": "POST /__control/faults, GET /__control/requests, POST /__control/reset"})
        except (ConfigError, ValueError, TypeError) as error:
            self.send_json(400, {"error": str(error)})

    def send_json(self, status, document):
        self.send_full(status, [("Content-Type", "application/json")], json.dumps(document).encode("utf-8"))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, port, state, tls_context):
        self.state = state
        self.tls_context = tls_context
        super().__init__(("127.0.0.1", port), Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, on the connection's own thread, so a client that stalls
        # or rejects the certificate never blocks the accept loop.
        if self.tls_context is not None:
            try:
                request.settimeout(10)
                request = self.tls_context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError) as error:
                self.state.log(f"TLS handshake failed: {getattr(error, 'reason', None) or error}")
                request.close()
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, ssl.SSLError)):
            return  # the client went away (it timed out or gave up on a hung response)
        self.state.log(f"internal error: {error!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", action="append", required=True,
                        help="folder holding routes.json (or a routes.json file); repeatable")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--tls-cert", help="PEM certificate chain: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--log", help="append one line per request to this file (no headers, no secrets)")
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    try:
        routes = load_routes(args.root)
    except ConfigError as error:
        print(f"replay_server: {error}", file=sys.stderr)
        return 2
    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    log_file = open(args.log, "a", encoding="utf-8") if args.log else None
    state = State(routes, log_file)
    server = Server(args.port, state, tls_context)
    port = server.server_address[1]
    state.base = f"{'https' if tls_context else 'http'}://127.0.0.1:{port}"

    stop = state.stopping
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    state.log(f"listening on {state.base} with {len(routes)} routes")
    print(f"LISTENING {port}", flush=True)
    while not stop.wait(0.5):
        pass
    state.log("stopped")
    if log_file is not None:
        log_file.close()
    sys.stdout.flush()
    # The kernel closes the sockets; waiting for serve_forever's poll or for connection threads
    # still sleeping in a hang would only slow every test down.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
