"""The documentation kept true: public names have docstrings, the layers' docstrings state shapes and give
examples that run (doctest), docs/differences.rst lists exactly what PyTorch has and rosenblatt lacks, and
every tutorial asserts what it teaches. The site itself is built by Sphinx in .ci/run."""
import ast
import doctest
import importlib
import inspect
import pathlib
import re

import pytest

import rosenblatt as rb
from conftest import HAVE_TORCH, run_python, torch
from rosenblatt import nn

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
needs_docs = pytest.mark.skipif(not (DOCS / "conf.py").is_file(),
                                reason="no docs/ folder (tests copied out of a checkout)")

# The modules whose every public class and function must carry its own docstring.
DOCUMENTED_MODULES = ["rosenblatt.nn", "rosenblatt.nn.functional", "rosenblatt.nn.init", "rosenblatt.optim",
                      "rosenblatt.optim.lr_scheduler", "rosenblatt.utils.data", "rosenblatt.train", "rosenblatt.gan",
                      "rosenblatt.datasets", "rosenblatt.onnx", "rosenblatt.utils.tensorboard",
                      "rosenblatt.distributed", "rosenblatt.nn.parallel", "rosenblatt.utils.data.distributed"]
# modules over an optional package (tensorboard, mpi4py): their tests skip where it is missing
OPTIONAL = {"rosenblatt.utils.tensorboard", "rosenblatt.distributed", "rosenblatt.nn.parallel",
            "rosenblatt.utils.data.distributed"}
TOP_LEVEL = ["Perceptron", "save", "load", "fit", "compile", "manual_seed", "no_grad", "enable_grad"]
# nn classes that are not layers: containers, parameters and the bases of the recurrent layers
NOT_LAYERS = {"Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Parameter",
              "Buffer", "RNNBase", "RNNCellBase"}


def _import(modname):
    """The module; a test of one that needs an optional package skips without it."""
    try:
        return importlib.import_module(modname)
    except ImportError as e:
        if modname in OPTIONAL:
            pytest.skip(f"{modname} needs an optional package: {e}")
        raise


def _public(module):
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    for n in names:
        obj = getattr(module, n)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            yield n, obj


def _own_doc(obj):
    return (obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__) or ""


def _layers():
    return [(n, c) for n, c in _public(nn) if inspect.isclass(c) and issubclass(c, nn.Module) and n not in NOT_LAYERS]


@pytest.mark.parametrize("modname", DOCUMENTED_MODULES)
def test_every_public_name_has_a_docstring(modname):
    module = _import(modname)
    missing = [n for n, obj in _public(module) if not _own_doc(obj).strip()]
    assert not missing, f"{modname}: public names without a docstring: {missing}"


def test_top_level_api_has_docstrings():
    missing = [n for n in TOP_LEVEL if not _own_doc(getattr(rb, n)).strip()]
    assert not missing, missing


def test_the_layer_list_is_what_the_reference_documents():
    # rb-api documents rosenblatt.nn's public names; the layers are most of them
    assert len(_layers()) > 90 and "Linear" in dict(_layers()) and "Module" not in dict(_layers())


@pytest.mark.parametrize("name", [n for n, _ in _layers()])
def test_layer_docstring_has_shape_and_example(name):
    doc = _own_doc(getattr(nn, name))
    assert re.search(r"^\s*Shape:\s*$", doc, re.M), f"nn.{name}: no 'Shape:' section"
    assert re.search(r"^\s*Example:\s*$", doc, re.M), f"nn.{name}: no 'Example:' section"
    assert ">>>" in doc, f"nn.{name}: the example has no code"


@pytest.mark.parametrize("name", [n for n, _ in _layers()])
def test_layer_docstring_example_runs(name):
    cls = getattr(nn, name)
    globs = {"rb": rb, "nn": nn, "F": nn.functional}
    tests = [t for t in doctest.DocTestFinder(recurse=False).find(cls, name, globs=globs) if t.examples]
    assert tests, f"nn.{name}: no doctest examples"
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for t in tests:
        runner.run(t, out=lambda s: None)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"nn.{name}: {result.failed} of {result.attempted} docstring examples fail"


@pytest.mark.parametrize("modname", DOCUMENTED_MODULES + ["rosenblatt"])
def test_every_docstring_example_runs(modname):
    module = _import(modname)
    objs = _public(module) if modname != "rosenblatt" else [(n, getattr(rb, n)) for n in TOP_LEVEL]
    globs = {"rb": rb, "nn": nn, "F": nn.functional, "optim": rb.optim, "gan": rb.gan,
             "DataLoader": rb.utils.data.DataLoader, "TensorDataset": rb.utils.data.TensorDataset}
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for name, obj in objs:
        for t in doctest.DocTestFinder(recurse=False).find(obj, name, globs=dict(globs)):
            runner.run(t, out=lambda s: None)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{modname}: {result.failed} of {result.attempted} docstring examples fail"


def test_doctest_catches_a_wrong_example():
    # the check above must fail on an example whose output is wrong
    class Bad:
        """
        >>> nn.Linear(2, 3)(rb.randn(4, 2)).shape
        rosenblatt.Size([4, 4])
        """

    runner = doctest.DocTestRunner()
    for t in doctest.DocTestFinder(recurse=False).find(Bad, "Bad", globs={"rb": rb, "nn": nn}):
        runner.run(t, out=lambda s: None)
    assert runner.summarize(verbose=False).failed == 1


# --- Differences from PyTorch -----------------------------------------------------------------------

def _page_lists():
    text = (DOCS / "differences.rst").read_text()
    blocks = re.findall(r"^\.\. rb-missing-begin: (\S+)\n(.*?)^\.\. rb-missing-end", text, re.S | re.M)
    return {mod: sorted(re.findall(r"``([A-Za-z0-9_]+)``", body)) for mod, body in blocks}


@needs_docs
def test_differences_page_names_are_missing_from_rosenblatt():
    from _torch_coverage import rosenblatt_module

    lists = _page_lists()
    assert set(lists) == {"torch.nn", "torch.nn.functional", "torch.optim", "torch.optim.lr_scheduler"}
    present = [f"{mod}.{n}" for mod, names in lists.items() for n in names if hasattr(rosenblatt_module(rb, mod), n)]
    assert not present, f"docs/differences.rst calls these missing, but rosenblatt has them: {present}"


@needs_docs
@pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed")
def test_differences_page_equals_what_torch_has_and_rosenblatt_lacks():
    from _torch_coverage import missing

    want = missing(torch, rb)
    got = _page_lists()
    for mod in want:
        assert got[mod] == want[mod], (
            f"docs/differences.rst is out of date for {mod}: add {sorted(set(want[mod]) - set(got[mod]))}, remove "
            f"{sorted(set(got[mod]) - set(want[mod]))} (python tests/_torch_coverage.py prints the lists)")


# --- the reference pages, tutorials and the CLI -------------------------------------------------------

@needs_docs
def test_reference_pages_cover_every_documented_module():
    # each module's page is one `.. rb-api:: module` directive, which lists all of its public names
    documented = set()
    for page in (DOCS / "api").glob("*.rst"):
        documented |= set(re.findall(r"^\.\. rb-api:: (\S+)", page.read_text(), re.M))
    assert set(DOCUMENTED_MODULES) | {"rosenblatt"} <= documented, set(DOCUMENTED_MODULES) - documented


@needs_docs
def test_rb_api_lists_every_public_name():
    import sys

    pytest.importorskip("sphinx", reason="the directive is a Sphinx extension (the docs extra)")
    sys.path.insert(0, str(DOCS))
    try:
        from _ext.oplist import public_names
    finally:
        sys.path.remove(str(DOCS))
    names = public_names(rb.nn)
    assert {n for n, _ in _layers()} <= set(names) and "functional" not in names
    assert {"Perceptron", "save", "load", "fit", "add", "matmul"} <= set(public_names(rb))


@needs_docs
def test_every_tutorial_asserts_its_claims():
    tutorials = sorted((DOCS / "tutorials").glob("plot_*.py"))
    assert len(tutorials) >= 9
    for path in tutorials:
        tree = ast.parse(path.read_text())
        assert any(isinstance(n, ast.Assert) for n in ast.walk(tree)), f"{path.name} asserts nothing"
        assert (ast.get_docstring(tree) or "").strip(), f"{path.name}: no title docstring for sphinx-gallery"


def test_cli_docs_says_when_there_is_no_docs_folder(tmp_path):
    r = run_python("-m", "rosenblatt", "docs", "--source", str(tmp_path / "nowhere"), cwd=str(tmp_path))
    assert r.returncode == 2
    assert "checkout" in r.stderr and "--source" in r.stderr


# --- the C++ reference (docs/cpp.rst, hand-written) -----------------------------------------------------

@needs_docs
def test_cpp_reference_names_every_header_and_module():
    include = ROOT / "cpp" / "include" / "rosenblatt"
    page = (DOCS / "cpp.rst").read_text()
    missing = [f"rosenblatt/{h.name}" for h in include.glob("*.h") if f"rosenblatt/{h.name}" not in page]
    missing += [f"ops family {h.stem}" for h in (include / "ops").glob("*.h") if h.stem not in page]
    missing += [f"nn/{h.name}" for h in (include / "nn").glob("*.h") if f"nn/{h.name}" not in page]
    classes = set()
    for h in (include / "nn").glob("*.h"):
        text = h.read_text()
        classes |= set(re.findall(r"^class (\w+)\b", text, re.M))
        classes |= set(re.findall(r"^RB_NN_\w+\((\w+),", text, re.M))
    assert {"Linear", "Conv2d", "LSTM", "ReLU", "CrossEntropyLoss", "Sequential"} <= classes
    missing += [c for c in sorted(classes) if f"``{c}" not in page]
    for name in ["rb::Tensor", "NoGradGuard", "rb::save", "rb::load", "rb::backward", "rb::optim::Optimizer", "SGD",
                 "Adam", "AdamW", "RMSprop", "state_dict", "load_state_dict", "zeros", "randn"]:
        if name not in page:
            missing.append(name)
    assert not missing, f"docs/cpp.rst does not mention: {missing}"
