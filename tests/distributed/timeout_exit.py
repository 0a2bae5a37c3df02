"""Run under mpirun -np 2 (tests/test_distributed.py): rank 1 never joins rank 0's all-reduce; rank 0
catches the DistBackendError and returns normally, and its exit must abort the job (MPI_Abort)
instead of hanging in MPI_Finalize behind the blocked collective."""
import time

import rosenblatt as rb
import rosenblatt.distributed as dist

dist.init_process_group("mpi", timeout=1.0)
if dist.get_rank() == 0:
    try:
        dist.all_reduce(rb.ones(4))
    except dist.DistBackendError as e:
        assert "rank(s) [1] never joined" in str(e), e
        print("CAUGHT all_reduce", flush=True)
else:
    time.sleep(45)  # longer than the test waits: only the abort ends this rank in time
    print("rank 1 woke", flush=True)
