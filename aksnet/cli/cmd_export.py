"""`aksnet export --resource-group RG --cluster NAME [--out FILE]`: adopt an existing cluster network.

Reads (GETs only) the cluster, its node subnet's VNet and the NSGs / route tables associated with that
VNet's subnets (`aksnet.live.export_reader`), turns them into an aksnet/v1 spec (`aksnet.core.export`, pure:
AKS's own kubenet route table and the routes AKS writes are left out), checks the result with the
same rules as `aksnet validate`, and writes it as YAML to stdout or --out. Round trip: planning the
exported spec against the same Azure state shows no changes.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aksnet import __version__
from aksnet.cli.output import info, print_findings
from aksnet.cli.target import add_target_arguments, target_options
from aksnet.errors import SpecError, UsageError
from aksnet.model import Severity


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export", help="write a spec for an existing cluster network (read-only)",
        description="Read an existing AKS cluster, its VNet and the NSGs and route tables on that VNet's "
        "subnets, and write an aksnet/v1 spec that describes them (AKS's own route table and routes are "
        "left out). Planning the exported spec shows no changes.")
    parser.add_argument("-g", "--resource-group", required=True, metavar="RG",
                        help="resource group of the cluster (and of its VNet)")
    parser.add_argument("-n", "--cluster", required=True, metavar="NAME", help="the AKS cluster's name")
    parser.add_argument("--out", metavar="FILE", help="write the spec to FILE instead of standard output")
    parser.add_argument("--name", metavar="NAME", help="metadata.name of the spec (default: the cluster's name)")
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def header(subscription: str, resource_group: str, cluster: str) -> str:
    from aksnet.cli.cmd_schema import modeline

    return (
        f"{modeline()}\n"  # editors (VS Code's YAML extension) check and complete the exported spec
        f"# Exported by aksnet {__version__} (`aksnet export --resource-group {resource_group} "
        f"--cluster {cluster}`)\n"
        f"# from subscription {subscription}: what Azure had, so `aksnet plan` on it shows no changes.\n"
        "# Review it before committing (`aksnet lint`; values you would rather leave to Azure's defaults).\n"
        "# AKS's own kubenet route table and the routes AKS writes belong to AKS and are left out.\n"
    )


def to_yaml(document: dict[str, Any]) -> str:
    import yaml

    # safe_dump quotes strings YAML 1.1 would read as other types ('1.30', 'on', '*'), so the
    # loader's ambiguous-scalar checks stay quiet.
    class IndentedDumper(yaml.SafeDumper):
        """Lists indented under their key, as the specs in specs/ are written."""

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    return str(yaml.dump(document, Dumper=IndentedDumper, sort_keys=False, default_flow_style=False,
                         allow_unicode=True, width=120))


def check_exported(text: str, filename: str) -> list[Any]:
    """Validation errors of the exported spec (the rules `aksnet validate` runs); [] when valid."""
    from aksnet.checks.rules import check
    from aksnet.spec.load import load_spec_text

    try:
        spec = load_spec_text(text, filename)
    except SpecError as err:
        return list(err.findings) or [err.message]
    return [f for f in check(spec) if f.severity is Severity.ERROR]


@dataclass(frozen=True, slots=True)
class ExportedKey:
    line: str  # the key as Azure holds it
    file: str  # the sshPublicKeyFile the spec names (beside the spec)
    display: str  # type and fingerprint, what is shown instead of the key


def _key_to_file(document: dict[str, Any], cluster: str) -> ExportedKey | None:
    """Move the cluster's inline ssh key out of the exported document: the spec names a key file beside
    it instead, so the key's data is never printed (output shows its `SHA256:` fingerprint)."""
    from aksnet.spec.sshkey import display_key

    linux = document["spec"]["cluster"].get("linuxProfile")
    if not linux or "sshPublicKey" not in linux:
        return None
    line = str(linux.pop("sshPublicKey"))
    file = f"{cluster}-ssh.pub"
    linux["sshPublicKeyFile"] = file
    return ExportedKey(line, file, display_key(line))


def run(args: argparse.Namespace) -> int:
    from aksnet.core.export import export_spec
    from aksnet.live.azure.resources import ResourceApi
    from aksnet.live.export_reader import read_cluster_network
    from aksnet.workflows.targets import open_target, resolve_subscription

    if not args.resource_group.strip() or not args.cluster.strip():
        raise UsageError("--resource-group and --cluster must not be empty")
    if args.out:
        from aksnet.cli.cmd_plan import check_out_path

        check_out_path(args.out, what="the spec", example="spec.yaml")  # before reading Azure, not after
    with open_target(target_options(args)) as conn:
        subscription = resolve_subscription(conn, args.subscription, None)
        live = read_cluster_network(ResourceApi(conn, subscription), subscription, args.resource_group,
                                    args.cluster)
    for note in live.notes:
        info(f"export: note: {note}")
    document = export_spec(**live.export_arguments())
    if args.name:
        document["metadata"]["name"] = args.name
    head = header(subscription, args.resource_group, args.cluster)
    filename = args.out or f"<export of {args.cluster}>"
    problems = check_exported(head + to_yaml(document), filename)  # with the key inline: it must parse
    key = _key_to_file(document, args.cluster)
    text = head + to_yaml(document)
    if args.out:
        from aksnet.cli.private_files import write_private_text

        if key is not None:
            key_path = str(Path(args.out).parent / key.file)
            existing = Path(key_path)
            if existing.exists() and (not existing.is_file() or existing.read_text(errors="replace").strip() != key.line):
                # never overwrite a different file the user has there
                raise UsageError(f"{key_path} exists and is not this cluster's key ({key.display})",
                                 hint="move it away, or export into another directory")
            write_private_text(key_path, key.line + "\n")
            info(f"Wrote the cluster's ssh public key ({key.display}) to {key_path}")
        write_private_text(args.out, text)
        info(f"Wrote the spec of cluster {args.cluster} to {args.out}")
    else:
        sys.stdout.write(text)
        if key is not None:
            info(f"export: the cluster's ssh public key ({key.display}) is not printed; save it beside the spec "
                 f"as {key.file}: az aks show -g {args.resource_group} -n {args.cluster} "
                 f"--query 'linuxProfile.ssh.publicKeys[0].keyData' -o tsv > {key.file}")
    if problems:
        findings = [p for p in problems if not isinstance(p, str)]
        print_findings(findings, sys.stderr)
        for message in (p for p in problems if isinstance(p, str)):
            info(f"error: {message}")
        info("error: the exported spec does not validate; edit it before planning (see `aksnet validate`)")
        return 1
    return 0
