"""Golden files of the document model: what the readers make of tests/roots/mini for each
edition, as JSON in tests/golden/mini-<edition>.json. A change that changes the model
shows up here as a diff. When the change is intended, rewrite the files with

    REPORT_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and review and commit them with it.

The serialiser knows no model class: it walks any dataclass, list, tuple, set, dict,
Path, Decimal, enum and scalar, so the model can change shape freely."""
from __future__ import annotations

import dataclasses
import difflib
import enum
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from builder.model import EDITIONS
from tests.reading import read_edition

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("REPORT_UPDATE_GOLDEN") == "1"
HASH = re.compile(r"[0-9a-f]{16,}")   # cache file names: content hashes


def to_json(value, places: dict[str, Path]):
    """`value` as JSON data. Dataclasses (and other objects) become {"type": class name,
    field: value, ...} in field order; dict keys are sorted, sets too. A Path under one of
    `places` ({"<cache>": folder, ...}) is written relative to it, hashes replaced by <hash>:
    it reads the same wherever and whenever the model is read."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {"type": type(value).__name__, **{k: to_json(v, places) for k, v in fields.items()}}
    if isinstance(value, enum.Enum):
        return to_json(value.value, places)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Path):
        return path_json(value, places)
    if isinstance(value, dict):
        return {str(k): to_json(value[k], places) for k in sorted(value, key=str)}
    if isinstance(value, (set, frozenset)):
        return sorted((to_json(v, places) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [to_json(v, places) for v in value]
    if hasattr(value, "__dict__"):
        return {"type": type(value).__name__, **{k: to_json(v, places) for k, v in vars(value).items()}}
    return str(value)


def path_json(path: Path, places: dict[str, Path]) -> str:
    for token, folder in places.items():
        if path.is_relative_to(folder):
            return HASH.sub("<hash>", f"{token}/{path.relative_to(folder).as_posix()}")
    return HASH.sub("<hash>", path.as_posix())


def model_json(report, places: dict[str, Path]) -> str:
    return json.dumps(to_json(report, places), ensure_ascii=False, indent=2) + "\n"


@pytest.fixture(scope="module")
def mini_models(rebuilt_root):
    """edition -> the mini root's Report as JSON, as the writers get it (read, numbered,
    with its appendix)."""
    root = rebuilt_root("mini")
    places = {"<cache>": root / ".cache", "<project>": root}
    return {edition: model_json(read_edition(root, edition), places) for edition in EDITIONS}


@pytest.mark.parametrize("edition", EDITIONS)
def test_mini_model_matches_golden_file(mini_models, edition):
    golden = GOLDEN / f"mini-{edition}.json"
    now = mini_models[edition]
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(now, encoding="utf-8")
        return
    rewrite = "If the change is intended, rewrite the golden files and commit them:\n" \
              "    REPORT_UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    if not golden.exists():
        pytest.fail(f"no golden file {golden.relative_to(GOLDEN.parent.parent)}. {rewrite}", pytrace=False)
    before = golden.read_text(encoding="utf-8")
    if before != now:
        diff = list(difflib.unified_diff(before.splitlines(), now.splitlines(), f"golden/{golden.name}",
                                         "model read now", n=2, lineterm=""))
        shown = "\n".join(diff[:60]) + (f"\n... ({len(diff) - 60} more diff lines)" if len(diff) > 60 else "")
        pytest.fail(f"the {edition} model of tests/roots/mini differs from tests/golden/{golden.name}.\n"
                    f"{rewrite}\n\n{shown}", pytrace=False)
