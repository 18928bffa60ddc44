"""`aksnet emulator serve` without --db serves the database `--local` uses ($AKSNET_HOME/emulator.db), so
a client pointed at it (az, the SDK, `aksnet plan --endpoint`) sees what `aksnet apply --local` built."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from paths import REPO

pytestmark = pytest.mark.e2e
SPEC = str(REPO / "specs" / "kubenet.yaml")


def test_serve_defaults_to_the_local_database(tmp_path: Path) -> None:
    env = {**os.environ, "AKSNET_HOME": str(tmp_path / "home"), "AKSNET_FAST_RETRY": "1",
           "AKSNET_EMULATOR_AKS_SECONDS": "0", "AKSNET_EMULATOR_NETWORK_SECONDS": "0", "NO_COLOR": "1"}
    applied = subprocess.run([sys.executable, "-m", "aksnet", "apply", "--local", "--auto-approve", SPEC],
                             env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr

    server = subprocess.Popen([sys.executable, "-m", "aksnet", "emulator", "serve", "--port", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in server.stdout or ()], daemon=True).start()
        banner = ""
        while "Client environment:" not in banner:
            banner += lines.get(timeout=30)
        assert f"(database {tmp_path / 'home' / 'emulator.db'})" in banner
        endpoint = re.search(r"listening on (https://\S+)", banner)
        ca = re.search(r"CA certificate: (\S+)", banner)
        assert endpoint and ca, banner
        planned = subprocess.run([sys.executable, "-m", "aksnet", "plan", "--lint", "off", "--detailed-exitcode",
                                  "--endpoint", endpoint.group(1), "--ca-file", ca.group(1), SPEC],
                                 env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
        # exit 0 with --detailed-exitcode: everything `apply --local` created is there, nothing to change
        assert planned.returncode == 0, planned.stdout + planned.stderr
        assert "No changes" in planned.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
