"""The docstrings of the functions bound from C++, kept in rosenblatt/_docs and attached at import: every public
bound function of rosenblatt, rosenblatt.nn.functional, linalg and special, and the main Tensor methods, says
what it computes, states its shapes and gives an example that runs (doctest, outputs compared). No PyTorch."""
import doctest
import pydoc

import pytest

import rosenblatt as rb
from rosenblatt import _C, _docs, nn

MODULES = {"rosenblatt": rb, "rosenblatt.nn.functional": nn.functional, "rosenblatt.linalg": rb.linalg,
           "rosenblatt.special": rb.special}
# the Tensor methods documented at least (those a PyTorch user reaches for first)
TENSOR_METHODS = ["view", "reshape", "permute", "transpose", "contiguous", "sum", "mean", "max", "min", "argmax",
                  "argmin", "softmax", "log_softmax", "matmul", "squeeze", "unsqueeze", "flatten", "expand", "repeat",
                  "t", "size", "dim", "numel", "item", "tolist", "detach", "clone"]
# functions whose result is no tensor, or is the argument itself: no Shape section
NO_SHAPE = {"numel", "is_tensor", "is_floating_point", "result_type", "is_grad_enabled", "is_anomaly_enabled",
            "is_anomaly_check_nan_enabled", "get_num_threads", "set_num_threads", "equal", "broadcast_shapes",
            "size", "dim", "item", "tolist", "detach", "clone", "is_contiguous", "requires_grad_",
            "zero_", "fill_"}
GLOBS = {"rb": rb, "F": nn.functional, "nn": nn}


_is_bound = _docs.is_bound


def _bound_names(module):
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    return sorted(n for n in set(names) if _is_bound(getattr(module, n, None)))


CASES = [(m, n) for m, mod in MODULES.items() for n in _bound_names(mod)] + [
    ("rosenblatt.Tensor", n) for n in TENSOR_METHODS]


def _obj(modname, name):
    owner = rb.Tensor if modname == "rosenblatt.Tensor" else MODULES[modname]
    return getattr(owner, name)


def test_the_cases_cover_the_bound_api():
    # the lists are read from the modules: a new binding joins them, and needs its text to pass
    assert len([c for c in CASES if c[0] == "rosenblatt"]) > 250
    assert {"gelu", "layer_norm", "scaled_dot_product_attention", "one_hot"} <= set(_bound_names(nn.functional))
    assert {"vector_norm", "cross"} <= set(_bound_names(rb.linalg))


@pytest.mark.parametrize("modname,name", CASES)
def test_bound_function_is_documented(modname, name):
    obj = _obj(modname, name)
    sigs, text = _docs.split(obj.__doc__)
    assert sigs and all(s.startswith(obj.__name__ + "(") for s in sigs), f"{modname}.{name}: signatures lost: {sigs}"
    assert text.strip(), f"{modname}.{name}: no docstring beyond pybind11's signature (add it in rosenblatt/_docs)"
    assert "Example:" in text and ">>>" in text, f"{modname}.{name}: no example"
    if name not in NO_SHAPE:
        assert "Shape:" in text, f"{modname}.{name}: no Shape section"


@pytest.mark.parametrize("modname", [*MODULES, "rosenblatt.Tensor"])
def test_bound_docstring_examples_run(modname):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    parser = doctest.DocTestParser()
    failures = []
    for m, name in CASES:
        if m != modname:
            continue
        _, text = _docs.split(_obj(m, name).__doc__)
        test = parser.get_doctest(text, dict(GLOBS), f"{m}.{name}", None, 0)
        out = []
        result = runner.run(test, out=out.append)
        if result.failed:
            failures.append("".join(out))
    assert not failures, "\n".join(failures)


def test_help_shows_the_text_after_the_signature():
    doc = nn.functional.gelu.__doc__
    assert doc.startswith("gelu(input: rosenblatt._C.Tensor")  # pybind11's line stays first
    assert "Gaussian error linear unit" in pydoc.render_doc(nn.functional.gelu)
    sigs, _ = _docs.split(rb.max.__doc__)  # overloads keep their numbered signatures
    assert len(sigs) == 3 and all(s.startswith("max(") for s in sigs)


def test_add_docstr_takes_only_pybind11_functions():
    with pytest.raises(TypeError):
        _C._add_docstr(len, "text")
    with pytest.raises(TypeError):
        _C._add_docstr(lambda: None, "text")


def test_parse_expands_kinds_and_aliases():
    entries = _docs.parse("\n@@ f | ew\nDoes f.\n\nExample:\n    >>> f(1)\n\n@@ g = f\n", "m")
    assert "Shape:\n    input: ``(*)``" in entries["f"] and entries["f"].index("Shape:") < entries["f"].index("Example")
    assert entries["g"].startswith("Alias for :func:`m.f`.") and ">>> g(1)" in entries["g"]


def test_every_text_lands_on_a_bound_function():
    from rosenblatt._docs import functional, linalg, tensor, torch_level

    owners = [(rb, torch_level.DOCS), (nn.functional, functional.DOCS), (rb.linalg, linalg.DOCS),
              (rb.special, linalg.SPECIAL), (rb.Tensor, tensor.DOCS)]
    stray = [f"{getattr(o, '__name__', o)}.{n}" for o, docs in owners for n in _docs.parse(docs)
             if not _is_bound(getattr(o, n, None))]
    assert not stray, f"rosenblatt/_docs has texts for names that are not bound functions: {stray}"


def test_tensor_methods_of_documented_functions_get_their_text():
    _, text = _docs.split(rb.Tensor.cumprod.__doc__)  # no text of its own in _docs/tensor.py
    assert text.startswith("The method form of :func:`rosenblatt.cumprod`") and "cumulative product" in text
    _, text = _docs.split(rb.Tensor.exp_.__doc__)
    assert text.startswith("In-place :meth:`rosenblatt.Tensor.exp`")
    _, text = _docs.split(rb.Tensor.view.__doc__)  # its own text wins
    assert text.startswith("A view of the tensor")
