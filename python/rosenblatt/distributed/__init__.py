"""rosenblatt.distributed: PyTorch's torch.distributed API on MPI (mpi4py). Collectives hand MPI the
tensor's own memory (numpy views share it) and honour the process group's timeout."""
import datetime
import os
import sys

import numpy as np

from .._C import Tensor
from ._group import DistBackendError, DistError, ProcessGroup, Work, _seconds

__all__ = [
    "DistBackendError", "DistError", "GroupMember", "ProcessGroup", "ReduceOp", "Work", "all_gather",
    "all_gather_into_tensor", "all_reduce", "barrier", "broadcast", "destroy_process_group", "gather", "get_backend",
    "get_rank", "get_world_size", "group", "init_process_group", "irecv", "is_available", "is_initialized",
    "is_mpi_available", "isend", "new_group", "recv", "reduce", "reduce_scatter_tensor", "scatter", "send",
]

default_pg_timeout = datetime.timedelta(minutes=30)
for _cls in (DistError, DistBackendError, ProcessGroup, Work):
    _cls.__module__ = __name__  # tracebacks name them as users import them


class ReduceOp:
    """The reductions of ``all_reduce``, ``reduce`` and ``reduce_scatter_tensor``: SUM, AVG, MAX, MIN, PRODUCT."""

    SUM, AVG, PRODUCT, MIN, MAX = "sum", "avg", "product", "min", "max"


class GroupMember:
    """``GroupMember.WORLD``: the default group (all ranks), as in PyTorch."""

    WORLD = None
    NON_GROUP_MEMBER = object()


class group:  # noqa: N801 - PyTorch's name: dist.group.WORLD
    """``group.WORLD``: the default group (all ranks), as ``torch.distributed.group.WORLD``."""

    WORLD = None


_state = {"MPI": None, "world": None, "excepthook": None, "groups": 0}


def is_available():
    """True when mpi4py (and so an MPI library) can be imported; importing it does not start MPI."""
    import importlib.util

    return importlib.util.find_spec("mpi4py") is not None


def is_mpi_available():
    """True when the MPI backend can be used (mpi4py imports)."""
    return is_available()


def is_initialized():
    """True once ``init_process_group`` has run (and ``destroy_process_group`` has not)."""
    return _state["world"] is not None


def _mpi():
    if _state["MPI"] is None:
        if not is_available():
            raise RuntimeError("rosenblatt.distributed needs mpi4py and an MPI library: pip install rosenblatt[mpi]")
        # OpenMPI reads its parameters at MPI_Init, which importing mpi4py's MPI runs. Collectives are
        # non-blocking calls (see ProcessGroup.collective); its default
        # non-blocking all-reduce for few ranks (recursive doubling) moved 64 MB at about half the
        # speed of the blocking one here; Rabenseifner's (reduce-scatter + all-gather) matched it.
        os.environ.setdefault("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "3")
        # A rank waiting on a collective spins in MPI's progress loop on the group's worker
        # thread, beside the compute threads of its own rank and of the others on the node: without
        # yielding, a DDP step of the MLP bench on 2 ranks took 35 ms instead of 11 (1 rank: 4 ms).
        os.environ.setdefault("OMPI_MCA_mpi_yield_when_idle", "1")
        from mpi4py import MPI

        _state["MPI"] = MPI
    return _state["MPI"]


def init_process_group(backend="mpi", init_method=None, timeout=None, world_size=-1, rank=-1, store=None,
                       group_name="", pg_options=None, device_id=None):
    """Joins the MPI job started by mpirun (or `python -m rosenblatt.run`). backend must be 'mpi';
    world_size and rank, when given, must match what MPI says."""
    if is_initialized():
        raise ValueError("trying to initialize the default process group twice!")
    if backend is None or str(backend).lower() != "mpi":
        raise ValueError(f"rosenblatt.distributed supports backend 'mpi' only, got {backend!r}")
    MPI = _mpi()
    world = MPI.COMM_WORLD
    if world_size not in (-1, None) and world_size != world.Get_size():
        raise ValueError(f"world_size={world_size} but MPI started {world.Get_size()} processes")
    if rank not in (-1, None) and rank != world.Get_rank():
        raise ValueError(f"rank={rank} but MPI says this process is rank {world.Get_rank()}")
    timeout = _seconds(default_pg_timeout if timeout is None else timeout)
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout} s")
    pg = ProcessGroup(MPI, world.Dup(), range(world.Get_size()), timeout, "WORLD")
    _state["world"] = group.WORLD = GroupMember.WORLD = pg
    if world.Get_size() > 1:
        _install_abort_hook(MPI)


def _install_abort_hook(MPI):
    # An uncaught exception on one rank aborts the job (as mpi4py.run does) instead of leaving the
    # others waiting on a collective this rank will never join.
    prev = sys.excepthook

    def abort_on_uncaught(exc_type, exc, tb):
        prev(exc_type, exc, tb)
        sys.stderr.flush()
        MPI.COMM_WORLD.Abort(1)

    _state["excepthook"] = prev
    sys.excepthook = abort_on_uncaught


def destroy_process_group(group=None):
    """Releases ``group`` (the default group when None, which ends distributed use)."""
    pg = _state["world"] if group is None else group
    if pg is None or pg is GroupMember.NON_GROUP_MEMBER:
        return
    if pg is _state["world"]:
        _state["world"] = globals()["group"].WORLD = GroupMember.WORLD = None
        if _state["excepthook"] is not None:
            sys.excepthook, _state["excepthook"] = _state["excepthook"], None
    pg.free()


def _pg(group):
    if _state["world"] is None:
        raise ValueError("Default process group has not been initialized, please make sure to call "
                         "init_process_group.")
    return _state["world"] if group is None else group


def get_rank(group=None):
    """This process's rank in ``group`` (the default group when None)."""
    pg = _pg(group)
    return -1 if pg is GroupMember.NON_GROUP_MEMBER else pg.ranks[pg.rank()]


def get_world_size(group=None):
    """The number of ranks in ``group`` (the default group when None)."""
    pg = _pg(group)
    return -1 if pg is GroupMember.NON_GROUP_MEMBER else pg.size()


def get_backend(group=None):
    """The backend of ``group``: ``'mpi'``."""
    _pg(group)
    return "mpi"


def new_group(ranks=None, timeout=None, backend=None, pg_options=None, use_local_synchronization=False):
    """A group of some world ranks; every rank of the world must call it (as in PyTorch)."""
    world = _pg(None)
    n = world.size()
    ranks = sorted(range(n) if ranks is None else {int(r) for r in ranks})
    for r in ranks:
        if not 0 <= r < n:
            raise ValueError(f"new_group: rank {r} is out of range for a world of size {n}")
    me = world.rank()
    comm = world.comm.Split(0 if me in ranks else world.MPI.UNDEFINED, me)
    _state["groups"] += 1
    if me not in ranks:
        return GroupMember.NON_GROUP_MEMBER
    t = world.timeout if timeout is None else _seconds(timeout)
    return ProcessGroup(world.MPI, comm, ranks, t, f"group{_state['groups']}")


# --- tensors as MPI buffers ------------------------------------------------------------------------

_MPI_OPS = {ReduceOp.SUM: "SUM", ReduceOp.AVG: "SUM", ReduceOp.PRODUCT: "PROD", ReduceOp.MIN: "MIN",
            ReduceOp.MAX: "MAX"}


def _array(t, what):
    """(numpy view of t's memory, contiguous buffer to hand MPI, copy-back needed?)."""
    if not isinstance(t, Tensor):
        raise TypeError(f"{what}: expected a Tensor, got {type(t).__name__}")
    if t.device.type != "cpu":
        raise RuntimeError(f"{what}: the MPI backend works on CPU tensors, got one on {t.device}")
    try:
        view = t.detach().numpy()
    except TypeError as e:  # bfloat16: numpy has no such type, so neither has mpi4py
        raise TypeError(f"{what}: the MPI backend does not support {t.dtype} tensors ({e}); convert to float32") from e
    if view.flags.c_contiguous:
        return view, view, False
    return view, np.ascontiguousarray(view), True


# bool tensors reduce logically, as PyTorch's: SUM and MAX are "any", PRODUCT and MIN "all"
_BOOL_OPS = {ReduceOp.SUM: "LOR", ReduceOp.MAX: "LOR", ReduceOp.PRODUCT: "LAND", ReduceOp.MIN: "LAND"}


def _op(op, what, buf=None):
    if op not in _MPI_OPS:
        raise ValueError(f"{what}: unsupported ReduceOp {op!r}")
    if buf is not None and buf.dtype == np.bool_:
        if op not in _BOOL_OPS:
            raise ValueError(f"{what}: ReduceOp {op!r} is not defined for bool tensors")
        return getattr(_state["MPI"], _BOOL_OPS[op])
    return getattr(_state["MPI"], _MPI_OPS[op])


def _finish_reduce(view, buf, copy, op, n):
    def finish(work):
        if op == ReduceOp.AVG:
            if np.issubdtype(buf.dtype, np.floating):
                buf[...] /= n
            else:
                buf[...] //= n
        if copy:
            view[...] = buf
    return finish


def _collective(pg, what, call, args, async_op, keep=(), finish=None):
    pg.arrive()
    work = pg.collective(what, call, args, keep, finish, sync=not async_op)
    if async_op:
        return work
    work.wait()
    return None


def _p2p(pg, what, start, keep, finish=None, peer=None, statuses=None):
    # point to point stays non-blocking in the caller: messages match by tag, not by call order
    return Work(pg, what, start(), keep, finish, peer, statuses)


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduces ``tensor`` over all ranks with ``op`` and leaves the result in every rank's ``tensor`` (in place).
    ``async_op=True`` returns a Work whose ``wait()`` completes it.
    """
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    view, buf, copy = _array(tensor, "all_reduce")
    mop = _op(op, "all_reduce", buf)
    return _collective(pg, "all_reduce", "Allreduce", (pg.MPI.IN_PLACE, buf, mop), async_op, (buf,),
                       _finish_reduce(view, buf, copy, op, pg.size()))


def reduce(tensor, dst=0, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduces ``tensor`` over all ranks with ``op`` into rank ``dst``'s ``tensor`` (in place)."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    view, buf, copy = _array(tensor, "reduce")
    mop, root = _op(op, "reduce", buf), pg.group_rank(dst, "reduce")
    if pg.rank() == root:
        return _collective(pg, "reduce", "Reduce", (pg.MPI.IN_PLACE, buf, mop, root), async_op, (buf,),
                           _finish_reduce(view, buf, copy, op, pg.size()))
    return _collective(pg, "reduce", "Reduce", (buf, None, mop, root), async_op, (buf,))


def broadcast(tensor, src=0, group=None, async_op=False):
    """Copies rank ``src``'s ``tensor`` into every other rank's ``tensor`` (in place)."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    view, buf, copy = _array(tensor, "broadcast")
    root = pg.group_rank(src, "broadcast")
    return _collective(pg, "broadcast", "Bcast", (buf, root), async_op, (buf,),
                       _finish_reduce(view, buf, copy, None, 1))


def barrier(group=None, async_op=False, device_ids=None):
    """Waits until every rank of ``group`` has reached the barrier."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    return _collective(pg, "barrier", "Barrier", (), async_op)


def _check_same(t, ref, what):
    if tuple(t.shape) != tuple(ref.shape) or t.dtype != ref.dtype:
        raise ValueError(f"{what}: every tensor must have shape {list(ref.shape)} and dtype {ref.dtype}, got "
                         f"{list(t.shape)} and {t.dtype}")


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    """output_tensor: the inputs of every rank concatenated along dim 0, or stacked (world, ...)."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    _, send, _ = _array(input_tensor, "all_gather_into_tensor")
    oview, obuf, copy = _array(output_tensor, "all_gather_into_tensor")
    if obuf.size != send.size * pg.size() or obuf.dtype != send.dtype:
        raise ValueError(f"all_gather_into_tensor: output of shape {list(output_tensor.shape)} must hold "
                         f"{pg.size()} inputs of shape {list(input_tensor.shape)} and the same dtype")
    return _collective(pg, "all_gather_into_tensor", "Allgather", (send, obuf), async_op, (send, obuf),
                       _finish_reduce(oview, obuf, copy, None, 1))


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """Fills ``tensor_list`` (one tensor per rank, each shaped like ``tensor``) with every rank's ``tensor``."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    _, send, _ = _array(tensor, "all_gather")
    if len(tensor_list) != pg.size():
        raise ValueError(f"all_gather: tensor_list has {len(tensor_list)} tensors for a group of {pg.size()}")
    for t in tensor_list:
        _check_same(t, tensor, "all_gather")
    recv = np.empty((pg.size(),) + send.shape, send.dtype)

    def finish(work):
        for t, part in zip(tensor_list, recv):
            t.detach().numpy()[...] = part

    return _collective(pg, "all_gather", "Allgather", (send, recv), async_op, (send, recv), finish)


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    """output: this rank's reduced block of input, whose dim 0 (or size) is world_size blocks."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    _, send, _ = _array(input, "reduce_scatter_tensor")
    oview, obuf, copy = _array(output, "reduce_scatter_tensor")
    if send.size != obuf.size * pg.size() or obuf.dtype != send.dtype:
        raise ValueError(f"reduce_scatter_tensor: input of shape {list(input.shape)} must be {pg.size()} blocks of "
                         f"the output's shape {list(output.shape)} and the same dtype")
    mop = _op(op, "reduce_scatter_tensor", send)
    return _collective(pg, "reduce_scatter_tensor", "Reduce_scatter_block", (send, obuf, mop), async_op,
                       (send, obuf), _finish_reduce(oview, obuf, copy, op, pg.size()))


def gather(tensor, gather_list=None, dst=0, group=None, async_op=False):
    """Collects every rank's ``tensor`` into ``gather_list`` on rank ``dst`` (None elsewhere)."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    _, send, _ = _array(tensor, "gather")
    root = pg.group_rank(dst, "gather")
    if pg.rank() != root:
        if gather_list:
            raise ValueError("gather: Argument ``gather_list`` must NOT be specified on non-destination ranks.")
        return _collective(pg, "gather", "Gather", (send, None, root), async_op, (send,))
    if gather_list is None or len(gather_list) != pg.size():
        raise ValueError(f"gather: the destination rank needs a gather_list of {pg.size()} tensors")
    for t in gather_list:
        _check_same(t, tensor, "gather")
    recv = np.empty((pg.size(),) + send.shape, send.dtype)

    def finish(work):
        for t, part in zip(gather_list, recv):
            t.detach().numpy()[...] = part

    return _collective(pg, "gather", "Gather", (send, recv, root), async_op, (send, recv), finish)


def scatter(tensor, scatter_list=None, src=0, group=None, async_op=False):
    """Rank ``src`` sends ``scatter_list[i]`` to rank ``i``, which receives it into ``tensor``."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    view, buf, copy = _array(tensor, "scatter")
    root = pg.group_rank(src, "scatter")
    send = None
    if pg.rank() == root:
        if scatter_list is None or len(scatter_list) != pg.size():
            raise ValueError(f"scatter: the source rank needs a scatter_list of {pg.size()} tensors")
        for t in scatter_list:
            _check_same(t, tensor, "scatter")
        send = np.stack([t.detach().numpy() for t in scatter_list])
    elif scatter_list:
        raise ValueError("scatter: Argument ``scatter_list`` must NOT be specified on non-source ranks.")
    return _collective(pg, "scatter", "Scatter", (send, buf, root), async_op, (send, buf),
                       _finish_reduce(view, buf, copy, None, 1))


# --- point to point --------------------------------------------------------------------------------

def isend(tensor, dst, group=None, tag=0):
    """Starts sending ``tensor`` to rank ``dst``; returns a Work (``wait()`` completes it)."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    _, buf, _ = _array(tensor, "send")
    peer = pg.group_rank(dst, "send")
    if peer == pg.rank():
        raise ValueError("send: Invalid destination rank: destination rank should not be the same as the rank of "
                         "the current process.")
    return _p2p(pg, f"send to rank {dst}", lambda: [pg.comm.Isend(buf, peer, tag)], (buf,), peer=dst)


def irecv(tensor, src=None, group=None, tag=0):
    """Starts receiving into ``tensor`` from rank ``src`` (any rank when None); returns a Work."""
    pg = _pg(group)
    if pg is GroupMember.NON_GROUP_MEMBER:  # PyTorch: a no-op on a rank outside the group
        return None
    view, buf, copy = _array(tensor, "recv")
    MPI = pg.MPI
    peer = MPI.ANY_SOURCE if src is None else pg.group_rank(src, "recv")
    statuses = [MPI.Status()]

    def finish(work):
        if copy:
            view[...] = buf
        return pg.ranks[statuses[0].Get_source()]

    what = "recv from any rank" if src is None else f"recv from rank {src}"
    tag = MPI.ANY_TAG if tag is None else tag
    return _p2p(pg, what, lambda: [pg.comm.Irecv(buf, peer, tag)], (buf,), finish,
                peer="any" if src is None else src, statuses=statuses)


def send(tensor, dst, group=None, tag=0):
    """Sends ``tensor`` to rank ``dst``, blocking until it is sent."""
    isend(tensor, dst, group, tag).wait()


def recv(tensor, src=None, group=None, tag=0):
    """Returns the rank that sent it."""
    return irecv(tensor, src, group, tag).result()
