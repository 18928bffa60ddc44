"""linuxProfile.sshPublicKeyFile is read only from a regular file inside the spec's directory tree, and
both it and the inline sshPublicKey must be one OpenSSH public key; anything else is a located error."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO
from spec_samples import BASE, errors_of, load, only, ssh_public_key, variant

from aksnet.spec.files import ALLOW_OUTSIDE_KEY_PATH
from aksnet.spec.sshkey import NotAPublicKey, display_key, parse_public_key

KEY_LINE = 30  # the line of `sshPublicKeyFile:` / `sshPublicKey:` in the spec below


def _spec(tmp_path: Path, field: str, value: str) -> str:
    text = variant("    subnet: aks-subnet\n",
                   f"    subnet: aks-subnet\n    linuxProfile:\n      adminUsername: azureuser\n      {field}: '{value}'\n",
                   BASE)
    path = tmp_path / "specs" / "spec.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return str(path)


def _errors(path: str) -> list:  # type: ignore[type-arg]
    return errors_of(Path(path).read_bytes(), path)


def test_a_key_file_beside_the_spec_is_read(tmp_path: Path) -> None:
    path = _spec(tmp_path, "sshPublicKeyFile", "id.pub")
    (tmp_path / "specs" / "id.pub").write_text(ssh_public_key() + "\n")
    spec = load(Path(path).read_text(), path)
    assert spec.cluster.linux_profile is not None
    assert spec.cluster.linux_profile.ssh_public_key == ssh_public_key()


@pytest.mark.parametrize("value", ["../outside.pub", "keys/../../outside.pub"])
def test_a_key_file_outside_the_spec_tree_is_refused(tmp_path: Path, value: str) -> None:
    (tmp_path / "outside.pub").write_text(ssh_public_key() + "\n")
    (tmp_path / "specs" / "keys").mkdir(parents=True)
    finding = only(_errors(_spec(tmp_path, "sshPublicKeyFile", value)))
    assert (finding.rule, finding.path, finding.line) == (
        "AKSNET-KEY-001", "spec.cluster.linuxProfile.sshPublicKeyFile", KEY_LINE)
    assert "outside the spec's directory" in finding.message and finding.fix


def test_a_symlink_inside_the_tree_that_points_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text(ssh_public_key() + "\n")
    path = _spec(tmp_path, "sshPublicKeyFile", "id.pub")
    (tmp_path / "specs" / "id.pub").symlink_to(tmp_path / "secret")
    assert only(_errors(path)).rule == "AKSNET-KEY-001"


def test_an_absolute_path_needs_the_flag(tmp_path: Path) -> None:
    key = tmp_path / "abs.pub"
    key.write_text(ssh_public_key() + "\n")
    path = _spec(tmp_path, "sshPublicKeyFile", str(key))
    finding = only(_errors(path))
    assert finding.rule == "AKSNET-KEY-001" and "--allow-outside-key-path" in finding.message
    token = ALLOW_OUTSIDE_KEY_PATH.set(True)
    try:
        spec = load(Path(path).read_text(), path)
    finally:
        ALLOW_OUTSIDE_KEY_PATH.reset(token)
    assert spec.cluster.linux_profile is not None and spec.cluster.linux_profile.ssh_public_key == ssh_public_key()


def test_proc_self_environ_is_refused_even_with_the_flag(tmp_path: Path) -> None:
    path = _spec(tmp_path, "sshPublicKeyFile", "/proc/self/environ")
    assert only(_errors(path)).rule == "AKSNET-KEY-001"
    token = ALLOW_OUTSIDE_KEY_PATH.set(True)
    try:
        finding = only(_errors(path))
    finally:
        ALLOW_OUTSIDE_KEY_PATH.reset(token)
    assert finding.rule == "AKSNET-KEY-001" and "pseudo-filesystem" in finding.message


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = _spec(tmp_path, "sshPublicKeyFile", "pipe.pub")
    os.mkfifo(tmp_path / "specs" / "pipe.pub")
    # A subprocess with a timeout: opening a FIFO for reading would block forever.
    proc = subprocess.run([sys.executable, "-m", "aksnet", "validate", path], capture_output=True, text=True,
                          timeout=60, cwd=str(REPO))
    assert proc.returncode == 1
    assert "AKSNET-KEY-001" in proc.stdout + proc.stderr and "FIFO" in proc.stdout + proc.stderr


def test_a_file_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    path = _spec(tmp_path, "sshPublicKeyFile", "spec.yaml")  # the spec itself
    finding = only(_errors(path))
    assert (finding.rule, finding.line) == ("AKSNET-KEY-002", KEY_LINE)
    assert "apiVersion" not in finding.message  # the file's content is never echoed


def test_a_private_key_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = _spec(tmp_path, "sshPublicKeyFile", "id")
    (tmp_path / "specs" / "id").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n"
                                           "-----END OPENSSH PRIVATE KEY-----\n")
    finding = only(_errors(path))
    assert finding.rule == "AKSNET-KEY-002" and "PRIVATE" in finding.message and "b3Blbn" not in finding.message


def test_an_oversized_key_file_is_refused(tmp_path: Path) -> None:
    path = _spec(tmp_path, "sshPublicKeyFile", "big.pub")
    (tmp_path / "specs" / "big.pub").write_bytes(b"a" * (64 * 1024))
    assert only(_errors(path)).rule == "AKSNET-KEY-001"


@pytest.mark.parametrize("value", ["ssh-rsa AAAA", "ssh-dss AAAAB3NzaC1kc3MAAACBAP", "not a key",
                                   "ssh-ed25519 !!!notbase64", "ssh-rsa " + base64.b64encode(b"\0\0\0\x0bssh-ed25519" + b"x" * 32).decode()])
def test_an_inline_key_must_be_an_openssh_public_key(tmp_path: Path, value: str) -> None:
    finding = only(_errors(_spec(tmp_path, "sshPublicKey", value)))
    assert (finding.rule, finding.path, finding.line) == ("AKSNET-KEY-002", "spec.cluster.linuxProfile.sshPublicKey",
                                                          KEY_LINE)


def test_fingerprint_is_what_ssh_keygen_prints() -> None:
    line = ssh_public_key(seed=7)
    blob = base64.b64decode(line.split()[1])
    expected = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    key = parse_public_key(line)
    assert key.fingerprint == expected
    assert display_key(line) == f"ssh-ed25519 {expected}"
    assert line.split()[1] not in display_key(line)
    with pytest.raises(NotAPublicKey):
        parse_public_key("ssh-ed25519")
    assert "SHA256:" in display_key("garbage") and "garbage" not in display_key("garbage")


def test_the_cli_flag_allows_a_key_outside_the_tree_for_that_run_only(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from aksnet.cli.main import main

    key = tmp_path / "outside.pub"
    key.write_text(ssh_public_key() + "\n")
    path = _spec(tmp_path, "sshPublicKeyFile", "../outside.pub")
    assert main(["validate", path]) == 1
    assert "AKSNET-KEY-001" in capsys.readouterr().out
    assert main(["validate", "--allow-outside-key-path", path]) == 0
    assert "AKSNET-KEY" not in capsys.readouterr().out
    assert main(["validate", path]) == 1  # not sticky
