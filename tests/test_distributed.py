"""rosenblatt.distributed, DDP, SyncBatchNorm and DistributedSampler: the multi-rank scripts in
tests/distributed/ run under `mpirun -np 2 --oversubscribe` (skipped without mpi4py or mpirun);
each asserts and exits non-zero on failure. The sampler and launcher checks run in-process."""
import os
import shutil
import signal
import subprocess
import sys

import pytest

import rosenblatt as rb
from rosenblatt.utils.data.distributed import DistributedSampler

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "distributed")


def _mpirun():
    for path in (shutil.which("mpirun"), os.path.join(os.path.dirname(sys.executable), "mpirun")):
        if path and os.access(path, os.X_OK):
            return path
    return None


def _run(cmd, timeout):
    """(returncode, output) of cmd in its own session, killed whole if it outlives timeout."""
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMP_NUM_THREADS="1")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        pytest.fail(f"{' '.join(cmd)} did not finish within {timeout} s:\n{out[-3000:]}")
    return p.returncode, out


@pytest.fixture(scope="module")
def mpirun():
    pytest.importorskip("mpi4py")
    path = _mpirun()
    if path is None:
        pytest.skip("mpirun not found (pip install rosenblatt[mpi])")
    return path


def _two_ranks(mpirun, script, *args, timeout=150, extra=()):
    return _run([mpirun, "--oversubscribe", "-np", "2", *extra, sys.executable, os.path.join(HERE, script),
                 *args], timeout)


def test_collectives_float32_float64_int64_in_place(mpirun):
    rc, out = _two_ranks(mpirun, "collectives.py")
    assert rc == 0 and out.count("collectives ok") == 2, out[-3000:]


def test_collectives_without_mpi_thread_multiple(mpirun):
    # MPI started at a lower thread level: no worker thread, non-blocking calls polled by the caller
    rc, out = _two_ranks(mpirun, "collectives.py", extra=["-x", "MPI4PY_RC_THREAD_LEVEL=serialized"])
    assert rc == 0 and out.count("collectives ok") == 2, out[-3000:]


def test_timed_out_collective_still_blocked_at_exit_aborts_the_job(mpirun):
    # rank 0 catches the timeout and ends normally: its all-reduce is still blocked inside MPI, so
    # MPI_Finalize would hang; the job is aborted at exit instead
    rc, out = _two_ranks(mpirun, "timeout_exit.py", timeout=60)
    assert "CAUGHT all_reduce" in out and "still blocked in MPI; aborting the job" in out, out[-3000:]
    assert rc != 0 and "rank 1 woke" not in out, out[-3000:]


def test_ddp_matches_one_process_on_the_whole_batch(mpirun, tmp_path):
    rc, out = _two_ranks(mpirun, "ddp_train.py", str(tmp_path))
    assert rc == 0 and out.count("ddp ok") == 2, out[-3000:]
    assert sorted(os.listdir(tmp_path)) == ["ck-1.safetensors", "ck-2.safetensors"]  # written once, by rank 0


def test_killed_rank_makes_the_survivor_raise_within_the_timeout(mpirun):
    # --enable-recovery: OpenMPI 5 (PRRTE) otherwise tears the job down as soon as one rank dies,
    # so the survivor's own timeout is what this checks.
    timeout = 5.0
    rc, out = _two_ranks(mpirun, "kill_rank.py", str(timeout), timeout=90, extra=["--enable-recovery"])
    assert "finished training" not in out, out[-3000:]
    lines = [line for line in out.splitlines() if line.startswith("SURVIVOR ")]
    assert lines, out[-3000:]
    waited = float(lines[0].split()[1])
    assert timeout <= waited < timeout + 5, waited
    assert "DistBackendError" in out and "all_reduce" in out and "rank(s) [1] never joined" in out, out[-3000:]
    assert "MPI_ABORT was invoked on rank 0" in out, out[-3000:]  # the uncaught error aborted the job


def test_launcher_sets_torchrun_environment(mpirun):
    rc, out = _run([sys.executable, "-m", "rosenblatt.run", "--nproc-per-node", "2", "--oversubscribe",
                    "--mpirun", mpirun, os.path.join(HERE, "launcher_env.py"), "--flag", "value"], 120)
    assert rc == 0 and out.count("launcher ok") == 2, out[-3000:]


def test_launcher_command_line():
    from rosenblatt import run

    a = run._parser().parse_args(["--nproc-per-node", "4", "--hostfile", "hosts", "--mpirun", "/x/mpirun",
                                  "train.py", "--lr", "0.1"])
    cmd = run.mpirun_command(a)
    assert cmd[0] == "/x/mpirun" and cmd[cmd.index("--hostfile") + 1] == "hosts"
    assert cmd[cmd.index("--map-by") + 1] == "ppr:4:node" and "-np" not in cmd
    assert cmd[-5:] == ["rosenblatt.run", "--worker", "train.py", "--lr", "0.1"]
    with pytest.raises(ValueError, match="nproc-per-node"):
        run.mpirun_command(run._parser().parse_args(["--nproc-per-node", "0", "--mpirun", "m", "t.py"]))


@pytest.mark.parametrize("n,replicas,drop_last", [(10, 2, False), (11, 2, False), (11, 3, False), (11, 3, True),
                                                  (5, 4, False), (1797, 2, False)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_distributed_sampler_shards_cover_the_dataset_once(n, replicas, drop_last, shuffle):
    data = list(range(n))
    shards = []
    for r in range(replicas):
        s = DistributedSampler(data, num_replicas=replicas, rank=r, shuffle=shuffle, seed=3, drop_last=drop_last)
        s.set_epoch(1)
        shards.append(list(s))
        assert len(shards[-1]) == len(s)
    assert len({len(sh) for sh in shards}) == 1  # equal shards
    seen = [i for sh in shards for i in sh]
    if drop_last:
        assert len(seen) == len(set(seen)) == (n // replicas) * replicas
    else:
        assert set(seen) == set(data) and len(seen) == -(-n // replicas) * replicas  # padding repeats a few
        if n % replicas == 0:
            assert sorted(seen) == data  # exactly once
    if not shuffle and n > replicas:
        assert shards[0][:2] == [0, replicas]


def test_distributed_sampler_epochs_reshuffle_and_agree_across_ranks():
    data = range(100)
    a, b = DistributedSampler(data, 2, 0, seed=1), DistributedSampler(data, 2, 1, seed=1)
    first = list(a) + list(b)
    assert sorted(first) == list(range(100))
    a.set_epoch(1), b.set_epoch(1)
    second = list(a) + list(b)
    assert sorted(second) == list(range(100)) and second != first
    with pytest.raises(ValueError, match="Invalid rank"):
        DistributedSampler(data, num_replicas=2, rank=2)


def test_distributed_sampler_matches_pytorch_without_shuffle():
    pytest.importorskip("torch")
    from torch.utils.data.distributed import DistributedSampler as TorchSampler

    for n, k, drop in [(11, 3, False), (11, 3, True), (7, 2, False)]:
        for r in range(k):
            ours = list(DistributedSampler(range(n), k, r, shuffle=False, drop_last=drop))
            theirs = list(TorchSampler(range(n), k, r, shuffle=False, drop_last=drop))
            assert ours == theirs, (n, k, r, drop)


def test_api_without_a_process_group():
    import rosenblatt.distributed as dist

    assert dist.is_available() == (__import__("importlib").util.find_spec("mpi4py") is not None)
    assert not dist.is_initialized()
    with pytest.raises(ValueError, match="init_process_group"):
        dist.get_rank()
    with pytest.raises(ValueError, match="backend 'mpi'"):
        dist.init_process_group("nccl")
    with pytest.raises(RuntimeError, match="init_process_group"):
        rb.nn.parallel.DistributedDataParallel(rb.nn.Linear(2, 2))
    bn = rb.nn.SyncBatchNorm(3)  # no process group: plain batch norm
    x = rb.randn(4, 3)
    ref = rb.nn.BatchNorm1d(3)
    assert rb.allclose(bn(x), ref(x), atol=1e-6)
