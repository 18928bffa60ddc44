"""`aksnet emulator serve --throttle`: the CLI switches on the emulator's ARM throttling (token buckets per
subscription, https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling) so a user can run their pipeline against 429s."""

from __future__ import annotations

import json
import queue
import re
import ssl
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aksnet.cli.cmd_emulator import parse_throttle

pytestmark = [pytest.mark.e2e]


def test_parse_throttle() -> None:
    assert parse_throttle("azure") == {}  # {} = Azure's buckets for every class
    assert parse_throttle("off") is None
    assert parse_throttle("reads=20/2, writes=5/0.5") == {"reads": {"bucket": 20, "refill": 2.0},
                                                          "writes": {"bucket": 5, "refill": 0.5}}
    for bad in ("reads=20", "reads=x/1", "reads=0/1", "reads=5/0", "gets=5/1", "nonsense"):
        with pytest.raises(ValueError):
            parse_throttle(bad)


def test_a_bad_throttle_value_is_one_clear_error_before_serving(capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path) -> None:
    from aksnet.cli.main import main

    assert main(["emulator", "serve", "--port", "0", "--db", str(tmp_path / "e.db"), "--throttle", "reads=5"]) == 1
    err = capsys.readouterr().err
    assert "CLASS=SIZE/REFILL" in err and "Traceback" not in err
    assert not (tmp_path / "e.db").exists()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """Start `aksnet emulator serve` (a real process) with extra flags; yields (endpoint, ca_file, banner)."""
    procs: list[subprocess.Popen[str]] = []

    def start(*flags: str) -> tuple[str, str, str]:
        proc = subprocess.Popen([sys.executable, "-m", "aksnet", "emulator", "serve", "--port", "0",
                                 "--db", str(tmp_path / "e.db"), *flags],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(proc)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or ()], daemon=True).start()
        banner = ""
        while "Client environment:" not in banner:
            banner += lines.get(timeout=30)
        endpoint = re.search(r"listening on (https://\S+)", banner)
        ca = re.search(r"CA certificate: (\S+)", banner)
        assert endpoint and ca, banner
        return endpoint.group(1), ca.group(1), banner

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def _get(endpoint: str, ca_file: str, path: str) -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(f"{endpoint}{path}")
    try:
        with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=ca_file), timeout=30) as r:
            return r.status, dict(r.headers), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read() or b"null")


def test_throttle_flag_switches_on_arm_throttling_and_off_again(serve: Any) -> None:
    endpoint, ca, banner = serve("--throttle", "reads=2/0.1")
    assert "ARM throttling: reads 2 at 0.1/s, writes 200 at 10/s, deletes 200 at 10/s" in banner
    status, _, state = _get(endpoint, ca, "/_emulator/throttle")
    assert status == 200 and state["enabled"] is True
    assert state["buckets"]["reads"] == {"bucket": 2, "refill": 0.1}
    assert state["buckets"]["writes"] == {"bucket": 200, "refill": 10.0}  # Azure's, not named on the flag
    # A subscription read spends a token whatever it answers (ARM throttles before any provider): the third
    # read within the refill time is refused with 429 and a Retry-After.
    path = "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups?api-version=2021-04-01"
    statuses = [_get(endpoint, ca, path) for _ in range(3)]
    assert statuses[-1][0] == 429, [s[:2] for s in statuses]
    assert int(statuses[-1][1]["Retry-After"]) >= 1
    assert statuses[-1][2]["error"]["code"] == "SubscriptionRequestsThrottled"


def test_azure_default_buckets_and_off(serve: Any, tmp_path: Path) -> None:
    endpoint, ca, banner = serve("--throttle")
    assert "ARM throttling: reads 250 at 25/s, writes 200 at 10/s, deletes 200 at 10/s" in banner
    assert _get(endpoint, ca, "/_emulator/throttle")[2]["enabled"] is True
    endpoint, ca, banner = serve("--throttle", "off")  # a second process on the same --db switches it off
    assert "ARM throttling: off" in banner
    assert _get(endpoint, ca, "/_emulator/throttle")[2]["enabled"] is False
