"""Checks that AVX code runs only where the CPU dispatch put it: in a linked program or extension
(unstripped), every function outside a capability's namespace (cap_avx2, cap_avx512) or its private
copies (.rb_avx2, .rb_avx512) must be baseline x86-64 code, without a VEX/EVEX instruction, which a
CPU without AVX would fault on. Exits 1 listing the functions that break it.

    python tools/check_isa.py build/ci-cpp/tests/cpp/rb_cpp_tests
"""
import re
import subprocess
import sys

PRIVATE = re.compile(r"cap_avx2|cap_avx512|\.rb_avx2|\.rb_avx512")
FUNCTION = re.compile(r"^[0-9a-f]+ <(.+)>:$")
# objdump's mnemonic column: a VEX/EVEX instruction is a 'v' mnemonic (vmovss, vfmadd231ps,
# vzeroupper, ...) or names a ymm/zmm/k register
AVX = re.compile(r"^\s*[0-9a-f]+:\s+(v[a-z0-9]+\b|.*%[yz]mm\d|.*%k[0-7]\b)")


def offenders(path):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", path], capture_output=True, text=True, check=True)
    bad, current = {}, None
    for line in out.stdout.splitlines():
        m = FUNCTION.match(line)
        if m:
            current = m.group(1)
            continue
        if current and not PRIVATE.search(current) and AVX.match(line):
            bad.setdefault(current, line.strip())
    return bad


def main(paths):
    failed = False
    for path in paths:
        bad = offenders(path)
        print(f"{path}: {len(bad)} function(s) outside the capability namespaces use AVX instructions")
        for name, line in sorted(bad.items())[:40]:
            print(f"  {name}: {line}")
        failed |= bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
