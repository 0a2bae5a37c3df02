"""The type stubs shipped for the extension (python/rosenblatt/_C/*.pyi) cover what it binds, so
editors and mypy see the whole API. Regenerate with tools/gen_stubs.py."""
import ast
import os

import pytest

import rosenblatt as rb

STUBS = os.path.join(os.path.dirname(rb.__file__), "_C")


def _stub_names(module_file):
    tree = ast.parse(open(os.path.join(STUBS, module_file)).read())
    names, methods = set(), set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        if isinstance(node, ast.ClassDef) and node.name == "Tensor":
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    methods.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    methods.add(item.target.id)
    return names, methods


def _public(obj):
    return {n for n in dir(obj) if not n.startswith("_")}


def test_package_ships_py_typed_and_stubs():
    assert os.path.isfile(os.path.join(os.path.dirname(rb.__file__), "py.typed"))
    assert os.path.isfile(os.path.join(STUBS, "__init__.pyi"))


@pytest.mark.parametrize("module,stub", [(rb._C, "__init__.pyi"), (rb._C._nn, "_nn.pyi"), (rb._C._optim, "_optim.pyi")])
def test_stubs_cover_bound_functions(module, stub):
    names, _ = _stub_names(stub)
    bound = {n for n in _public(module)
             if callable(getattr(module, n)) and not isinstance(getattr(module, n), type(rb))}
    missing = sorted(bound - names)
    assert not missing, f"{stub} lacks {missing}: run tools/gen_stubs.py"


def test_stubs_cover_tensor_methods_bound_in_cpp():
    _, methods = _stub_names("__init__.pyi")
    # Methods added in Python (python/rosenblatt/_tensor.py) are typed there; the C++ ones here.
    cpp = {n for n, v in vars(rb._C.Tensor).items() if not n.startswith("_") and type(v).__name__ in
           ("instancemethod", "builtin_function_or_method", "property")}
    missing = sorted(cpp - methods)
    assert not missing, f"Tensor stub lacks {missing}: run tools/gen_stubs.py"
