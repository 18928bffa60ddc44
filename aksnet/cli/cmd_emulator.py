"""`aksnet emulator serve`: run the local ARM emulator (see aksnet/emulator)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

# The same database `--local` uses (aksnet.workflows.targets.local_emulator_paths), so `az` pointed at
# `aksnet emulator serve` sees what `aksnet apply --local` built.
DEFAULT_DB_TEXT = "$AKSNET_HOME/emulator.db, AKSNET_HOME defaulting to ./.aksnet"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("emulator", help="run the local Azure Resource Manager emulator",
                                   description="A local ARM for the resource types aksnet manages.")
    sub = parser.add_subparsers(dest="emulator_command", metavar="SUBCOMMAND")
    serve = sub.add_parser("serve", help="serve HTTPS on 127.0.0.1 until interrupted")
    serve.add_argument("--port", type=int, default=8443, help="port on 127.0.0.1 (0: any free port; default 8443)")
    serve.add_argument("--db", default=None,
                       help=f"SQLite database; the CA is created beside it (default {DEFAULT_DB_TEXT}: what "
                       "`--local` uses)")
    serve.add_argument("--faults", metavar="FILE", help="JSON file: a list of fault rules (docs/emulator.md#fault-rules)")
    serve.add_argument("--duration", action="append", default=[], metavar="TYPE=SECONDS",
                       help="operation duration per ARM type, or network=S / aks=S for the defaults (repeatable)")
    serve.add_argument("--retry-after", type=int, default=None, metavar="SECONDS", help="Retry-After seconds on operations (default 1)")
    serve.add_argument("--throttle", nargs="?", const="azure", metavar="CLASS=SIZE/REFILL,...",
                       help="ARM subscription throttling (429 + Retry-After when a bucket is empty): alone, Azure's "
                       "buckets (reads 250 at 25/s, writes and deletes 200 at 10/s); e.g. reads=20/2,writes=5/1 "
                       "for smaller ones (other classes keep Azure's); 'off' to switch off what a run on this "
                       "--db switched on")
    serve.set_defaults(func=run)
    parser.set_defaults(func=lambda args: (parser.print_help(sys.stderr), 1)[1])


def parse_throttle(text: str) -> dict[str, Any] | None:
    """`--throttle` value -> the `/_emulator/throttle` body: `azure` -> {} (Azure's buckets), `off` -> None,
    `reads=20/2,writes=5/1` -> {"reads": {"bucket": 20, "refill": 2.0}, ...}. Raises ValueError."""
    from aksnet.emulator.control import throttle

    value = text.strip().lower()
    if value == "off":
        return None
    body: dict[str, Any] = {}
    if value != "azure":
        for item in (part.strip() for part in value.split(",") if part.strip()):
            name, sep, rate = item.partition("=")
            size, slash, refill = rate.partition("/")
            if not sep or not slash:
                raise ValueError(f"--throttle {text!r}: want CLASS=SIZE/REFILL (e.g. reads=20/2), 'azure' or 'off'")
            try:
                body[name.strip()] = {"bucket": int(size), "refill": float(refill)}
            except ValueError:
                raise ValueError(f"--throttle {item!r}: SIZE is a whole number, REFILL tokens per second") from None
    throttle.parse_config(body)  # unknown classes, sizes < 1, refills <= 0: refused before serving
    return body


def describe_throttle(body: dict[str, Any] | None) -> str:
    from aksnet.emulator.control import throttle

    if body is None:
        return "ARM throttling: off"
    buckets = throttle.parse_config(body)
    return "ARM throttling: " + ", ".join(f"{name} {b.size} at {b.refill:g}/s" for name, b in buckets.items())


def run(args: argparse.Namespace) -> int:
    from aksnet.emulator.arm.contract import Settings
    from aksnet.emulator.control import config
    from aksnet.emulator.control.faults import FaultRule
    from aksnet.emulator.server import serve_forever
    from aksnet.errors import AksnetError

    if args.db is None:
        from aksnet.workflows.targets import local_emulator_paths

        default_db, _ = local_emulator_paths()
        try:
            default_db.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise AksnetError(f"cannot create {default_db.parent}: {err.strerror or err}",
                              hint="set AKSNET_HOME to a writable directory, or pass --db") from err
        args.db = str(default_db)
    try:
        changes = config.parse_duration_flags(args.duration)
        if args.retry_after is not None:
            changes["retry_after"] = args.retry_after
        settings = config.merge(Settings(), changes)
        throttling = parse_throttle(args.throttle) if args.throttle is not None else None
        rules: list[FaultRule] = []
        if args.faults:
            from aksnet.spec.files import parse_json_capped, read_regular_file

            # a regular file under 1 MiB (a FIFO or /dev/zero is an error, not a hang)
            data: Any = parse_json_capped(read_regular_file(args.faults, 1024 * 1024).decode("utf-8"))
            rules = [FaultRule.from_dict(item) for item in (data if isinstance(data, list) else data.get("rules", [data]))]
    except (OSError, ValueError, TypeError, AttributeError) as err:
        raise AksnetError(f"emulator settings: {err}") from err

    def ready(endpoint: str, ca_file: str) -> None:
        if args.throttle is not None:
            # The database exists now and no request is served yet. Stored in it like the admin endpoint's
            # setting, so every emulator process sharing this --db throttles from the same buckets.
            from aksnet.emulator.control import throttle
            from aksnet.emulator.server import open_store

            throttle.configure(open_store(args.db), throttling)
        print(f"aksnet emulator listening on {endpoint}  (database {Path(args.db).resolve()})")
        print(f"CA certificate: {ca_file}")
        if args.throttle is not None:
            print(describe_throttle(throttling))
        print("Client environment:")
        print(f"  export REQUESTS_CA_BUNDLE={ca_file}")
        print("  export AZURE_CORE_INSTANCE_DISCOVERY=false")
        print(f"  az cloud register --name aksnet-local --endpoint-resource-manager {endpoint}/ && az cloud set --name aksnet-local")
        print("  az login --service-principal -u any-client -p any-secret --tenant 00000000-0000-0000-0000-000000000000")
        print("Python SDK: ClientSecretCredential(tenant, id, secret, authority=ENDPOINT, disable_instance_discovery=True,"
              " connection_verify=CA); clients with base_url=ENDPOINT, connection_verify=CA")
        sys.stdout.flush()

    import sqlite3

    try:
        serve_forever(args.db, settings, args.port, rules, ready)
    except sqlite3.Error as err:
        raise AksnetError(f"cannot open the emulator database {args.db}: {err}",
                          hint="pass --db a file in a writable directory, or move a damaged database away") from err
    except OSError as err:
        raise AksnetError(f"cannot serve on 127.0.0.1:{args.port}: {err}") from err
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0
