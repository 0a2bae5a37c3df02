"""The process group (an MPI communicator plus a timeout) and Work (outstanding MPI requests):
every wait polls non-blocking MPI calls against a deadline, so a dead rank raises, never hangs."""
import mmap
import os
import tempfile
import time

import numpy as np

_SPIN_SECONDS = 1.0
_yield = getattr(os, "sched_yield", lambda: time.sleep(0))

# Buffers of requests abandoned by a timeout: MPI may still write into them, so they must outlive us.
_ABANDONED = []


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

    def free(self):
        self._arrivals = None  # the map closes with its last view
        self.comm.Free()


class Work:
    """What a call with async_op=True returns: wait() blocks (up to the group's timeout, counted
    from the call) and raises DistBackendError naming the call and the missing ranks."""

    def __init__(self, pg, what, requests, keep=(), finish=None, peer=None, statuses=None):
        self.pg, self.what, self.requests, self.keep = pg, what, list(requests), keep
        self.finish, self.peer, self.statuses = finish, peer, statuses
        self.seq = pg.seq
        self.deadline = time.monotonic() + pg.timeout
        self._done = False
        self._result = None

    def is_completed(self):
        """True once the call finished here; also lets MPI progress it (libnbc moves on in calls)."""
        if not self._done and self._test():
            self._complete()
        return self._done

    def _test(self):
        MPI = self.pg.MPI
        try:
            if self.statuses is not None:
                return MPI.Request.Testall(self.requests, self.statuses)
            return MPI.Request.Testall(self.requests)
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
        spin_until = time.monotonic() + _SPIN_SECONDS
        delay = 1e-5
        # OpenMPI moves a non-blocking collective along only inside MPI calls, so the first second
        # polls back to back as a blocking call would (yielding the core, for oversubscribed
        # ranks); after that, sleeps of up to 1 ms leave the core to a slow peer.
        while not self._test():
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
        _ABANDONED.append((self.requests, self.keep))
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
