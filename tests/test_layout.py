"""The architecture the folders promise (../shared/DESIGN.md, README "The kernel seam"): ops reach
kernels only through the per-device tables of cpp/kernels/<family>.h, kernels never include the op
layer, and the only device refusal is the seam's own (cpp/kernels/registry.h)."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
OPS = ROOT / "cpp" / "ops"
KERNELS = ROOT / "cpp" / "kernels"

# These read the C++ sources: they run in a checkout, not where tests/ was copied beside an installed wheel.
pytestmark = pytest.mark.skipif(not (ROOT / "cpp" / "kernels" / "registry.h").is_file(),
                                reason="the C++ sources are not beside these tests (an installed wheel is tested)")


def _sources(folder):
    return sorted(p for p in folder.rglob("*") if p.suffix in (".h", ".cpp", ".cu", ".cuh"))


def _includes(path):
    return re.findall(r'^\s*#\s*include\s+"([^"]+)"', path.read_text(), flags=re.M)


def test_kernels_include_nothing_from_the_op_layer():
    offenders = [f"{p.relative_to(ROOT)}: {inc}" for p in _sources(KERNELS) for inc in _includes(p)
                 if inc.startswith(("rosenblatt/ops", "rosenblatt/nn.h", "rosenblatt/autograd.h"))
                 or "/ops/" in inc or inc.startswith("../../ops")]
    assert not offenders, offenders


def test_ops_reach_kernels_only_through_the_device_tables():
    offenders = []
    for p in _sources(OPS):
        text = p.read_text()
        offenders += [f"{p.relative_to(ROOT)}: {inc}" for inc in _includes(p) if "kernels/cpu" in inc]
        offenders += [f"{p.relative_to(ROOT)}: {m}" for m in re.findall(r"\bcpu::\w+", text)]
    assert not offenders, offenders


def test_the_seam_is_the_only_device_refusal_of_the_ops():
    allowed = {
        # An optimizer's step counter is read on the host, as PyTorch keeps it on the CPU.
        ("optim.cpp", "t.device().is_cpu() && t.numel() == 1"),
        # A copy between devices: the device side of the pair does the transfer, never the host's.
        ("device.cpp", "device_runtime(dst.is_cpu() ? src.device() : dst)"),
        ("device.cpp", "non_blocking && !dst.is_cpu()"),
        # Not a refusal: ATen's index_put_ goes to masked_fill only for a one-element value on the host.
        ("indexing.cpp", "value.numel() != 1 || !value.device().is_cpu()"),
    }
    offenders = []
    for p in _sources(OPS):
        for line in p.read_text().splitlines():
            if "is_cpu()" in line or "is_cuda()" in line:
                if not any(p.name == f and snippet in line for f, snippet in allowed):
                    offenders.append(f"{p.relative_to(ROOT)}: {line.strip()}")
    assert not offenders, offenders


# The kernel headers that still take Tensor arguments (issue 11: a table's entries take data pointers
# plus a geometry struct, so a CUDA module can fill the same table); a family leaves this list when it
# is converted, and no new one joins it: every family is converted now. (The op layer builds the
# elementwise geometry from Tensors in cpp/ops/loop_geom.h.)
TENSOR_KERNEL_HEADERS: set[str] = set()


def test_kernel_tables_take_pointers_and_geometry_not_tensors():
    offenders = [p.name for p in sorted(KERNELS.glob("*.h")) if p.name not in TENSOR_KERNEL_HEADERS
                 and (re.search(r"\bTensor\b", p.read_text()) or "rosenblatt/tensor.h" in _includes(p))]
    assert not offenders, offenders


def test_every_family_table_is_registered_for_the_cpu():
    tables = set()
    for p in KERNELS.glob("*.h"):
        tables |= set(re.findall(r"^struct (\w+Kernels)\b", p.read_text(), flags=re.M))
    registered = (KERNELS / "cpu" / "register.cpp").read_text()
    missing = sorted(t for t in tables if not re.search(rf"\b{t}\b", registered))
    assert tables and not missing, missing


def test_binding_files_follow_the_op_families_one_to_one():
    # cpp/bindings/<family>.cpp binds what cpp/include/rosenblatt/ops/<family>.h declares (and
    # cpp/ops/<family>.cpp defines); the rest bind the tensor itself and the extension's plumbing.
    plumbing = {"module", "tensor", "storage", "dlpack", "config"}
    headers = {p.stem for p in (ROOT / "cpp" / "include" / "rosenblatt" / "ops").glob("*.h")}
    op_files = {p.stem for p in OPS.glob("*.cpp")}
    bindings = {p.stem for p in (ROOT / "cpp" / "bindings").glob("*.cpp")} - plumbing
    assert bindings - (headers | op_files) == set(), "binding files with no op family"
    assert headers - bindings == set(), "op families with no binding file"


def test_op_specs_lists_entries_and_keeps_no_numpy_reference_of_its_own():
    # the references live in tests/numpy_ref*.py and ctc_ref.py, so op_specs.py reads as the list of entries
    text = (ROOT / "tests" / "op_specs.py").read_text()
    own = re.findall(r"^def (_?np_\w+)\(", text, flags=re.M)
    assert not own, own
