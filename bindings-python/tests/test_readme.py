"""The Python quickstarts in both READMEs and the guides run as written (the client guide's
against the sandbox binary, on a free port instead of the default one)."""

import os
import pathlib
import re
import socket
import subprocess
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def blocks(path: pathlib.Path) -> "list[str]":
    return re.findall(r"```python\n(.*?)```", path.read_text(), re.S)


@pytest.mark.parametrize(
    "readme",
    [ROOT / "README.md", ROOT / "bindings-python" / "README.md", ROOT / "docs" / "python.md"],
    ids=["root", "wheel", "guide"],
)
def test_quickstart_runs(readme: pathlib.Path) -> None:
    code = blocks(readme)
    assert code, f"no python block in {readme}"
    for block in code:
        exec(compile(block, str(readme), "exec"), {})


def test_the_client_guide_runs_against_the_sandbox() -> None:
    binary = os.environ.get("WAGROUPS_SANDBOX")
    assert binary, "set WAGROUPS_SANDBOX to the wagroups-sandbox binary (make test-python does)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sandbox = subprocess.Popen([binary, "--listen", f"127.0.0.1:{port}", "--db", ":memory:"], stdout=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/state", timeout=1).close()
                break
            except OSError:
                time.sleep(0.025)
        guide = ROOT / "docs" / "clients.md"
        (code,) = blocks(guide)
        assert "127.0.0.1:8787" in code
        exec(compile(code.replace("127.0.0.1:8787", f"127.0.0.1:{port}"), str(guide), "exec"), {})
    finally:
        sandbox.kill()
        sandbox.wait()
