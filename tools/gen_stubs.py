"""Regenerates the type stubs of the extension (python/rosenblatt/_C/*.pyi) with pybind11-stubgen.

Run after changing a binding:  pip install pybind11-stubgen && PYTHONPATH=python python tools/gen_stubs.py
tests/test_stubs.py fails when a bound name is missing from the stubs.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEST = os.path.join(ROOT, "python", "rosenblatt", "_C")


# pybind11-stubgen, with its FixNumpyDtype narrowed to names spelled numpy.dtype: by default it also
# turns our own class rosenblatt._C.dtype (rb.float32's class), once its module prefix is stripped,
# into numpy.dtype, and mypy then rejects every rb.zeros(3, dtype=rb.float32).
_RUN_STUBGEN = """
import sys
from pybind11_stubgen import main
from pybind11_stubgen.parser.mixins import fix
from pybind11_stubgen.structs import ResolvedType

def parse_annotation_str(self, annotation_str):
    result = super(fix.FixNumpyDtype, self).parse_annotation_str(annotation_str)
    if isinstance(result, ResolvedType) and not result.parameters and result.name[:2] == ("numpy", "dtype"):
        result.parameters = [super(fix.FixNumpyDtype, self).parse_annotation_str("typing.Any")]
    return result

fix.FixNumpyDtype.parse_annotation_str = parse_annotation_str
# The stubs type the bound functions; their texts stay in rosenblatt/_docs (attached at import),
# so they are not written a second time here: the package imports with a no-op attach.
import types
sys.modules["rosenblatt._docs"] = types.SimpleNamespace(attach=lambda: None)
sys.argv[0] = "pybind11-stubgen"
main()
"""


def _optional(m):
    kind = m.group(2)
    return m.group(0) if kind in ("typing.Any", "None", "typing.Optional") else f"{m.group(1)}{kind} | None = None"


# The Tensor methods written in Python (python/rosenblatt/_tensor.py), which stubgen sees untyped.
_PY_METHODS = {
    "__bool__": "(self) -> builtins.bool",
    "__float__": "(self) -> builtins.float",
    "__int__": "(self) -> builtins.int",
    "__index__": "(self) -> builtins.int",
    "__iter__": "(self) -> typing.Iterator[Tensor]",
    "__format__": "(self, spec: builtins.str) -> builtins.str",
    "__repr__": "(self) -> builtins.str",
    "__str__": "(self) -> builtins.str",
    "backward": "(self, gradient: Tensor | None = None, retain_graph: builtins.bool | None = None, "
                "create_graph: builtins.bool = False, inputs: typing.Any = None) -> None",
    "bool": "(self) -> Tensor",
    "cpu": "(self) -> Tensor",
    "double": "(self) -> Tensor",
    "float": "(self) -> Tensor",
    "long": "(self) -> Tensor",
    "half": "(self) -> Tensor",
    "bfloat16": "(self) -> Tensor",
    "int": "(self) -> Tensor",
    "short": "(self) -> Tensor",
    "char": "(self) -> Tensor",
    "byte": "(self) -> Tensor",
    "new_empty": "(self, *size: typing.Any, dtype: _dtype | None = None, device: _device | builtins.str | None = None, "
                 "requires_grad: builtins.bool = False) -> Tensor",
    "new_full": "(self, size: typing.Any, fill_value: Number, *, dtype: _dtype | None = None, "
                "device: _device | builtins.str | None = None, requires_grad: builtins.bool = False) -> Tensor",
    "new_tensor": "(self, data: typing.Any, *, dtype: _dtype | None = None, "
                  "device: _device | builtins.str | None = None, requires_grad: builtins.bool = False) -> Tensor",
    "__init__": "(self, *args: typing.Any) -> None",
    "apply_": "(self, callable: collections.abc.Callable[[typing.Any], typing.Any]) -> Tensor",
    "register_hook": "(self, hook: collections.abc.Callable[[Tensor], Tensor | None]) -> typing.Any",
    "register_post_accumulate_grad_hook": "(self, hook: collections.abc.Callable[[Tensor], None]) -> typing.Any",
    "to": "(self, *args: typing.Any, **kwargs: typing.Any) -> Tensor",
    "type": "(self, dtype: typing.Any = None, non_blocking: builtins.bool = False) -> typing.Any",
    "type_as": "(self, other: Tensor) -> Tensor",
    "get_device": "(self) -> builtins.int",
    "is_pinned": "(self, device: typing.Any = None) -> builtins.bool",
    "pin_memory": "(self, device: typing.Any = None) -> Tensor",
    "cuda": "(self, device: typing.Any = None, non_blocking: builtins.bool = False) -> Tensor",
    "new": "(self, *args: typing.Any, device: typing.Any = None) -> Tensor",
    "unfold": "(self, dimension: builtins.int, size: builtins.int, step: builtins.int) -> Tensor",
}
_PY_METHODS["new_ones"] = _PY_METHODS["new_zeros"] = _PY_METHODS["new_empty"]
# Our classes whose names a Tensor member shadows inside the class body (Tensor.dtype, Tensor.device),
# and builtins that members shadow (Tensor.bool, Tensor.float, dtype.bool): annotations name them
# through module-level aliases and builtins.
_ALIASES = {"dtype": "_dtype", "device": "_device"}
_BUILTINS = ("bool", "int", "float", "str", "list", "tuple", "dict", "object", "bytes")
_ANNOTATION_NAME = re.compile(r"(?:(?<=: )|(?<=-> )|(?<=\[)|(?<=\| )|(?<=, ))(\w+)\b(?![\w.]|: |\()")


def _optional(m):
    kind = m.group(2)
    return m.group(0) if kind in ("typing.Any", "None", "typing.Optional") else f"{m.group(1)}{kind} | None = None"


def _qualify(line):
    def sub(m):
        name = m.group(1)
        if m.string[m.start() - 2:m.start()] == ", " and m.string[m.end():m.end() + 2] == " =":
            return name  # an unannotated parameter with a default, not a type
        if name in _ALIASES:
            return _ALIASES[name]
        if name in _BUILTINS:
            return "builtins." + name
        return name

    # only the annotation part of an attribute line (`bool: typing.ClassVar[dtype]`), all of a def line
    head, sep, rest = line.partition(": ") if not line.lstrip().startswith("def ") else ("", "", line)
    return head + sep + _ANNOTATION_NAME.sub(sub, rest)


def _typed(text):
    """Makes the stub pass mypy --strict: names that class members shadow qualified, None defaults
    Optional, *args typed, bare generics parameterized, the Python-written Tensor methods typed."""
    # an argument defaulting to None accepts None (generator: Generator = None)
    text = re.sub(r"(\w+: )([\w.]+(?:\[[\w., ]*\])?) = None\b", _optional, text)
    text = re.sub(r"(\(|, )(\*{1,2}\w+)(?=[,)])", r"\1\2: typing.Any", text)
    for name, sig in _PY_METHODS.items():
        text = re.sub(rf"^    def {name}\(self.*\):$", f"    def {name}{sig}:", text, flags=re.M)
    out, in_doc = [], False
    for line in text.split("\n"):
        code = not in_doc and (re.match(r"\s*def ", line) or re.match(r"\s*\w+: ", line))
        if line.count('"""') % 2:
            in_doc = not in_doc
        out.append(_qualify(line) if code else line)
    text = "\n".join(out)
    text = re.sub(r"(-> |: )(?:builtins\.)?(tuple|list|dict)\b(?![\[\w.])", lambda m: "%sbuiltins.%s[%s]" % (
        m.group(1), m.group(2), {"tuple": "typing.Any, ...", "list": "typing.Any", "dict": "typing.Any, typing.Any"}[
            m.group(2)]), text)
    # a device argument also takes its name ("cpu"), converted implicitly by the binding
    text = text.replace("device: _device | None = None", "device: _device | builtins.str | None = None")
    # a py::function argument: any callable (strict mypy wants the bare generic parameterised)
    text = re.sub(r"collections\.abc\.Callable(?![\[\w])", "collections.abc.Callable[..., typing.Any]", text)
    # dtype's __repr__ (torch's spelling) replaces py::enum_'s as a plain attribute, which stubgen cannot type:
    # object's __repr__ says the same
    text = re.sub(r'    @staticmethod\n    def __repr__\(\*args: typing\.Any, \*\*kwargs: typing\.Any\):\n'
                  r'        """\n        \(self: (?:rosenblatt\._C\.)?\w+\) -> str\n        """\n', "", text)
    # an enum's __repr__ bound twice over: one signature, not two identical overloads
    text = re.sub(r"    @typing\.overload\n(    def [^\n]*\n        \.\.\.\n)    @typing\.overload\n\1", r"\1", text)
    # __eq__/__ne__ return a Tensor (elementwise) or take only their class, as object's do not
    text = re.sub(r"(    @typing\.overload)(\n    def __(eq|ne)__\(self, arg0: (Tensor|_device)\))",
                  r"\1  # type: ignore[override]\2", text)
    # Tensor: in-place methods return the tensor itself (bound as py::object, so stubgen says Any),
    # .grad is a tensor or None, .item() a Python number, .shape a tuple of ints (rosenblatt.Size)
    start, end = text.find("class Tensor:"), text.find("\nclass ", text.find("class Tensor:") + 1)
    if start >= 0:
        cls = re.sub(r"(    def (?:\w+_|__i\w+__)\(self.*\)) -> typing\.Any:", r"\1 -> Tensor:", text[start:end])
        cls = cls.replace("    def grad(self) -> typing.Any:", "    def grad(self) -> Tensor | None:")
        cls = cls.replace("    def item(self) -> typing.Any:",
                          "    def item(self) -> builtins.bool | builtins.int | builtins.float:")
        cls = cls.replace("    def shape(self) -> typing.Any:",
                          "    def shape(self) -> builtins.tuple[builtins.int, ...]:")
        text = text[:start] + cls + text[end:]
    # the submodules name the core's classes as rosenblatt._C.X: imported from it instead
    # (a class the file itself defines, as the core's memory_format, is not imported)
    used = sorted(set(re.findall(r"\brosenblatt\._C\.(\w+)", text)) - set(re.findall(r"^class (\w+)", text, re.M)))
    header = "import builtins\n"
    if used:
        text = re.sub(r"\brosenblatt\._C\.(\w+)", r"\1", text).replace("import rosenblatt._C\n", "")
        header += f"from rosenblatt._C import {', '.join(used)}\n"
    if "Number" in text:
        # what the binding's Scalar caster takes: Python numbers and numpy scalars
        header += "" if re.search(r"^import numpy$", text, re.M) else "import numpy\n"
        header += ("Number: typing.TypeAlias = typing.Union[builtins.bool, builtins.int, builtins.float, "
                   "numpy.bool_, numpy.number[typing.Any]]\n")
    if "class dtype" in text:
        text += "_dtype: typing.TypeAlias = dtype\n_device: typing.TypeAlias = device\n"
    elif "_dtype" in text or "_device" in text:
        header += "from rosenblatt._C import dtype as _dtype, device as _device\n"
    return re.sub(r"^(import typing\n)", lambda m: m.group(1) + header, text, count=1, flags=re.M)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-c", _RUN_STUBGEN, "rosenblatt._C", "-o", tmp, "--ignore-all-errors"],
                       check=True)
        src = os.path.join(tmp, "rosenblatt", "_C")
        shutil.rmtree(DEST, ignore_errors=True)
        os.makedirs(DEST)
        for name in sorted(os.listdir(src)):
            text = open(os.path.join(src, name)).read()
            # stubgen names the builtins that `max`/`min` shadow by their runtime module; drop those
            # imports and spell the references as builtins.
            text = re.sub(r"^from importlib\._bootstrap import (\w+) as (\w+)\n", "", text, flags=re.M)
            text = re.sub(r"\b_(max|min)_result\b", r"typing.Any", text)
            # a parameter named like a keyword (random_(from, to)) can only be passed positionally
            text = re.sub(r"\b(from|in|is|lambda)(: )", r"\1_\2", text)
            text = _typed(text)
            with open(os.path.join(DEST, name), "w") as f:
                f.write(text)
            print("wrote", os.path.relpath(os.path.join(DEST, name), ROOT))


if __name__ == "__main__":
    main()
