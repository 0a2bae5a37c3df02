"""SyncBatchNorm (torch.nn.SyncBatchNorm): batch norm whose training statistics cover the batch of
every rank, its backward summing the statistics' gradients across ranks as PyTorch's does."""
from ... import _C
from ... import distributed as dist
from ...autograd import no_grad
from .batchnorm import _BatchNorm

__all__ = ["SyncBatchNorm"]


def _all_reduce_sum(t, group):
    """sum over ranks of t, differentiable: the gradient of the sum is all-reduced on its way back
    (the adjoint of a sum over ranks), through a hook on the result."""
    total = t.detach().clone()
    dist.all_reduce(total, group=group)
    out = t + (total - t.detach())
    if out.requires_grad:
        def reduce_grad(g):
            g = g.clone()
            dist.all_reduce(g, group=group)
            return g

        out.register_hook(reduce_grad)
    return out


class SyncBatchNorm(_BatchNorm):
    """Over (N, C, ...) inputs; in training with more than one rank, mean and variance are those of
    the whole distributed batch. Elsewhere it is BatchNorm.

    ``SyncBatchNorm.convert_sync_batchnorm(model)`` swaps every BatchNorm of a model for one, keeping
    its parameters and running statistics (as PyTorch's).

    Shape:
        Input: ``(N, C, *)``.
        Output: the input's shape.
        weight, bias, running_mean, running_var: ``(C,)``.

    Example:
        >>> net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
        >>> net = nn.SyncBatchNorm.convert_sync_batchnorm(net)
        >>> type(net[1]).__name__
        'SyncBatchNorm'
        >>> net(rb.randn(4, 3, 8, 8)).shape  # one process: plain batch norm
        rosenblatt.Size([4, 8, 6, 6])
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 process_group=None, device=None, dtype=None):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype)
        self.process_group = process_group

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")

    def forward(self, input):
        self._check_input_dim(input)
        if not (self.training and dist.is_initialized() and dist.get_world_size(self.process_group) > 1):
            return super().forward(input)
        c = input.shape[1]
        if c != self.num_features:
            raise ValueError(f"SyncBatchNorm: expected {self.num_features} channels, got input of shape "
                             f"{list(input.shape)}")
        dims = [0] + list(range(2, input.dim()))
        count = input.numel() // c
        local = _C.cat([input.sum(dims), (input * input).sum(dims),
                        _C.full([1], float(count), dtype=input.dtype)])
        stats = _all_reduce_sum(local, self.process_group)
        n = float(stats[2 * c].item())
        if n <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                             f"{list(input.shape)}")
        mean = stats[:c] / n
        var = stats[c:2 * c] / n - mean * mean  # biased, as batch norm normalises with
        shape = [1, c] + [1] * (input.dim() - 2)
        y = (input - mean.reshape(shape)) * _C.rsqrt(var + self.eps).reshape(shape)
        if self.weight is not None:
            y = y * self.weight.reshape(shape)
        if self.bias is not None:
            y = y + self.bias.reshape(shape)
        if self.track_running_stats and self.running_mean is not None:
            with no_grad():
                self.num_batches_tracked.add_(1)
                m = 1.0 / float(self.num_batches_tracked.item()) if self.momentum is None else self.momentum
                self.running_mean.mul_(1 - m).add_(mean.detach() * m)
                self.running_var.mul_(1 - m).add_(var.detach() * (n / (n - 1)) * m)
        return y

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """module with every BatchNorm*d replaced by a SyncBatchNorm holding the same parameters and
        running statistics (module itself when it is one)."""
        out = module
        if isinstance(module, _BatchNorm) and not isinstance(module, SyncBatchNorm):
            out = cls(module.num_features, module.eps, module.momentum, module.affine, module.track_running_stats,
                      process_group)
            if module.affine:
                with no_grad():
                    out.weight = module.weight
                    out.bias = module.bias
            out.running_mean = module.running_mean
            out.running_var = module.running_var
            out.num_batches_tracked = module.num_batches_tracked
            out.training = module.training
        for name, child in list(module.named_children()):
            out.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return out
