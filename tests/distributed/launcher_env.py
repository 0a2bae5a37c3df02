"""Run by `python -m rosenblatt.run --nproc-per-node 2`: the torchrun-style environment is set and
agrees with the MPI ranks; argv reaches the script."""
import os
import sys

import rosenblatt as rb
import rosenblatt.distributed as dist

dist.init_process_group("mpi", timeout=60)
rank, world = dist.get_rank(), dist.get_world_size()
assert sys.argv[1:] == ["--flag", "value"], sys.argv
assert int(os.environ["RANK"]) == rank and int(os.environ["WORLD_SIZE"]) == world == 2, os.environ
assert int(os.environ["LOCAL_RANK"]) == rank and int(os.environ["LOCAL_WORLD_SIZE"]) == 2
assert os.environ["MASTER_ADDR"] and os.environ["MASTER_PORT"]
t = rb.tensor([float(rank + 1)])
dist.all_reduce(t)
assert t.item() == 3.0
print(f"rank {rank}: launcher ok", flush=True)
dist.destroy_process_group()
