"""The generated protobuf module matches proto/fisherd.proto, and the error catalogue matches the daemon's."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fisherd_client import CLIENT_ERROR_CODES, DAEMON_ERROR_CODES
from fisherd_client import fisherd_pb2 as pb

from conftest import CLIENT_ROOT, REPO_ROOT

GENERATED = CLIENT_ROOT / 'fisherd_client' / 'fisherd_pb2.py'
REGENERATE = 'protoc --python_out=clients/python/fisherd_client -I proto proto/fisherd.proto'


@pytest.mark.skipif(shutil.which('protoc') is None, reason='protoc is not installed (Debian: protobuf-compiler)')
def test_generated_module_has_not_drifted_from_the_proto(tmp_path: Path) -> None:
    subprocess.run(['protoc', f'--python_out={tmp_path}', '-I', str(REPO_ROOT / 'proto'), str(REPO_ROOT / 'proto' / 'fisherd.proto')],
                   check=True)
    regenerated = (tmp_path / 'fisherd_pb2.py').read_text()
    assert regenerated == GENERATED.read_text(), (
        f'clients/python/fisherd_client/fisherd_pb2.py is stale: run `{REGENERATE}` at the repository root')


def test_error_codes_mirror_the_proto_enum() -> None:
    wire = [name[len('ERROR_CODE_'):] for name, value in sorted(pb.ErrorCode.items(), key=lambda kv: kv[1]) if value != 0]
    assert list(DAEMON_ERROR_CODES) == wire


def test_error_codes_mirror_the_daemon_catalogue() -> None:
    source = (REPO_ROOT / 'src' / 'errors.ts').read_text()
    catalogue = source[source.index('export const ERROR_CODES'):source.index('} as const')]
    codes = re.findall(r'^\s+([A-Z_]+): \{ wire:', catalogue, flags=re.M)
    assert codes, 'no codes found in src/errors.ts'
    assert set(codes) == set(DAEMON_ERROR_CODES)
    assert not set(CLIENT_ERROR_CODES) & set(DAEMON_ERROR_CODES)


def test_client_only_codes_mirror_the_typescript_client() -> None:
    source = (REPO_ROOT / 'clients' / 'ts' / 'src' / 'errors.ts').read_text()
    ts_codes = re.findall(r"^\s+\| '([A-Z_]+)'", source, flags=re.M)
    assert set(ts_codes) == set(CLIENT_ERROR_CODES)
