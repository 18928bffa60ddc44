"""The HTTPS server: stdlib ThreadingHTTPServer + ssl on 127.0.0.1 only, and the in-process API.

Request pipeline (LocalStack-like ordered steps, https://docs.localstack.cloud/references/architecture/): request id -> admin routes
(no faults, not journaled) -> fault latency -> subscription throttling (throttle.py) -> fault rules
(drop before commit, injected status) -> routing
(open identity routes, then bearer auth, lazy operation completion, ARM routes) -> drop after commit
-> ARM headers -> journal.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from aksnet.emulator.arm import errors
from aksnet.emulator.arm import urls as routes
from aksnet.emulator.arm.cascade import delete_group_contents
from aksnet.emulator.arm.contract import ArmError, Settings
from aksnet.emulator.arm.http import Request, Response, error_response
from aksnet.emulator.arm.registry import view
from aksnet.emulator.arm.store import Store
from aksnet.emulator.arm.verbs import Ctx
from aksnet.emulator.control import api as control
from aksnet.emulator.control import config, faults, journal, throttle
from aksnet.emulator.identity import routes as identity_routes
from aksnet.emulator.identity import tokens
from aksnet.emulator.identity.certs import ensure_certs

log = logging.getLogger("aksnet.emulator")
HOST = "127.0.0.1"  # loopback only: the admin API has no authentication
DB_FILE = "emulator.db"
MAX_REQUEST_BYTES = 4 * 1024 * 1024  # the emulator's own guard (see errors.request_entity_too_large)
# Identity in front of the ARM routes: open discovery/token routes, the bearer check, the directory.
FRONT = routes.Front(identity_routes.OPEN_ROUTES, tokens.authenticate, identity_routes.ROUTES)


class EmulatorApp:
    """Turns a Request into a Response; no sockets."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def handle(self, request: Request) -> Response:
        started = time.monotonic()
        request_id = str(uuid.uuid4())
        if request.path.lower().startswith("/_emulator/"):
            return self._guard(lambda: control.handle(self.store, self.settings, request))
        effect = faults.take(self.store, request.method, request.path)
        if effect.latency_ms:
            time.sleep(effect.latency_ms / 1000)
        budget = throttle.take(self.store, request.method, request.path)
        if budget is not None and budget.retry_after is not None:
            response = error_response(throttle.throttled(budget, request.path))  # ARM refuses before any RP
        elif effect.drop == "before_commit":
            response = Response(0, drop=True)
        elif effect.status_rule is not None:
            rule = effect.status_rule
            err = ArmError(rule.status or 500, rule.error_code, rule.message or "Injected fault.", retry_after=rule.retry_after)
            response = error_response(err)
        else:
            settings = config.effective(self.store, self.settings)
            response = self._guard(lambda: routes.dispatch(Ctx(self.store, settings, request, effect), FRONT))
            if effect.drop == "after_commit":
                response = Response(0, drop=True)
        if budget is not None:
            response.headers[budget.header] = str(budget.remaining)
        response.headers["x-ms-request-id"] = request_id
        response.headers["x-ms-correlation-request-id"] = request.header("x-ms-correlation-request-id") or request_id
        response.headers["x-ms-routing-request-id"] = f"LOCAL:{request_id}"
        client_id = request.header("x-ms-client-request-id")
        if client_id:
            response.headers["x-ms-client-request-id"] = client_id
        query = "&".join(f"{k}={v}" for k, v in request.query.items())
        journal.record(self.store, journal.Entry(
            time.time(), request.method, request.path + (f"?{query}" if query else ""), response.status,
            (time.monotonic() - started) * 1000, client_id, request_id, "dropped" if response.drop else None))
        return response

    @staticmethod
    def _guard(call: Any) -> Response:
        try:
            result: Response = call()
            return result
        except ArmError as err:
            return error_response(err)
        except Exception:  # an emulator bug must still answer like ARM does, and be visible
            log.exception("internal error")
            return error_response(errors.internal_server_error("The emulator failed to process the request."))


def _decoded(path: str) -> str:
    """Percent-decode each path segment, as ARM does: the SDK quotes every name it puts in a path
    (`(` -> %28, `ñ` -> %C3%B1), so a resource group `rg(1)` must reach the providers as `rg(1)`. An
    encoded `/` (%2F) stays encoded: it must not split a name into two segments."""
    return "/".join(part if "%2f" in part.lower() else unquote(part) for part in path.split("/"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the SDK reuses connections
    server: _Server

    def _serve(self) -> None:
        split = urlsplit(self.path)
        path = _decoded(re.sub("/{2,}", "/", split.path) or "/")
        declared = self.headers.get("Content-Length") or "0"
        length = int(declared) if declared.isdigit() else -1
        if not 0 <= length <= MAX_REQUEST_BYTES:
            # Refused before reading: a client must not make the emulator hold an unbounded body. The body
            # is left unread, so the connection cannot be reused.
            self.close_connection = True
            refusal = error_response(errors.request_entity_too_large(length, MAX_REQUEST_BYTES) if length > 0
                                     else errors.invalid_request_content(f"Invalid Content-Length {declared!r}."))
            self._send(Response(refusal.status, refusal.body, {**refusal.headers, "Connection": "close"}))
            return
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host") or f"{HOST}:{self.server.server_address[1]}"
        request = Request(self.command, path, dict(parse_qsl(split.query, keep_blank_values=True)),
                          {k.lower(): v for k, v in self.headers.items()}, body, f"https://{host}")
        response = self.server.app.handle(request)
        if response.drop:
            self.close_connection = True  # no status line, no body: the client sees the connection close
            return
        self._send(response)

    def _send(self, response: Response) -> None:
        payload = b"" if self.command == "HEAD" else response.encoded()
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, app: EmulatorApp, tls: ssl.SSLContext) -> None:
        self.app = app
        self.tls = tls
        super().__init__((HOST, port), _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        # Handshake in the request thread, so one slow client cannot stall accept().
        return self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection error from %s", client_address, exc_info=True)


@dataclass
class RunningEmulator:
    """An emulator serving in a background thread."""

    endpoint: str  # "https://127.0.0.1:PORT"
    ca_file: str
    db_path: str
    port: int
    _server: _Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def open_store(db_path: str) -> Store:
    """The store wired to the resource kinds: GETs show rows through their kind, a group delete cascades."""
    return Store(db_path, view, delete_group_contents)


def _prepare(db_path: str | None, settings: Settings | None, fault_rules: list[faults.FaultRule] | None,
             port: int) -> tuple[_Server, str, str]:
    if db_path is None:
        db_path = str(Path(tempfile.mkdtemp(prefix="aksnet-emulator-")) / DB_FILE)
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    certs = ensure_certs(str(Path(db_path).resolve().parent))
    store = open_store(db_path)
    if fault_rules:
        faults.add_rules(store, fault_rules)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(certs.cert_file, certs.key_file)
    return _Server(port, EmulatorApp(store, settings or Settings()), tls), certs.ca_file, db_path


def start_emulator(db_path: str | None = None, settings: Settings | None = None, port: int = 0,
                   fault_rules: list[faults.FaultRule] | None = None) -> RunningEmulator:
    """Serve in a daemon thread. `db_path=None`: a fresh temporary database. `port=0`: a free port."""
    server, ca_file, db = _prepare(db_path, settings, fault_rules, port)
    thread = threading.Thread(target=server.serve_forever, name="aksnet-emulator", daemon=True)
    thread.start()
    bound = server.server_address[1]
    return RunningEmulator(f"https://{HOST}:{bound}", ca_file, db, bound, server, thread)


def serve_forever(db_path: str, settings: Settings, port: int, fault_rules: list[faults.FaultRule],
                  ready: Any = None) -> None:
    """Serve in the calling thread until interrupted (the CLI). `ready(endpoint, ca_file)` is called once bound."""
    server, ca_file, _ = _prepare(db_path, settings, fault_rules, port)
    if ready is not None:
        ready(f"https://{HOST}:{server.server_address[1]}", ca_file)
    try:
        server.serve_forever()
    finally:
        server.server_close()
