import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def cases():
    out = []
    for path in sorted(FIXTURES.rglob("*.json")):
        out.append(pytest.param(json.loads(path.read_text()), id=str(path.relative_to(FIXTURES))))
    return out
