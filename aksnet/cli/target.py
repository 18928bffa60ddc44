"""Target flags shared by plan / apply / destroy (docs/cli.md#targets).

    add_target_arguments(parser)       --local | --endpoint URL [--ca-file PEM], -s/--subscription
    target_options(args) -> TargetOptions
No Azure SDK import here: `aksnet.live.azure.clients` imports it lazily when a target is opened.
"""

from __future__ import annotations

import argparse
import os

from aksnet.workflows.targets import TargetOptions


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("target (default: Azure through DefaultAzureCredential)")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--local", action="store_true",
                       help="start the embedded emulator for this command (database $AKSNET_HOME/emulator.db, "
                            "default ./.aksnet/)")
    where.add_argument("--endpoint", metavar="URL", default=os.environ.get("AKSNET_ARM_ENDPOINT") or None,
                       help="a running `aksnet emulator serve` (env AKSNET_ARM_ENDPOINT)")
    group.add_argument("--ca-file", metavar="PEM", help="CA of --endpoint (default: REQUESTS_CA_BUNDLE)")
    group.add_argument("-s", "--subscription", metavar="ID",
                       help="subscription id (Azure: > AZURE_SUBSCRIPTION_ID > the spec's; emulator: > the "
                            "spec's > the emulator's first)")


def target_options(args: argparse.Namespace) -> TargetOptions:
    return TargetOptions(local=bool(getattr(args, "local", False)), endpoint=getattr(args, "endpoint", None),
                         ca_file=getattr(args, "ca_file", None), subscription=getattr(args, "subscription", None))
