"""Loss modules with torch.nn's constructors (reduction 'mean' by default; weight and pos_weight
registered as buffers). Each forward calls the matching nn.functional loss."""
from typing import Any, Optional

from ..._C import Tensor
from .. import functional as F
from .module import Module

__all__ = ["MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss",
           "CrossEntropyLoss", "NLLLoss", "KLDivLoss", "PoissonNLLLoss", "GaussianNLLLoss", "CosineEmbeddingLoss",
           "MarginRankingLoss", "TripletMarginLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss",
           "SoftMarginLoss", "HingeEmbeddingLoss", "CTCLoss"]


class _Loss(Module):
    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                 reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = F._legacy_reduction(size_average, reduce, reduction)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(self, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
                 reduce: Optional[bool] = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    """The mean absolute error, ``mean(|input - target|)``.

    Shape:
        Input: ``(*)``, any shape.
        Target: ``(*)``, the input's shape.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.L1Loss()(rb.tensor([1.0, 2.0]), rb.tensor([1.0, 4.0]))
        tensor(1.)
    """

    __constants__ = ["reduction"]

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """The mean squared error, ``mean((input - target)^2)``.

    Shape:
        Input: ``(*)``, any shape.
        Target: ``(*)``, the input's shape.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.MSELoss()(rb.tensor([1.0, 2.0]), rb.tensor([1.0, 4.0]))
        tensor(2.)
    """

    __constants__ = ["reduction"]

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        if input.shape == target.shape:
            return F._nn.mse_loss(input, target, self.reduction)
        return F.mse_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Squared error below ``beta``, absolute error above: ``0.5 d^2 / beta`` if ``|d| < beta`` else ``|d| - 0.5 beta``.

    Shape:
        Input: ``(*)``, any shape.
        Target: ``(*)``, the input's shape.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.SmoothL1Loss()(rb.tensor([0.0, 3.0]), rb.tensor([0.5, 0.0]))
        tensor(1.3125)
    """

    __constants__ = ["reduction"]

    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: str = "mean",
                 beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """The Huber loss: ``0.5 d^2`` if ``|d| < delta`` else ``delta (|d| - 0.5 delta)``.

    Shape:
        Input: ``(*)``, any shape.
        Target: ``(*)``, the input's shape.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.HuberLoss(delta=1.0)(rb.tensor([0.0, 3.0]), rb.tensor([0.5, 0.0]))
        tensor(1.3125)
    """

    __constants__ = ["reduction", "delta"]

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities: ``-(y log p + (1 - y) log(1 - p))``.

    Shape:
        Input: ``(*)`` probabilities in [0, 1].
        Target: ``(*)``, values in [0, 1].
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.BCELoss()(rb.tensor([0.5, 0.5]), rb.tensor([1.0, 0.0]))
        tensor(0.6931)
    """

    __constants__ = ["reduction"]

    def __init__(self, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
                 reduce: Optional[bool] = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits, ``BCELoss(sigmoid(x), y)`` computed stably (``pos_weight`` weighs the positives).

    Shape:
        Input: ``(*)`` logits.
        Target: ``(*)``, values in [0, 1].
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.BCEWithLogitsLoss()(rb.tensor([0.0, 0.0]), rb.tensor([1.0, 0.0]))
        tensor(0.6931)
    """

    def __init__(self, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
                 reduce: Optional[bool] = None, reduction: str = "mean", pos_weight: Optional[Tensor] = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, self.weight, pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    """The negative log-likelihood of log-probabilities: ``-input[n, target[n]]``, averaged.

    Shape:
        Input: ``(N, C)`` log-probabilities, or ``(N, C, d1, ...)``.
        Target: ``(N,)`` int64 class ids in ``[0, C)`` (or ``(N, d1, ...)``).
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(N,)``.

    Example:
        >>> logp = nn.LogSoftmax(dim=1)(rb.randn(3, 5))
        >>> nn.NLLLoss()(logp, rb.tensor([1, 0, 4])).shape
        rosenblatt.Size([])
    """

    __constants__ = ["ignore_index", "reduction"]

    def __init__(self, weight: Optional[Tensor] = None, size_average: Optional[bool] = None, ignore_index: int = -100,
                 reduce: Optional[bool] = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of unnormalized scores (logits): ``LogSoftmax`` then ``NLLLoss`` in one fused, stable op.
    Targets are class ids, or class probabilities of the input's shape; ``label_smoothing`` mixes in the uniform
    distribution.

    Shape:
        Input: ``(N, C)`` logits, or ``(N, C, d1, ...)``.
        Target: ``(N,)`` int64 class ids in ``[0, C)``, or ``(N, C)`` probabilities.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(N,)``.

    Example:
        >>> loss = nn.CrossEntropyLoss()
        >>> out = loss(rb.zeros(2, 4), rb.tensor([0, 3]))
        >>> round(out.item(), 4)   # log(4): uniform scores over 4 classes
        1.3863
    """

    __constants__ = ["ignore_index", "reduction", "label_smoothing"]

    def __init__(self, weight: Optional[Tensor] = None, size_average: Optional[bool] = None, ignore_index: int = -100,
                 reduce: Optional[bool] = None, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F._nn.cross_entropy(input, target, self.weight, self.ignore_index, self.reduction,
                                   float(self.label_smoothing))


class KLDivLoss(_Loss):
    """The Kullback-Leibler divergence ``target (log target - input)``, with ``input`` in log space
    (``log_target=True``: target too).

    Shape:
        Input: ``(*)`` log-probabilities.
        Target: ``(*)`` probabilities.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> p = rb.tensor([[0.5, 0.5]])
        >>> nn.KLDivLoss(reduction='batchmean')(p.log(), p)
        tensor(0.)
    """

    __constants__ = ["reduction"]

    def __init__(self, size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: str = "mean",
                 log_target: Any = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class PoissonNLLLoss(_Loss):
    """The negative log-likelihood of a Poisson target: ``exp(input) - target * input`` with ``log_input=True``.

    Shape:
        Input: ``(*)``, any shape.
        Target: ``(*)``, the input's shape.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.PoissonNLLLoss()(rb.zeros(3), rb.ones(3))
        tensor(1.)
    """

    __constants__ = ["log_input", "full", "eps", "reduction"]

    def __init__(self, log_input: bool = True, full: bool = False, size_average: Optional[bool] = None,
                 eps: float = 1e-8, reduce: Optional[bool] = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps

    def forward(self, log_input: Any, target: Tensor) -> Tensor:
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full, eps=self.eps,
                                  reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """The negative log-likelihood of a Gaussian target with predicted mean and variance:
    ``0.5 (log var + (input - target)^2 / var)``.

    Shape:
        Input: ``(N, *)`` means.
        Target: ``(N, *)``.
        var: ``(N, *)``, or with one dimension of size 1 (shared).
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.GaussianNLLLoss()(rb.zeros(4, 2), rb.zeros(4, 2), rb.ones(4, 2))
        tensor(0.)
    """

    __constants__ = ["full", "eps", "reduction"]

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        self.full = full
        self.eps = eps

    def forward(self, input: Tensor, target: Tensor, var: Any) -> Tensor:
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)


class _MarginLoss(_Loss):
    __constants__ = ["margin", "reduction"]

    def __init__(self, margin: float, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin


class CosineEmbeddingLoss(_MarginLoss):
    """``1 - cos(x1, x2)`` for ``y = 1``, ``max(0, cos(x1, x2) - margin)`` for ``y = -1``.

    Shape:
        Input: ``x1``, ``x2``: ``(N, D)``.
        Target: ``(N,)`` of 1 or -1.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(N,)``.

    Example:
        >>> x = rb.randn(3, 5)
        >>> nn.CosineEmbeddingLoss()(x, x, rb.ones(3)).item() < 1e-6
        True
    """

    def __init__(self, margin: float = 0.0, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                 reduction: str = "mean") -> None:
        super().__init__(margin, size_average, reduce, reduction)

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class MarginRankingLoss(_MarginLoss):
    """``max(0, -y (x1 - x2) + margin)``: ranks x1 above x2 where ``y = 1``, below where ``y = -1``.

    Shape:
        Input: ``x1``, ``x2``: ``(N,)``.
        Target: ``(N,)`` of 1 or -1.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(N,)``.

    Example:
        >>> nn.MarginRankingLoss()(rb.tensor([2.0]), rb.tensor([1.0]), rb.tensor([1.0]))
        tensor(0.)
    """

    def __init__(self, margin: float = 0.0, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                 reduction: str = "mean") -> None:
        super().__init__(margin, size_average, reduce, reduction)

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_MarginLoss):
    """``x`` where ``y = 1``, ``max(0, margin - x)`` where ``y = -1`` (x is usually a distance).

    Shape:
        Input: ``(*)``.
        Target: ``(*)`` of 1 or -1.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.HingeEmbeddingLoss()(rb.tensor([0.5, 2.0]), rb.tensor([1.0, -1.0]))
        tensor(0.2500)
    """

    def __init__(self, margin: float = 1.0, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                 reduction: str = "mean") -> None:
        super().__init__(margin, size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """``max(d(a, p) - d(a, n) + margin, 0)``: an anchor nearer its positive than its negative.

    Shape:
        Input: anchor, positive, negative: ``(N, D)`` or ``(D,)``.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(N,)``.

    Example:
        >>> a, p, n = rb.randn(8, 16), rb.randn(8, 16), rb.randn(8, 16)
        >>> nn.TripletMarginLoss(margin=1.0)(a, p, n).shape
        rosenblatt.Size([])
    """

    __constants__ = ["margin", "p", "eps", "swap", "reduction"]

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: float = False,
                 size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor: Any, positive: Any, negative: Any) -> Tensor:
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p, eps=self.eps,
                                     swap=self.swap, reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """The logistic loss ``log(1 + exp(-y x))`` for labels ``y`` in {1, -1}.

    Shape:
        Input: ``(*)``.
        Target: ``(*)`` of 1 or -1.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(*)``.

    Example:
        >>> nn.SoftMarginLoss()(rb.tensor([0.0]), rb.tensor([1.0]))
        tensor(0.6931)
    """

    __constants__ = ["reduction"]

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Multi-label one-versus-all logistic loss: the mean over classes of the binary cross-entropy of logits.

    Shape:
        Input: ``(N, C)`` logits.
        Target: ``(N, C)`` of 0 and 1.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(N,)``.

    Example:
        >>> nn.MultiLabelSoftMarginLoss()(rb.zeros(2, 3), rb.ones(2, 3))
        tensor(0.6931)
    """

    __constants__ = ["reduction"]

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """The multi-class hinge loss: ``sum_{i != y} max(0, margin - x[y] + x[i])^p / C``.

    Shape:
        Input: ``(N, C)`` scores.
        Target: ``(N,)`` int64 class ids.
        Output: a scalar; with ``reduction='none'`` the elementwise losses, shape ``(N,)``.

    Example:
        >>> nn.MultiMarginLoss()(rb.tensor([[0.1, 0.2, 0.4, 0.8]]), rb.tensor([3]))
        tensor(0.3250)
    """

    __constants__ = ["p", "margin", "reduction"]

    def __init__(self, p: float = 1, margin: float = 1.0, weight: Optional[Tensor] = None,
                 size_average: Optional[bool] = None, reduce: Optional[bool] = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p != 1 and p != 2:
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.dim()}D instead")
        self.p = p
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                   reduction=self.reduction)


class CTCLoss(_Loss):
    """The Connectionist Temporal Classification loss: ``-log`` of the total probability of every
    alignment of the target to the input frames (labels repeated, blanks in between).

    Shape:
        Log_probs: ``(T, N, C)`` or ``(T, C)``, log-probabilities over C classes (the blank among them).
        Targets: ``(N, S)`` padded, or ``(sum(target_lengths),)`` concatenated; labels in ``[0, C)``.
        Input_lengths, Target_lengths: ``(N,)`` tensors, or tuples/lists of ints.
        Output: a scalar (``'mean'``: each loss over its target length, then the batch mean); with
        ``reduction='none'`` the per-sample losses, shape ``(N,)``.

    Example:
        >>> lp = rb.randn(10, 2, 5).log_softmax(2)
        >>> nn.CTCLoss()(lp, rb.tensor([[1, 2, 2], [3, 4, 0]]), [10, 8], [3, 2]).shape
        rosenblatt.Size([])
    """

    __constants__ = ["blank", "reduction"]

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__(reduction=reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs: Tensor, targets: Tensor, input_lengths: Tensor, target_lengths: Tensor) -> Tensor:
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                          self.zero_infinity)
