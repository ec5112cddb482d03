"""The Python quickstarts in both READMEs and the Python guide run as written."""

import pathlib
import re

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
