"""The Python quickstarts in both READMEs and the guides run as written (the client guide's
against the sandbox binary, on a free port instead of the default one)."""

import pathlib
import re

import pytest

from conftest import running_sandbox

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
    guide = ROOT / "docs" / "clients.md"
    (code,) = blocks(guide)
    assert "127.0.0.1:8787" in code
    with running_sandbox() as base:
        exec(compile(code.replace("http://127.0.0.1:8787", base), str(guide), "exec"), {})
