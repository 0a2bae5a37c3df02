"""Run under mpirun -np 2: the digits MLP and CNN trained with DistributedDataParallel, each rank on
half of every batch, end with the same parameters as one process on the whole batch; also
no_sync, find_unused_parameters, several buckets, SyncBatchNorm and rb.fit under DDP."""
import io
import os
import sys

import numpy as np

import rosenblatt as rb
import rosenblatt.distributed as dist
from rosenblatt import nn
from rosenblatt.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("mpi", timeout=60)
rank, world = dist.get_rank(), dist.get_world_size()
assert world == 2
x_all, y_all = rb.datasets.load_digits("train")
x_all, y_all = x_all.numpy(), y_all.numpy()


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))


def cnn(bn=False):
    layers = [nn.Conv2d(1, 8, 3, padding=1)] + ([nn.BatchNorm2d(8)] if bn else []) + [
        nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(16 * 16, 10)]
    return nn.Sequential(*layers)


def params(model):
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def same(a, b, what, rtol=1e-4, atol=2e-5):
    assert a.keys() == b.keys(), (a.keys(), b.keys())
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=rtol, atol=atol, err_msg=f"{what}: {k} on rank {rank}")


def batch(step, n=64):
    rows = np.random.default_rng(step).choice(len(y_all), n, replace=False)
    return x_all[rows], y_all[rows]


def train_both(make, steps=20, opt=lambda p: rb.optim.SGD(p, lr=0.1, momentum=0.9), **ddp_kw):
    """(DDP model after `steps` on half batches, one-process model after `steps` on whole batches)."""
    rb.manual_seed(100 + rank)  # different initial weights per rank: DDP must broadcast rank 0's
    model = make()
    ddp = DDP(model, **ddp_kw)
    ref = make()
    ref.load_state_dict(model.state_dict())  # rank 0's weights, as DDP broadcast them
    o_ddp, o_ref = opt(ddp.parameters()), opt(ref.parameters())
    loss_fn = nn.CrossEntropyLoss()
    for step in range(steps):
        xb, yb = batch(step)
        half = slice(rank * 32, rank * 32 + 32)
        o_ddp.zero_grad()
        loss_fn(ddp(rb.from_numpy(xb[half].copy())), rb.from_numpy(yb[half].copy())).backward()
        o_ddp.step()
        o_ref.zero_grad()
        loss_fn(ref(rb.from_numpy(xb)), rb.from_numpy(yb)).backward()
        o_ref.step()
    return ddp, ref


# 1. the parameters were broadcast from rank 0 at construction
rb.manual_seed(rank)
m = mlp()
w0 = m[1].weight.detach().numpy().copy()
DDP(m)
got = rb.zeros(2, 32, 64)
dist.all_gather_into_tensor(got, m[1].weight.detach())
np.testing.assert_array_equal(got.numpy()[0], got.numpy()[1])
if rank == 0:
    np.testing.assert_array_equal(w0, got.numpy()[0])

# 2. MLP and CNN: DDP on halves == one process on the whole batch after 20 steps; the wide MLP's
# first weight (64 x 4200 float32 = 1.03 MB, the first bucket's cap) is reduced in its own .grad memory (a direct
# bucket), after the bucket of the gradients before it
wide = lambda: nn.Sequential(nn.Flatten(), nn.Linear(64, 4200), nn.ReLU(), nn.Linear(4200, 10))  # noqa: E731
for name, make in [("mlp", mlp), ("cnn", cnn), ("wide mlp", wide)]:
    ddp, ref = train_both(make)
    same(params(ddp.module), params(ref), name)
    assert list(ddp.state_dict())[0].startswith("module.")
    assert any(b.direct for b in ddp._buckets) == (name == "wide mlp")
    if name == "wide mlp":  # one bucket of the small gradients, then the big weight on its own
        assert [(b.indices, b.direct) for b in ddp._buckets] == [([3, 2, 1], False), ([0], True)], ddp._buckets

# 3. several small buckets (all-reduce started from the hooks while backward runs), Adam
ddp, ref = train_both(cnn, steps=5, opt=lambda p: rb.optim.Adam(p, lr=1e-3), bucket_cap_mb=0.005)
assert len(ddp._buckets) > 2, len(ddp._buckets)
same(params(ddp.module), params(ref), "cnn, small buckets")

# 4. no_sync: two local micro-batches, then a synced one, equal the whole batch's summed gradient
rb.manual_seed(7)
model, ref = mlp(), mlp()
ddp = DDP(model)
ref.load_state_dict(model.state_dict())
loss_fn = nn.CrossEntropyLoss(reduction="sum")
xb, yb = batch(99, 96)
parts = [slice(0, 16), slice(16, 32), slice(32, 48)]  # rank 0's three micro-batches; rank 1's: +48
with ddp.no_sync():
    for p in parts[:2]:
        s = slice(p.start + 48 * rank, p.stop + 48 * rank)
        loss_fn(ddp(rb.from_numpy(xb[s].copy())), rb.from_numpy(yb[s].copy())).backward()
local = model[1].weight.grad.numpy().copy()
s = slice(parts[2].start + 48 * rank, parts[2].stop + 48 * rank)
loss_fn(ddp(rb.from_numpy(xb[s].copy())), rb.from_numpy(yb[s].copy())).backward()
loss_fn(ref(rb.from_numpy(xb)), rb.from_numpy(yb)).backward()
for (k, p), q in zip(model.named_parameters(), ref.parameters()):
    np.testing.assert_allclose(p.grad.numpy() * 2, q.grad.numpy(), rtol=1e-4, atol=1e-4, err_msg=f"no_sync {k}")
assert not np.allclose(local * 2, model[1].weight.grad.numpy(), atol=1e-3)  # it did change at the sync


# 5. find_unused_parameters: rank 1 skips a branch; its gradient is rank 0's / 2 there
class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(4, 2), nn.Linear(4, 2)

    def forward(self, x, use_b):
        return self.a(x) + self.b(x) if use_b else self.a(x)


rb.manual_seed(3)
net = Branchy()
ddp = DDP(net, find_unused_parameters=True)
xin = rb.ones(3, 4)
for _ in range(2):  # twice: the second iteration must not see the first as unfinished
    net.zero_grad()
    ddp(xin, use_b=(rank == 0)).sum().backward()
    np.testing.assert_allclose(net.b.weight.grad.numpy(), np.full((2, 4), 1.5), rtol=1e-6)
    np.testing.assert_allclose(net.a.weight.grad.numpy(), np.full((2, 4), 3.0), rtol=1e-6)
# without it, an unused parameter is reported at the next forward (PyTorch's message)
ddp = DDP(Branchy())
ddp(xin, use_b=False).sum().backward()
try:
    ddp(xin, use_b=False)
except RuntimeError as e:
    assert "find_unused_parameters=True" in str(e)
else:
    raise AssertionError("an unfinished reduction was not reported")

# 6. SyncBatchNorm: the CNN with batch norm on halves == BatchNorm on the whole batch
rb.manual_seed(11)
base = cnn(bn=True)
ref = cnn(bn=True)
ref.load_state_dict(base.state_dict())
ddp = DDP(nn.SyncBatchNorm.convert_sync_batchnorm(base))
assert isinstance(ddp.module[1], nn.SyncBatchNorm)
o1, o2 = rb.optim.SGD(ddp.parameters(), lr=0.05), rb.optim.SGD(ref.parameters(), lr=0.05)
for step in range(5):
    xb, yb = batch(step)
    half = slice(rank * 32, rank * 32 + 32)
    o1.zero_grad()
    nn.functional.cross_entropy(ddp(rb.from_numpy(xb[half].copy())), rb.from_numpy(yb[half].copy())).backward()
    o1.step()
    o2.zero_grad()
    nn.functional.cross_entropy(ref(rb.from_numpy(xb)), rb.from_numpy(yb)).backward()
    o2.step()
same(params(ddp.module), params(ref), "SyncBatchNorm", rtol=1e-3, atol=1e-4)

# 7. rb.fit unchanged under DDP with a DistributedSampler; checkpoints only on rank 0; same weights
rb.manual_seed(5 + rank)
ds = rb.utils.data.TensorDataset(rb.from_numpy(x_all), rb.from_numpy(y_all))
sampler = rb.utils.data.distributed.DistributedSampler(ds, shuffle=True, seed=1)
loader = rb.utils.data.DataLoader(ds, batch_size=32, sampler=sampler)
model = DDP(mlp())
ck = rb.train.ModelCheckpoint(os.path.join(sys.argv[1], "ck-{epoch}.safetensors"), monitor="loss",
                              save_best_only=False)


class Terminal(io.StringIO):
    """A stdout that says it is a terminal, so fit would draw its progress bar."""

    def isatty(self):
        return True


out, sys.stdout = sys.stdout, Terminal()
try:
    hist = rb.fit(model, loader, nn.CrossEntropyLoss(), rb.optim.SGD(model.parameters(), lr=0.1), epochs=2,
                  callbacks=[ck], verbose=True)
finally:
    shown, sys.stdout = sys.stdout.getvalue(), out
assert ("epoch 2/2" in shown) == (rank == 0), shown[-500:]  # the progress bar: rank 0 only
assert (len(ck.saved) == 2) == (rank == 0), ck.saved
mine = np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])
both = rb.zeros(2, mine.size)
dist.all_gather_into_tensor(both, rb.from_numpy(mine))
np.testing.assert_array_equal(both.numpy()[0], both.numpy()[1])
loss = rb.tensor([hist.history["loss"][-1]], dtype=rb.float64)
gathered = rb.zeros(2, dtype=rb.float64)
dist.all_gather_into_tensor(gathered, loss)
assert gathered[0].item() == gathered[1].item()  # logs are averaged over the ranks
assert hist.history["loss"][-1] < hist.history["loss"][0]

# 8. rb.gan.GAN.fit with both networks under DDP: every rank ends with the same weights and logs
rb.manual_seed(20 + rank)  # different noise per rank; DDP keeps the weights equal
G = DDP(nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 8)))
D = DDP(nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1)))
gan = rb.gan.GAN(G, D, 3, g_optimizer=rb.optim.Adam(G.parameters(), lr=1e-3),
                 d_optimizer=rb.optim.Adam(D.parameters(), lr=1e-3))
real = rb.utils.data.TensorDataset(rb.from_numpy(np.random.default_rng(0).normal(size=(64, 8)).astype(np.float32)))
gan_loader = rb.utils.data.DataLoader(real, batch_size=16,
                                      sampler=rb.utils.data.distributed.DistributedSampler(real, seed=2))
gh = gan.fit(gan_loader, epochs=2, verbose=False)
for net in (G, D):
    mine = np.concatenate([p.detach().numpy().ravel() for p in net.parameters()])
    both = rb.zeros(2, mine.size)
    dist.all_gather_into_tensor(both, rb.from_numpy(mine))
    np.testing.assert_array_equal(both.numpy()[0], both.numpy()[1])
g_loss = rb.tensor([gh.history["g_loss"][-1]], dtype=rb.float64)
gathered = rb.zeros(2, dtype=rb.float64)
dist.all_gather_into_tensor(gathered, g_loss)
assert gathered[0].item() == gathered[1].item()

dist.destroy_process_group()
print(f"rank {rank}: ddp ok", flush=True)
