#!/usr/bin/env python3
"""Smoke test of replay_server.py on its own (standard library only, no C++ build needed).

Starts the server on the generic fixture, exercises routes, every fault kind, the control API,
TLS (when the openssl CLI is present) and both ways of stopping it. Exits 0 when all checks pass.
Run: python3 tests/connectors/replay/smoke_test.py
"""

import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "replay_server.py")
ROOT = os.path.join(HERE, "..", "data", "api", "_generic")
FAILURES = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        FAILURES.append(what)


def start(*extra):
    process = subprocess.Popen([sys.executable, SERVER, "--root", ROOT, "--port", "0", *extra],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("LISTENING "), f"unexpected first line {line!r}"
    return process, int(line.split()[1])


def request(port, method, target, body=None, headers=None, context=None, timeout=5):
    if context is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    else:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)
    connection.request(method, target, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def control(port, method, name, document=None):
    body = json.dumps(document) if document is not None else None
    response, data = request(port, method, "/__control/" + name, body=body)
    assert response.status == 200, (name, response.status, data)
    return json.loads(data)


def plain_checks(port):
    response, data = request(port, "GET", "/v1/link/items?limit=2", headers={"Authorization": "SSWS secret-value"})
    links = response.headers.get_all("Link")
    check(response.status == 200 and len(json.loads(data)) == 2, "route serves page 1")
    check(len(links) == 2 and all(f"http://127.0.0.1:{port}/" in link for link in links), "two Link lines with {{BASE}} substituted")
    response, data = request(port, "GET", "/v1/link/items?after=link-2&limit=2")
    check(response.status == 200 and json.loads(data)[0]["id"] == "link-3", "query order does not matter")
    response, data = request(port, "GET", "/v1/link/items?limit=2&extra=1")
    check(response.status == 404 and b"no route" in data, "an extra query parameter does not match (404 names the request)")

    # Keep-alive: two requests on one connection.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for _ in range(2):
        connection.request("GET", "/v1/single/items")
        response = connection.getresponse()
        response.read()
    check(response.status == 200 and not response.will_close, "keep-alive: two requests on one connection")
    connection.close()

    control(port, "POST", "faults", {"faults": [
        {"path": "/v1/single/items", "times": 1, "action": {"status": 429, "headers": {"Retry-After": "7"}, "body": {"errorSummary": "slow down"}}},
        {"path": "/v1/pages/items/0", "times": 1, "action": {"body": "{not json"}},
        {"path": "/v1/pages/items/1", "times": 1, "action": {"truncate": True}},
        {"path": "/v1/pages/items/2", "times": 1, "action": {"redirect": "{{BASE}}/v1/moved/items"}},
        {"path": "/v1/url/items", "query": "*", "times": -1, "action": {"delay_seconds": 0.3}},
    ]})
    response, data = request(port, "GET", "/v1/single/items")
    check(response.status == 429 and response.headers["Retry-After"] == "7", "fault: 429 with Retry-After")
    response, data = request(port, "GET", "/v1/single/items")
    check(response.status == 200, "fault used up after `times`")
    response, data = request(port, "GET", "/v1/pages/items/0")
    check(response.status == 200 and data == b"{not json", "fault: body replaced")
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET /v1/pages/items/1 HTTP/1.1\r\nHost: x\r\n\r\n")
    raw = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        raw += chunk
    sock.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    length = int([line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")][0])
    check(0 < len(body) < length, f"fault: truncated body ({len(body)} of {length} bytes, then close)")
    response, data = request(port, "GET", "/v1/pages/items/2")
    check(response.status == 302 and response.headers["Location"] == f"http://127.0.0.1:{port}/v1/moved/items", "fault: redirect")
    started = time.monotonic()
    response, data = request(port, "GET", "/v1/url/items")
    check(response.status == 200 and time.monotonic() - started >= 0.3, "fault: delay, then the normal answer")

    # A hung request must not hold up others.
    control(port, "POST", "faults", {"faults": [{"path": "/v1/single/items", "times": 1, "action": {"hang_seconds": 3}}]})
    hung = {}

    def hang():
        try:
            request(port, "GET", "/v1/single/items", timeout=1)
            hung["outcome"] = "answered"
        except (socket.timeout, TimeoutError):
            hung["outcome"] = "timeout"
    thread = threading.Thread(target=hang)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    response, _ = request(port, "GET", "/v1/token/items?page_size=2")
    check(response.status == 200 and time.monotonic() - started < 0.5, "other requests are served while one hangs")
    thread.join()
    check(hung.get("outcome") == "timeout", "fault: hang sends nothing")

    log = control(port, "GET", "requests")["requests"]
    check(log[0]["headers"].get("authorization") == "SSWS secret-value" and log[0]["query"] == {"limit": "2"},
          "request log keeps method, path, query and headers")
    check(all(not entry["path"].startswith("/__control") for entry in log), "control requests are not logged")
    control(port, "POST", "reset")
    check(control(port, "GET", "requests")["requests"] == [], "reset clears the log")
    response, _ = request(port, "GET", "/v1/single/items")
    check(response.status == 200, "reset clears faults")


def tls_checks(folder):
    if shutil.which("openssl") is None:
        print("skip TLS checks: no openssl CLI")
        return
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    process, port = start("--tls-cert", cert, "--tls-key", key)
    try:
        try:
            request(port, "GET", "/v1/single/items", context=ssl.create_default_context())
            check(False, "TLS: self-signed certificate rejected by a default client")
        except ssl.SSLError:
            check(True, "TLS: self-signed certificate rejected by a default client")
        response, data = request(port, "GET", "/v1/single/items", context=ssl.create_default_context(cafile=cert))
        check(response.status == 200, "TLS: accepted with the certificate as CA")
        response, data = request(port, "GET", "/v1/link/items?limit=2", context=ssl.create_default_context(cafile=cert))
        check(f"https://127.0.0.1:{port}/" in response.headers["Link"], "TLS: {{BASE}} is https")
    finally:
        process.terminate()
        process.wait(5)


def multi_root_checks(folder):
    extra = os.path.join(folder, "extra")
    os.makedirs(os.path.join(extra, "pages"))
    with open(os.path.join(extra, "pages", "one.json"), "w", encoding="utf-8") as handle:
        handle.write('{"next": "{{BASE}}/extra?page=2"}')
    with open(os.path.join(extra, "routes.json"), "w", encoding="utf-8") as handle:
        json.dump({"routes": [{"path": "/extra", "query": "*", "body_file": "pages/one.json"}]}, handle)
    process, port = start("--root", extra)
    try:
        response, data = request(port, "GET", "/extra?page=1")
        check(response.status == 200 and json.loads(data)["next"] == f"http://127.0.0.1:{port}/extra?page=2",
              "second --root: body file relative to its own routes.json, \"query\": \"*\"")
        response, _ = request(port, "GET", "/v1/single/items")
        check(response.status == 200, "first --root still served")
    finally:
        process.terminate()
        process.wait(5)


def main():
    with tempfile.TemporaryDirectory() as folder:
        multi_root_checks(folder)
        log = os.path.join(folder, "server.log")
        process, port = start("--log", log)
        try:
            plain_checks(port)
        finally:
            process.stdin.close()  # stdin EOF stops the server
            try:
                process.wait(5)
                check(True, "exits when stdin closes")
            except subprocess.TimeoutExpired:
                process.kill()
                check(False, "exits when stdin closes")
        with open(log, encoding="utf-8") as handle:
            text = handle.read()
        check("GET /v1/single/items -> 429 (fault)" in text and "secret-value" not in text, "log names requests, never headers")
        process, port = start()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(5)
            check(True, "exits on SIGTERM")
        except subprocess.TimeoutExpired:
            process.kill()
            check(False, "exits on SIGTERM")
        tls_checks(folder)
    print(f"{len(FAILURES)} failed" if FAILURES else "all checks passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
