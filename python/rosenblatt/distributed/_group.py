"""The process group (an MPI communicator plus a timeout) and Work (an outstanding call): collectives
are MPI's non-blocking calls, waited on by the group's worker thread, or polled by the caller (where
MPI lacks MPI_THREAD_MULTIPLE, and for a synchronous call while the worker is idle); either way a
wait has a deadline, so a dead rank raises."""
import _thread
import atexit
import mmap
import os
import queue
import sys
import tempfile
import threading
import time

import numpy as np

_SPIN_SECONDS = 1.0
_SPIN_TESTS = 32
_yield = getattr(os, "sched_yield", lambda: time.sleep(0))

# Requests (and their buffers) abandoned by a timeout: MPI may still write into the buffers, so they
# must outlive us, and a request still open at exit makes MPI_Finalize hang (see _abort_if_blocked).
_ABANDONED = []
_AT_EXIT = {"registered": False, "workers": []}


class DistError(RuntimeError):
    """PyTorch's torch.distributed.DistError."""


class DistBackendError(DistError):
    """Raised when a collective or point-to-point call did not complete within the group's timeout."""


class ProcessGroup:
    """A set of ranks sharing an MPI communicator. ranks: their ranks in the world group."""

    def __init__(self, MPI, comm, ranks, timeout, name):
        self.MPI, self.comm, self.ranks, self.timeout, self.name = MPI, comm, list(ranks), float(timeout), name
        self._group_rank = {g: i for i, g in enumerate(self.ranks)}
        self.seq = 0  # collectives this rank has entered on the group
        self._arrivals = self._arrival_table()
        self._worker = _Worker(name) if MPI.Query_thread() >= MPI.THREAD_MULTIPLE else None

    def rank(self):
        return self.comm.Get_rank()

    def size(self):
        return self.comm.Get_size()

    def group_rank(self, global_rank, what):
        if global_rank not in self._group_rank:
            raise ValueError(f"{what}: rank {global_rank} is not part of the process group {self.name} ({self.ranks})")
        return self._group_rank[global_rank]

    def _arrival_table(self):
        # Where every rank shares the node, one int64 per rank in a shared memory file records how
        # many collectives it has entered: a timed-out rank reads it to name who never arrived.
        # (A plain mmap rather than an MPI shared window: OpenMPI's one-sided components print
        # warnings on machines without UCX.) Across nodes there is no table and the error names
        # every other rank as a suspect.
        MPI = self.MPI
        node = self.comm.Split_type(MPI.COMM_TYPE_SHARED)
        same_node = node.Get_size() == self.comm.Get_size()
        node.Free()
        if not same_node:
            return None
        path = None
        if self.rank() == 0:
            folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
            fd, path = tempfile.mkstemp(prefix="rosenblatt-dist-", dir=folder)
            os.ftruncate(fd, 8 * self.size())
            os.close(fd)
        path = self.comm.bcast(path, root=0)
        with open(path, "r+b") as f:
            self._map = mmap.mmap(f.fileno(), 8 * self.size())
        self.comm.Barrier()  # everyone has it mapped: the name can go
        if self.rank() == 0:
            os.unlink(path)
        return np.frombuffer(self._map, dtype=np.int64)

    def arrive(self):
        self.seq += 1
        if self._arrivals is not None:
            self._arrivals[self.rank()] = self.seq

    def missing(self, seq):
        """Global ranks that have not entered collective number seq (all others when unknown)."""
        me = self.rank()
        if self._arrivals is None:
            return [g for i, g in enumerate(self.ranks) if i != me], False
        return [self.ranks[i] for i in range(len(self.ranks)) if i != me and int(self._arrivals[i]) < seq], True

    def collective(self, what, call, args, keep=(), finish=None, sync=False):
        """Starts ``comm.<call>(*args)`` (an mpi4py blocking collective's name, e.g. ``Allreduce``).
        sync: the caller waits for it at once (async_op=False)."""
        # Every collective is MPI's non-blocking form (MPI_Iallreduce and friends): a non-blocking call
        # never matches a blocking one on another rank (MPI 3.1, 5.12), and whether a call runs here or
        # on the worker is this rank's own timing. It is moved along by the caller's polling where MPI
        # lacks THREAD_MULTIPLE, and for a call the caller waits on anyway while the worker has nothing
        # queued (so this rank's order of calls is kept); that saves the hop to the worker and back,
        # two thread wake-ups (a 1 MB all-reduce, 2 ranks here: 141-168 us through the worker, 115
        # polled, 118 for mpi4py's blocking call). Otherwise the worker starts it and waits on it.
        start = getattr(self.comm, "I" + call.lower())
        if self._worker is None or (sync and self._worker.idle()):
            return Work(self, what, [start(*args)], keep, finish)
        work = Work(self, what, (), keep, finish, job=_Job(_start_and_wait, (start, args)))
        self._worker.submit(work.job)  # last: the caller waits right after, when the worker wakes
        return work

    def free(self):
        self._arrivals = None  # the map closes with its last view
        if self._worker is None:
            self.comm.Free()
            return
        # after the collectives still queued; a worker blocked in MPI by a dead peer keeps the communicator
        job = _Job(self.comm.Free, ())
        self._worker.submit(job)
        if job.done.acquire(True, self.timeout):
            self._worker.stop()


def _start_and_wait(start, args):
    start(*args).Wait()


class _Worker:
    """A thread running one group's collectives, each started and waited on (mpi4py releases the GIL
    inside the wait, which moves the call along while the caller computes), in the order they were
    submitted, which is the order every rank must issue them in."""

    def __init__(self, name):
        self._jobs = queue.SimpleQueue()
        self.current = None  # the job inside MPI now
        # jobs submitted (written by the submitting thread only) and finished (by the worker only)
        self.submitted = self.finished = 0
        threading.Thread(target=self._loop, daemon=True, name=f"rosenblatt-mpi-{name}").start()

    def submit(self, job):
        self.submitted += 1
        self._jobs.put(job)

    def idle(self):
        """Nothing queued or running (asked by the thread that submits)."""
        return self.finished == self.submitted

    def stop(self):
        self._jobs.put(None)

    def _loop(self):
        while (job := self._jobs.get()) is not None:
            self.current = job
            try:
                job.fn(*job.args)
            except BaseException as e:  # noqa: BLE001 - handed to the waiting caller
                job.error = e
            self.current = None
            self.finished += 1
            job.done.release()


class _Job:
    """One call for the worker. done: a raw lock held until the call returns (waking on it costs one
    futex, much less than an Event's condition variable: it showed at 1 MB)."""

    __slots__ = ("fn", "args", "done", "error")

    def __init__(self, fn, args):
        self.fn, self.args, self.error = fn, args, None
        self.done = _thread.allocate_lock()
        self.done.acquire()


def _abort_if_blocked(MPI):  # noqa: N803 - the mpi4py module
    # A collective that timed out cannot be cancelled: still open (on a worker thread or as a request)
    # at exit, MPI_Finalize would hang with it, so the job ends instead. A point-to-point request that
    # timed out is cancelled, and ends the job only if that fails.
    def still_open(requests, p2p):
        try:
            if p2p:
                for r in requests:
                    if r != MPI.REQUEST_NULL:  # a request tested complete since is null
                        r.Cancel()
            return not MPI.Request.Testall(requests)
        except MPI.Exception:  # an MPI with fault tolerance reports the dead peer here: open for good
            return True

    if any(still_open(requests, p2p) for requests, _, p2p in _ABANDONED if requests) or any(
            w.current is not None for w in _AT_EXIT["workers"]):
        print("rosenblatt.distributed: a collective that timed out is still blocked in MPI; aborting the job "
              "(MPI_Abort)", file=sys.stderr, flush=True)
        MPI.COMM_WORLD.Abort(1)


class Work:
    """What a call with async_op=True returns: wait() blocks (up to the group's timeout, counted
    from the call) and raises DistBackendError naming the call and the missing ranks."""

    def __init__(self, pg, what, requests, keep=(), finish=None, peer=None, statuses=None, job=None):
        self.pg, self.what, self.requests, self.keep = pg, what, list(requests), keep
        self.finish, self.peer, self.statuses, self.job = finish, peer, statuses, job
        self.seq = pg.seq
        self.deadline = time.monotonic() + pg.timeout
        self._done = False
        self._result = None

    def is_completed(self):
        """True once the call finished here; also lets MPI progress it (libnbc moves on in calls)."""
        if not self._done and self._test():
            self._complete()
        return self._done

    def _test(self, tries=1, block=False, timeout=-1):
        """Done? Up to `tries` tests of the requests back to back (the worker's job: one look)."""
        MPI = self.pg.MPI
        try:
            if self.job is not None:
                if not self.job.done.acquire(block, timeout):
                    return False
                if self.job.error is not None:
                    raise self.job.error
                return True
            requests, statuses = self.requests, self.statuses
            for _ in range(tries):
                if MPI.Request.Testall(requests) if statuses is None else MPI.Request.Testall(requests, statuses):
                    return True
            return False
        except MPI.Exception as e:  # an MPI with fault tolerance (ULFM) reports a dead peer itself
            pg = self.pg
            raise DistBackendError(f"rosenblatt.distributed: {self.what} (collective #{self.seq} on process group "
                                   f"{pg.name}, ranks {pg.ranks}) failed on rank {pg.ranks[pg.rank()]}: "
                                   f"{e.Get_error_string()}") from e

    def _complete(self):
        self._done = True
        if self.finish is not None:
            self._result = self.finish(self)
        self.keep = ()

    def wait(self, timeout=None):
        if self._done:
            return True
        deadline = self.deadline if timeout is None else time.monotonic() + _seconds(timeout)
        if self.job is not None:  # the worker thread runs it: sleep until it is done or the deadline
            if not self._test(1, True, max(0.0, min(deadline - time.monotonic(), threading.TIMEOUT_MAX))):
                self._timed_out(self.pg.timeout if timeout is None else _seconds(timeout))
            self._complete()
            return True
        spin_until = time.monotonic() + _SPIN_SECONDS
        delay = 1e-5
        # OpenMPI moves a non-blocking collective along only inside MPI calls, so the first second
        # polls back to back as a blocking call would, _SPIN_TESTS tests between looks at the clock
        # and yields of the core (for oversubscribed ranks): a test per yield and clock read made a
        # 1 MB all-reduce 16 us slower than a bare test loop (2 ranks here). After that second,
        # sleeps of up to 1 ms leave the core to a slow peer.
        while not self._test(_SPIN_TESTS):
            now = time.monotonic()
            if now >= deadline:
                self._timed_out(self.pg.timeout if timeout is None else _seconds(timeout))
            if now < spin_until:
                _yield()
            else:
                time.sleep(delay)
                delay = min(2 * delay, 1e-3)
        self._complete()
        return True

    def _timed_out(self, waited):
        _ABANDONED.append((self.requests, self.keep, self.peer is not None))
        if self.job is not None:
            _AT_EXIT["workers"].append(self.pg._worker)
        if not _AT_EXIT["registered"]:
            _AT_EXIT["registered"] = True
            atexit.register(_abort_if_blocked, self.pg.MPI)
        pg = self.pg
        me = pg.ranks[pg.rank()]
        if self.peer is not None:
            who = f"rank {self.peer} did not answer"
        else:
            missing, known = pg.missing(self.seq)
            if known and missing:
                who = f"rank(s) {missing} never joined it (they died, hang, or run other code)"
            elif known:
                who = "every rank joined it, but it did not complete (a rank died inside it?)"
            else:
                who = f"waiting on rank(s) {missing} (one of them died, hangs, or runs other code)"
        raise DistBackendError(
            f"rosenblatt.distributed: {self.what} (collective #{self.seq} on process group {pg.name}, ranks "
            f"{pg.ranks}) timed out after {waited:.1f} s on rank {me}: {who}")

    def result(self):
        self.wait()
        return self._result


def _seconds(timeout):
    return timeout.total_seconds() if hasattr(timeout, "total_seconds") else float(timeout)
