"""Apply progress: Terraform-style plain lines in CI, a live line per resource on a TTY.

Plain (Terraform's UI hook lines): `aks.aks-cluster: Creating...`, every `interval` seconds
`aks.aks-cluster: Still creating... [1m30s elapsed]`, then `Creation complete after 6s [id=...]`.
The rich view (TTY only; rich imported lazily) shows the same events as one updating line each.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, TextIO

from aksnet.live.events import Progress

WORDS = {
    # verb: (starting, still, complete)
    "create": ("Creating...", "Still creating...", "Creation complete"),
    "update": ("Modifying...", "Still modifying...", "Modifications complete"),
    "delete": ("Destroying...", "Still destroying...", "Destruction complete"),
    "wait": ("Waiting for an operation already in progress...", "Still waiting...", "Operation in progress finished"),
}


def elapsed_text(seconds: float) -> str:
    """Terraform's style: `6s`, `1m30s`, `1h2m3s`."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


@dataclass
class PlainProgress:
    stream: TextIO
    interval: float = 10.0  # Terraform's defaultPeriodicUiTimer

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def _line(self, text: str) -> None:
        with self._lock:
            print(text, file=self.stream, flush=True)

    def started(self, address: str, verb: str) -> None:
        self._line(f"{address}: {WORDS[verb][0]}")

    def still(self, address: str, verb: str, elapsed: float) -> None:
        self._line(f"{address}: {WORDS[verb][1]} [{elapsed_text(elapsed)} elapsed]")

    def finished(self, address: str, verb: str, elapsed: float, resource_id: str) -> None:
        suffix = f" [id={resource_id}]" if resource_id and verb != "delete" else ""
        self._line(f"{address}: {WORDS[verb][2]} after {elapsed_text(elapsed)}{suffix}")

    def failed(self, address: str, verb: str, elapsed: float, message: str) -> None:
        self._line(f"{address}: failed after {elapsed_text(elapsed)}: {message}")

    def note(self, text: str) -> None:
        self._line(text)

    def close(self) -> None:
        return None


@dataclass
class _Row:
    verb: str
    start: float
    state: str = "running"  # running | done | failed
    end: float = 0.0
    detail: str = ""


class RichProgress:
    """One live line per resource with a spinner and elapsed time; finished lines collapse to a tick."""

    def __init__(self, stream: TextIO, interval: float = 10.0) -> None:
        from rich.console import Console
        from rich.live import Live

        self.interval = interval
        self._rows: dict[str, _Row] = {}
        self._lock = threading.Lock()
        self._console = Console(file=stream)
        self._live = Live(self, console=self._console, refresh_per_second=4, transient=False)
        self._live.start()

    def __rich__(self) -> Any:
        from rich.spinner import Spinner
        from rich.table import Table
        from rich.text import Text

        table = Table.grid(padding=(0, 1))
        now = time.monotonic()
        with self._lock:
            rows = list(self._rows.items())
        for address, row in rows:
            if row.state == "running":
                table.add_row(Spinner("dots"), Text(address, style="bold"), Text(WORDS[row.verb][0].rstrip(".")),
                              Text(elapsed_text(now - row.start), style="dim"))
            elif row.state == "done":
                table.add_row(Text("✓", style="green"), Text(address), Text(WORDS[row.verb][2].lower()),
                              Text(f"in {elapsed_text(row.end - row.start)}", style="dim"))
            else:
                table.add_row(Text("✗", style="red"), Text(address), Text("failed", style="red"),
                              Text(row.detail))
        return table

    def started(self, address: str, verb: str) -> None:
        with self._lock:
            self._rows[address] = _Row(verb, time.monotonic())

    def still(self, address: str, verb: str, elapsed: float) -> None:
        return None  # the live line shows elapsed time continuously

    def finished(self, address: str, verb: str, elapsed: float, resource_id: str) -> None:
        with self._lock:
            row = self._rows.setdefault(address, _Row(verb, time.monotonic() - elapsed))
            row.state, row.end = "done", row.start + elapsed

    def failed(self, address: str, verb: str, elapsed: float, message: str) -> None:
        with self._lock:
            row = self._rows.setdefault(address, _Row(verb, time.monotonic() - elapsed))
            row.state, row.end, row.detail = "failed", row.start + elapsed, message

    def note(self, text: str) -> None:
        self._live.console.print(text)

    def close(self) -> None:
        self._live.refresh()
        self._live.stop()


def make_progress(stream: TextIO | None = None, *, interval: float | None = None,
                  force_plain: bool = False) -> Progress:
    """Rich on an interactive terminal, plain lines otherwise (CI, pipes, `-o json`)."""
    import os

    out = stream or sys.stdout
    if interval is None:
        interval = float(os.environ.get("AKSNET_PROGRESS_INTERVAL") or 10.0)
    ci = os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS")
    if not force_plain and not ci and out.isatty():
        return RichProgress(out, interval)
    return PlainProgress(out, interval)
