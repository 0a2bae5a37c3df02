"""Run under mpirun -np 2 --enable-recovery: rank 1 SIGKILLs itself in the middle of DDP training;
rank 0 must raise DistBackendError naming rank 1 within the timeout (argv[1] seconds), then its
uncaught exception aborts the job. Prints SURVIVOR <seconds waited> so the test can check it."""
import os
import signal
import sys
import time

import rosenblatt as rb
import rosenblatt.distributed as dist
from rosenblatt import nn

timeout = float(sys.argv[1])
dist.init_process_group("mpi", timeout=timeout)
rank = dist.get_rank()
model = nn.parallel.DistributedDataParallel(nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)))
opt = rb.optim.SGD(model.parameters(), lr=0.1)
x, y = rb.randn(16, 64), rb.randint(0, 10, (16,))
for step in range(10):
    if step == 3 and rank == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    t0 = time.monotonic()
    try:
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    except dist.DistBackendError:
        print(f"SURVIVOR {time.monotonic() - t0:.2f}", flush=True)
        raise  # uncaught: the excepthook aborts the job (MPI_Abort)
print(f"rank {rank} finished training: the kill was not noticed", flush=True)
sys.exit(3)
