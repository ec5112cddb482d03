import contextlib
import json
import os
import pathlib
import socket
import subprocess
import time
import urllib.request
from typing import Iterator

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def cases():
    out = []
    for path in sorted(FIXTURES.rglob("*.json")):
        out.append(pytest.param(json.loads(path.read_text()), id=str(path.relative_to(FIXTURES))))
    return out


@contextlib.contextmanager
def running_sandbox(*args: str) -> Iterator[str]:
    """The sandbox binary (`WAGROUPS_SANDBOX`) on a free loopback port, in memory, answering;
    yields its base URL and stops it after."""
    binary = os.environ.get("WAGROUPS_SANDBOX")
    assert binary, "set WAGROUPS_SANDBOX to the wagroups-sandbox binary (make test-python does)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    sandbox = subprocess.Popen([binary, "--listen", f"127.0.0.1:{port}", "--db", ":memory:", *args],
                               stdout=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(f"{base}/_sandbox/state", timeout=1).close()
                break
            except OSError:
                time.sleep(0.025)
        yield base
    finally:
        sandbox.kill()
        sandbox.wait(timeout=10)
