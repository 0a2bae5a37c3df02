"""DistributedDataParallel: rank 0's parameters and buffers broadcast at construction; gradients
averaged in buckets whose all-reduce starts from gradient hooks while backward is still running."""
import contextlib
import weakref

import numpy as np

from ... import _C
from ... import distributed as dist
from ...autograd import enable_grad, no_grad
from ..modules.module import Module

__all__ = ["DistributedDataParallel"]

_MB = 1024 * 1024
_FIRST_BUCKET_BYTES = 1 * _MB  # PyTorch's: the first gradients ready go out early


class _Bucket:
    """Gradients all-reduced in one call: small ones copied into one flat buffer; a large one
    (direct) reduced in its own .grad memory, which saves copying it in and out."""

    def __init__(self, indices, sizes, dtype, direct):
        self.indices, self.direct, self.dtype = indices, direct, dtype
        self.offsets, n = {}, 0
        for i in indices:
            self.offsets[i] = (n, sizes[i])
            n += sizes[i]
        self.flat = None if direct else np.zeros(n, dtype)
        self.pending = len(indices)
        self.copy_back = not direct

    def fill(self, i, grad):
        """Takes parameter i's gradient (None: unused, reduced as zeros)."""
        if self.direct:
            arr = None if grad is None else grad.detach().numpy()
            if arr is not None and arr.flags.c_contiguous:
                self.flat, self.copy_back = arr.reshape(-1), False
            else:
                self.flat, self.copy_back = (np.zeros(self.offsets[i][1], self.dtype) if arr is None
                                             else np.ascontiguousarray(arr).reshape(-1)), True
            return
        off, n = self.offsets[i]
        if grad is None:
            self.flat[off:off + n] = 0
        else:
            self.flat[off:off + n] = grad.detach().numpy().reshape(-1)


class DistributedDataParallel(Module):
    """torch.nn.parallel.DistributedDataParallel on MPI. Wraps module; its state_dict keys gain the
    'module.' prefix, as in PyTorch."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True,
                 process_group=None, bucket_cap_mb=None, find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False):
        super().__init__()
        if not dist.is_initialized():
            raise RuntimeError("DistributedDataParallel needs the default process group: call "
                               "rosenblatt.distributed.init_process_group() first")
        if device_ids not in (None, [], ["cpu"]) or output_device not in (None, "cpu"):
            raise ValueError("DistributedDataParallel on MPI runs CPU modules: leave device_ids and output_device "
                             "as None")
        self.module = module
        self.__dict__.update(
            process_group=process_group, broadcast_buffers=broadcast_buffers,
            find_unused_parameters=find_unused_parameters, require_backward_grad_sync=True,
            bucket_bytes_cap=int((25 if bucket_cap_mb is None else bucket_cap_mb) * _MB))
        self._sync_state()
        params = [p for p in module.parameters() if p.requires_grad]
        self.__dict__["_params"] = params
        self._build_buckets()
        self.__dict__["_handles"] = [p.register_post_accumulate_grad_hook(_ready_hook(weakref.ref(self), i))
                                     for i, p in enumerate(params)]
        self.__dict__["_acc_nodes"] = None
        self._reset()
        self.__dict__["_armed"] = False

    # --- construction ----------------------------------------------------------------------------
    def _sync_state(self):
        with no_grad():
            for t in list(self.module.parameters()) + [b for b in self.module.buffers() if b is not None]:
                dist.broadcast(t, src=self._src(), group=self.process_group)

    def _src(self):
        # rank 0 of the group, in world numbering (what dist.broadcast takes)
        return 0 if self.process_group is None else self.process_group.ranks[0]

    def _build_buckets(self):
        # PyTorch's assignment: in reverse registration order (about the order backward produces the
        # gradients in, so the first bucket fills first), gradients join the open bucket until it holds
        # the cap (1 MB for the first, bucket_cap_mb after); buckets hold one dtype each. A gradient
        # as large as the cap by itself is reduced where it lies instead of copied in and out (a
        # direct bucket of its own); the open bucket closes before it.
        buckets, current, size = [], [], 0
        cap = min(_FIRST_BUCKET_BYTES, self.bucket_bytes_cap)
        params = self._params
        dtypes = {i: p.detach().numpy().dtype for i, p in enumerate(params)}
        for i in reversed(range(len(params))):
            nbytes = params[i].numel() * dtypes[i].itemsize
            big = nbytes >= cap
            if current and (big or dtypes[current[0]] != dtypes[i]):
                buckets.append((current, False))
                current, size, cap = [], 0, self.bucket_bytes_cap
            if big:
                buckets.append(([i], True))
                cap = self.bucket_bytes_cap
                continue
            current.append(i)
            size += nbytes
            if size >= cap:
                buckets.append((current, False))
                current, size, cap = [], 0, self.bucket_bytes_cap
        if current:
            buckets.append((current, False))
        sizes = [p.numel() for p in params]
        self.__dict__["_buckets"] = [_Bucket(idx, sizes, dtypes[idx[0]], direct) for idx, direct in buckets]
        self.__dict__["_bucket_of"] = {i: k for k, (b, _) in enumerate(buckets) for i in b}

    # --- one iteration ---------------------------------------------------------------------------
    def _reset(self):
        for b in self._buckets:
            b.pending = len(b.indices)
        self.__dict__.update(_next=0, _works=[], _fired=0, _armed=False)

    def forward(self, *inputs, **kwargs):
        if self._armed and self._fired:
            raise RuntimeError(
                "Expected to have finished reduction in the prior iteration before starting a new one. This error "
                "indicates that your module has parameters that were not used in producing loss. You can enable "
                "unused parameter detection by passing the keyword argument `find_unused_parameters=True` to "
                "`torch.nn.parallel.DistributedDataParallel`.")
        self._reset()
        if self.broadcast_buffers and self.training:
            with no_grad():
                for b in self.module.buffers():
                    if b is not None:
                        dist.broadcast(b, src=self._src(), group=self.process_group)
        out = self.module(*inputs, **kwargs)
        if _C.is_grad_enabled() and self.require_backward_grad_sync and self._params:
            self.__dict__["_armed"] = True
            if self.find_unused_parameters:
                self._mark_unused(out)
        return out

    @contextlib.contextmanager
    def no_sync(self):
        """Gradients accumulate locally inside; the first backward after it averages the sum."""
        prev = self.require_backward_grad_sync
        self.__dict__["require_backward_grad_sync"] = False
        try:
            yield
        finally:
            self.__dict__["require_backward_grad_sync"] = prev

    def _mark_unused(self, out):
        if self._acc_nodes is None:
            # each parameter's gradient accumulator, held so the same node object comes back from a
            # walk of the graph
            keep = []
            with enable_grad():
                for p in self._params:
                    keep.append(p.view(p.shape).grad_fn.next_functions[0][0])
            self.__dict__["_acc_keep"] = keep
            self.__dict__["_acc_nodes"] = {id(n): i for i, n in enumerate(keep)}
        reached, stack, seen = set(), [t.grad_fn for t in _tensors(out) if t.grad_fn is not None], set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if id(node) in self._acc_nodes:
                reached.add(self._acc_nodes[id(node)])
            stack.extend(n for n, _ in node.next_functions if n is not None)
        for i in range(len(self._params)):
            if i not in reached:
                self._ready(i, unused=True)

    def _ready(self, i, unused=False):
        b = self._buckets[self._bucket_of[i]]
        b.fill(i, None if unused else self._params[i].grad)
        self.__dict__["_fired"] = self._fired + 1
        b.pending -= 1
        for w in self._works:  # without a worker thread, MPI moves the buckets in flight only inside MPI calls
            w.is_completed()
        while self._next < len(self._buckets) and self._buckets[self._next].pending == 0:
            # in bucket order on every rank: MPI matches collectives by order
            t = _C.from_numpy(self._buckets[self._next].flat)  # the buffer's memory, no copy
            # SUM: the division by the world size is fused into the pass that hands results back
            self._works.append(dist.all_reduce(t, dist.ReduceOp.SUM, group=self.process_group, async_op=True))
            self.__dict__["_next"] = self._next + 1
        if self._next == len(self._buckets):
            self._finalize()

    def _finalize(self):
        for w in self._works:
            w.wait()
        scale = 1.0 / dist.get_world_size(self.process_group)
        for b in self._buckets:
            if not b.copy_back:  # reduced in .grad itself
                b.flat *= scale
            else:
                self._copy_back(b, scale)
            if b.direct:
                b.flat = None  # not the gradient's memory past this backward
        self._reset()

    def _copy_back(self, b, scale):
        for i, (off, n) in b.offsets.items():
            p = self._params[i]
            src = b.flat[off:off + n].reshape(tuple(p.shape))
            if p.grad is None:
                p.grad = _C.from_numpy(src * scale)
            else:
                np.multiply(src, scale, out=p.grad.detach().numpy(), casting="unsafe")

    def __del__(self):
        try:
            for h in self.__dict__.get("_handles", ()):
                h.remove()
        except Exception:  # interpreter shutdown: the hook table goes with the process anyway
            pass


def _ready_hook(ref, i):
    def hook(p):
        ddp = ref()
        if ddp is not None and ddp._armed:
            ddp._ready(i)
    return hook


def _tensors(out):
    if isinstance(out, _C.Tensor):
        yield out
    elif isinstance(out, (list, tuple)):
        for o in out:
            yield from _tensors(o)
    elif isinstance(out, dict):
        for o in out.values():
            yield from _tensors(o)
