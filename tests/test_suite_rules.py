"""Rules of the test suite itself: PyTorch is optional, so no test file imports it at module level
(the README's test command must collect and pass without it); they take it from conftest."""
import ast
import pathlib

TESTS = pathlib.Path(__file__).parent


def _module_level(tree):
    """Statements that run at import: the module body and the bodies of its if/try/with blocks."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                todo.extend(getattr(node, field, []))
        if isinstance(node, ast.ExceptHandler):
            todo.extend(node.body)


def _imports_torch(node):
    if isinstance(node, ast.Import):
        return any(a.name.split(".")[0] == "torch" for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "torch"
    # pytest.importorskip("torch") at module level skips every test of the file, the ones that
    # need no PyTorch too
    for call in ast.walk(node):
        if (isinstance(call, ast.Call) and getattr(call.func, "attr", None) == "importorskip"
                and call.args and isinstance(call.args[0], ast.Constant)
                and str(call.args[0].value).split(".")[0] == "torch"):
            return True
    return False


def test_no_test_file_imports_torch_at_module_level():
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == "conftest.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in _module_level(tree):
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and _imports_torch(node):
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert not offenders, f"import torch at module level (take it from conftest instead): {offenders}"


def test_the_rule_catches_the_forms_it_names():
    for src in ("import torch", "import torch.nn as tnn", "from torch import nn",
                "try:\n    import torch\nexcept ImportError:\n    pass",
                "torch = pytest.importorskip('torch')"):
        assert any(_imports_torch(n) for n in _module_level(ast.parse(src))), src
    for src in ("def f():\n    import torch", "from conftest import torch", "import torchvision_like_name as t"):
        assert not any(_imports_torch(n) for n in _module_level(ast.parse(src))
                       if not isinstance(n, ast.FunctionDef)), src
