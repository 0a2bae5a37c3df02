# Static typing: `mypy --strict` accepts a typical training script (tests/typing/train_mlp.py) against the
# package's annotations and the extension's stubs, and still catches real type errors in such code.
import os
import sys
import textwrap

import pytest

api = pytest.importorskip("mypy.api")

import rosenblatt as rb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def mypy_run(tmp_path_factory):
    """mypy --strict on files, against this rosenblatt (installed, or the source tree via mypy_path);
    the library's Python modules are checked for what they declare, their bodies' errors not reported;
    the extension's stubs are checked whole."""
    tmp = tmp_path_factory.mktemp("mypy")
    parent = os.path.dirname(os.path.dirname(os.path.abspath(rb.__file__)))
    ini = tmp / "mypy.ini"
    ini.write_text(textwrap.dedent(f"""\
        [mypy]
        strict = True
        cache_dir = {tmp / "cache"}
        {"mypy_path = " + parent if "site-packages" not in parent else ""}
        [mypy-rosenblatt.*]
        ignore_errors = True
        [mypy-rosenblatt._C.*]
        ignore_errors = False
        """))

    def run(*args):
        out, err, status = api.run(["--config-file", str(ini), "--python-executable", sys.executable,
                                    "--no-error-summary", "--show-error-codes", *map(str, args)])
        return status, out + err

    return run


def test_training_script_passes_mypy_strict(mypy_run):
    status, out = mypy_run(os.path.join(HERE, "typing", "train_mlp.py"))
    assert status == 0 and out.strip() == "", out


def test_extension_stubs_pass_mypy_strict(mypy_run):
    # the stubs tools/gen_stubs.py writes: no name a class member shadows, no bare generic, no untyped def
    status, out = mypy_run("-p", "rosenblatt._C")
    assert status == 0 and out.strip() == "", out


def test_mypy_catches_type_errors(mypy_run, tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(textwrap.dedent("""\
        import rosenblatt as rb
        from rosenblatt import nn, optim

        x: int = rb.zeros(3, dtype=rb.float32)
        y = rb.zeros(3, dtype="float32")
        layer = nn.Linear("8", 2)
        opt = optim.SGD(layer.parameters(), lr="fast")
        opt.zero_grad(set_to_none=1.5)
        rb.nn.NotALayer()
        """))
    status, out = mypy_run(bad)
    assert status == 1, out
    lines = [ln for ln in out.splitlines() if ": error:" in ln]
    assert {int(ln.split(":")[1]) for ln in lines} == {4, 5, 6, 7, 8, 9}, out
    assert 'incompatible type "str"; expected "dtype | None"' in out, out


def test_stub_types_dtype_as_rosenblatts_dtype():
    # the generated stubs: dtype arguments are rb.dtype (rb.float32's class), not numpy.dtype
    stub = open(os.path.join(os.path.dirname(rb.__file__), "_C", "__init__.pyi")).read()
    assert "numpy.dtype" not in stub
    assert "def zeros(*args: typing.Any, size: typing.Any = None, dtype: _dtype | None = None" in stub
    assert "_dtype: typing.TypeAlias = dtype" in stub  # (a Tensor's own .dtype shadows the class inside it)
    assert type(rb.float32) is rb.dtype
