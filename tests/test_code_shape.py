"""The package keeps the shape the README describes: stages that import only downstream
of themselves, no import cycle, short modules and functions."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "builder"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# What each stage may import from the package (besides itself and the leaf modules).
LEAVES = {"errors", "model", "words", "numbers", "chars", "cache", "context", "fonts", "timing"}
ALLOWED = {
    "readers": set(),
    "transforms": set(),
    "media": set(),
    "writers": {"media"},
    "analysis": {"readers", "transforms"},
}


def modules():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Modules of the package imported by `path`, as dotted names without "builder."."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("builder"):
            found.add(node.module.removeprefix("builder").lstrip("."))
            found |= {f"{node.module}.{a.name}".removeprefix("builder.") for a in node.names
                      if (PACKAGE / node.module.removeprefix("builder.").replace(".", "/") / f"{a.name}.py").exists()}
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("builder.") for a in node.names if a.name.startswith("builder.")}
    return {m for m in found if m}


def name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")


@pytest.mark.parametrize("path", modules(), ids=name)
def test_stage_imports_only_downstream(path):
    stage = name(path).split(".")[0]
    if stage not in ALLOWED:
        return   # build, cli, pool: the driver imports every stage
    for module in imports(path):
        top = module.split(".")[0]
        assert top == stage or top in LEAVES or top in ALLOWED[stage], f"{name(path)} imports {module}"


def test_no_import_cycle():
    graph = {name(p): {m for m in imports(p)} for p in modules()}
    state: dict[str, int] = {}

    def visit(node, trail):
        if state.get(node) == 1:
            pytest.fail("import cycle: " + " -> ".join(trail + [node]))
        if state.get(node) == 2 or node not in graph:
            return
        state[node] = 1
        for nxt in graph[node]:
            visit(nxt, trail + [node])
        state[node] = 2
    for node in graph:
        visit(node, [])


@pytest.mark.parametrize("path", modules(), ids=name)
def test_short_modules_and_functions(path):
    text = path.read_text()
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{name(path)}: {len(text.splitlines())} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            length = node.end_lineno - node.lineno + 1
            limit = MAX_FUNCTION_LINES if not isinstance(node, ast.ClassDef) else 2 * MAX_FUNCTION_LINES
            assert length <= limit, f"{name(path)}: {node.name} is {length} lines"
