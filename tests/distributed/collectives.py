"""Run under mpirun -np 2 (tests/test_distributed.py): every collective of rosenblatt.distributed
gives the right values for float32, float64 and int64, in place; any failure exits non-zero."""
import os
import threading
import time

import numpy as np

import rosenblatt as rb
import rosenblatt.distributed as dist

dist.init_process_group("mpi", timeout=60)
rank, world = dist.get_rank(), dist.get_world_size()
assert world == 2 and dist.is_initialized() and dist.get_backend() == "mpi"
# MPI4PY_RC_THREAD_LEVEL=serialized (a test of its own): no worker thread, so collectives run as
# non-blocking MPI calls polled by the caller
assert (dist.group.WORLD._worker is None) == (os.environ.get("MPI4PY_RC_THREAD_LEVEL") == "serialized")


def close(t, expected, what):
    got = t.numpy() if isinstance(t, rb.Tensor) else t
    np.testing.assert_allclose(got, expected, rtol=1e-6, err_msg=f"{what} on rank {rank}")


def base(dtype, r, shape=(2, 3)):
    # values that differ by rank and element; kept small and positive so PRODUCT stays exact
    return (np.arange(int(np.prod(shape))).reshape(shape) % 3 + 1 + r).astype(dtype)


for dt in (rb.float32, rb.float64, rb.int64):
    npdt = {rb.float32: np.float32, rb.float64: np.float64, rb.int64: np.int64}[dt]
    vals = [base(npdt, r) for r in range(world)]
    for op, ref in [(dist.ReduceOp.SUM, vals[0] + vals[1]), (dist.ReduceOp.MAX, np.maximum(*vals)),
                    (dist.ReduceOp.MIN, np.minimum(*vals)), (dist.ReduceOp.PRODUCT, vals[0] * vals[1]),
                    (dist.ReduceOp.AVG, (vals[0] + vals[1]) / 2 if dt != rb.int64 else (vals[0] + vals[1]) // 2)]:
        t = rb.tensor(vals[rank])
        ptr = t.data_ptr() if hasattr(t, "data_ptr") else None
        dist.all_reduce(t, op=op)
        close(t, ref, f"all_reduce {op} {dt}")
        assert t.dtype == dt and (ptr is None or t.data_ptr() == ptr)
        w = dist.all_reduce(rb.tensor(vals[rank]), op=op, async_op=True)
        assert w.wait()
    # non-contiguous tensor: reduced in place through a copy
    t = rb.tensor(vals[rank]).t()
    dist.all_reduce(t)
    close(t, (vals[0] + vals[1]).T, f"all_reduce non-contiguous {dt}")
    # async all_reduce on a view updates the base tensor
    full = rb.tensor(vals[rank])
    w = dist.all_reduce(full[1], async_op=True)
    w.wait()
    close(full, np.stack([vals[rank][0], vals[0][1] + vals[1][1]]), f"all_reduce view {dt}")
    # a synchronous call while async ones are outstanding: it queues behind them (one order on every rank);
    # with nothing outstanding it runs in the caller. Both give the same values.
    a, b = rb.tensor(vals[rank]), rb.tensor(vals[rank])
    works = [dist.all_reduce(a, async_op=True), dist.broadcast(b, src=0, async_op=True)]
    c = rb.tensor(vals[rank])
    dist.all_reduce(c, op=dist.ReduceOp.MAX)
    assert all(w.wait() for w in works)
    close(a, vals[0] + vals[1], f"async all_reduce before a sync one {dt}")
    close(b, vals[0], f"async broadcast before a sync all_reduce {dt}")
    close(c, np.maximum(*vals), f"sync all_reduce behind async calls {dt}")
    # the same calls where one rank's worker is idle at the synchronous call and the other's still runs the async
    # one: each rank picks where to run it by its own timing, which must not change what MPI is asked (a blocking
    # and a non-blocking all-reduce never match)
    a, c = rb.tensor(vals[rank]), rb.tensor(vals[rank])
    if rank == 0:
        time.sleep(0.2)
        dist.all_reduce(a, async_op=True).wait()
        dist.all_reduce(c)
    else:
        w = dist.all_reduce(a, async_op=True)
        dist.all_reduce(c)
        w.wait()
    close(a, vals[0] + vals[1], f"async all_reduce, uneven ranks {dt}")
    close(c, vals[0] + vals[1], f"sync all_reduce, uneven ranks {dt}")
    # reduce to rank 1
    t = rb.tensor(vals[rank])
    dist.reduce(t, dst=1)
    if rank == 1:
        close(t, vals[0] + vals[1], f"reduce {dt}")
    # broadcast from 1
    t = rb.tensor(vals[rank])
    dist.broadcast(t, src=1)
    close(t, vals[1], f"broadcast {dt}")
    # all_gather (list) and all_gather_into_tensor (concatenated and stacked)
    outs = [rb.zeros(2, 3, dtype=dt) for _ in range(world)]
    dist.all_gather(outs, rb.tensor(vals[rank]))
    for r in range(world):
        close(outs[r], vals[r], f"all_gather {dt}")
    cat = rb.zeros(4, 3, dtype=dt)
    dist.all_gather_into_tensor(cat, rb.tensor(vals[rank]))
    close(cat, np.concatenate(vals), f"all_gather_into_tensor {dt}")
    stk = rb.zeros(2, 2, 3, dtype=dt)
    dist.all_gather_into_tensor(stk, rb.tensor(vals[rank]), async_op=True).wait()
    close(stk, np.stack(vals), f"all_gather_into_tensor stacked {dt}")
    # reduce_scatter_tensor: rank r gets block r of the sum
    big = [np.concatenate([vals[r], vals[r] * 2]) for r in range(world)]
    out = rb.zeros(2, 3, dtype=dt)
    dist.reduce_scatter_tensor(out, rb.tensor(big[rank]))
    close(out, (big[0] + big[1])[2 * rank:2 * rank + 2], f"reduce_scatter_tensor {dt}")
    # gather to 0, scatter from 0
    t = rb.tensor(vals[rank])
    if rank == 0:
        gl = [rb.zeros(2, 3, dtype=dt) for _ in range(world)]
        dist.gather(t, gl, dst=0)
        for r in range(world):
            close(gl[r], vals[r], f"gather {dt}")
        dist.scatter(t, [rb.tensor(vals[1] * 3), rb.tensor(vals[0] * 5)], src=0)
        close(t, vals[1] * 3, f"scatter {dt}")
    else:
        dist.gather(t, dst=0)
        dist.scatter(t, src=0)
        close(t, vals[0] * 5, f"scatter {dt}")
    # send / recv (and the sender's rank comes back)
    if rank == 0:
        dist.send(rb.tensor(vals[0] * 7), dst=1)
        t = rb.zeros(2, 3, dtype=dt)
        assert dist.recv(t, src=1) == 1
        close(t, vals[1] * 11, f"recv {dt}")
    else:
        t = rb.zeros(2, 3, dtype=dt)
        assert dist.recv(t) == 0
        close(t, vals[0] * 7, f"recv {dt}")
        dist.isend(rb.tensor(vals[1] * 11), dst=0).wait()

# while a rank waits in a collective, other Python threads run (the wait does not hold the GIL)
count, stop = [0], threading.Event()


def spin():
    while not stop.is_set():
        count[0] += 1


if rank == 1:
    time.sleep(1.0)  # rank 0 waits about a second in all_reduce
th = threading.Thread(target=spin)
th.start()
dist.all_reduce(rb.ones(4))
stop.set()
th.join()
if rank == 0:
    assert count[0] > 1000, count[0]

# the new storage dtypes: float16 and int32 sum, bool reduces logically, bfloat16 is refused clearly
h = rb.tensor([1.5, 2.0], dtype=rb.float16) * (rank + 1)
dist.all_reduce(h)
close(h.float(), [4.5, 6.0], "all_reduce float16")
i32 = rb.tensor([rank + 1, 7], dtype=rb.int32)
dist.all_reduce(i32, op=dist.ReduceOp.MAX)
assert i32.tolist() == [2, 7] and i32.dtype == rb.int32
flags = rb.tensor([rank == 0, False, True])
dist.all_reduce(flags)
assert flags.tolist() == [True, False, True]
flags = rb.tensor([rank == 0, True])
dist.all_reduce(flags, op=dist.ReduceOp.MIN)
assert flags.tolist() == [False, True]
try:
    dist.all_reduce(rb.ones(2, dtype=rb.bfloat16))
except TypeError as e:
    assert "bfloat16" in str(e)
else:
    raise AssertionError("bfloat16 was not refused")

dist.barrier()
# a parameter that requires grad is reduced in its storage, as in PyTorch (under no_grad)
p = rb.nn.Parameter(rb.ones(3) * (rank + 1))
with rb.no_grad():
    dist.all_reduce(p)
close(p.detach(), np.full(3, 3.0), "all_reduce Parameter")

# bad input: clear Python exceptions
for call, exc in [(lambda: dist.all_reduce([1.0]), TypeError), (lambda: dist.broadcast(rb.ones(2), src=5), ValueError),
                  (lambda: dist.all_reduce(rb.ones(2), op="mean"), ValueError),
                  (lambda: dist.all_gather_into_tensor(rb.zeros(3), rb.ones(2)), ValueError),
                  (lambda: dist.send(rb.ones(1), dst=rank), ValueError),
                  (lambda: dist.init_process_group("mpi"), ValueError)]:
    try:
        call()
    except exc:
        pass
    else:
        raise AssertionError(f"expected {exc.__name__}")

# groups: a group of rank 1 alone, and the whole world again
g1 = dist.new_group([1])
if rank == 1:
    assert dist.get_world_size(g1) == 1 and dist.get_rank(g1) == 1
    t = rb.ones(2)
    dist.all_reduce(t, group=g1)
    close(t, np.ones(2), "group all_reduce")
else:
    assert dist.get_rank(g1) == -1
    assert dist.all_reduce(rb.ones(2), group=g1) is None
g = dist.new_group()
t = rb.tensor([float(rank)])
dist.all_reduce(t, group=g)
close(t, [1.0], "new_group all_reduce")
dist.destroy_process_group(g)

# timeouts: rank 0 waits 1 s on a barrier and a recv rank 1 joins late; it raises DistBackendError
# naming the call and rank 1, and the late arrival later completes them (the group stays usable)
late = dist.new_group(timeout=1.0)
if rank == 0:
    t0 = time.monotonic()
    try:
        dist.barrier(group=late)
    except dist.DistBackendError as e:
        assert "barrier" in str(e) and "rank(s) [1] never joined" in str(e) and 1.0 <= time.monotonic() - t0 < 4, e
    else:
        raise AssertionError("barrier did not time out")
    try:
        dist.recv(rb.zeros(2), src=1, group=late)
    except dist.DistBackendError as e:
        assert "recv from rank 1" in str(e) and "rank 1 did not answer" in str(e), e
    else:
        raise AssertionError("recv did not time out")
    dist.barrier()  # WORLD: rank 1 is now allowed to catch up on `late`
else:
    dist.barrier()
    dist.barrier(group=late)
    dist.send(rb.ones(2), dst=0, group=late)
dist.barrier()
dist.destroy_process_group()
assert not dist.is_initialized()
print(f"rank {rank}: collectives ok", flush=True)
