"""Runs each atheris target of tests/fuzz for a few seconds when atheris is installed (CI runs them for
longer in .ci/run): a crash, an unexpected exception or a wrong value fails the test with libFuzzer's report."""
import glob
import os

import pytest

from conftest import run_python

TARGETS = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "fuzz_*.py")))
SECONDS = int(os.environ.get("RB_ATHERIS_SECONDS", "4"))
# .ci/run runs the targets for longer on their own, and reruns the suite per CPU capability without them.
RERUN = bool(os.environ.get("RB_CPU_CAPABILITY"))


def test_the_targets_are_found():
    assert {os.path.basename(t) for t in TARGETS} >= {"fuzz_load.py", "fuzz_numpy.py"}


@pytest.mark.parametrize("target", TARGETS, ids=[os.path.basename(t) for t in TARGETS])
def test_target_runs_clean(target, tmp_path):
    pytest.importorskip("atheris")
    if RERUN:
        pytest.skip("already run against this build's best kernels (the targets fuzz the loaders, not the kernels)")
    r = run_python(target, f"-max_total_time={SECONDS}", "-rss_limit_mb=4096", cwd=tmp_path, timeout=SECONDS + 240)
    assert r.returncode == 0, r.stderr[-4000:]
    assert "Done" in r.stderr and "runs in" in r.stderr, r.stderr[-2000:]
