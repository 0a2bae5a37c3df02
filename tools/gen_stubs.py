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


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pybind11_stubgen", "rosenblatt._C", "-o", tmp, "--ignore-all-errors"],
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
            with open(os.path.join(DEST, name), "w") as f:
                f.write(text)
            print("wrote", os.path.relpath(os.path.join(DEST, name), ROOT))


if __name__ == "__main__":
    main()
