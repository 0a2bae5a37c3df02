"""ONNX mappings of the nn ops: linear, convolution and transposed convolution, pooling, batch and layer
norm, activations, softmax, dropout (identity in eval) and attention as MatMul/Softmax primitives."""
import math

import numpy as np
from onnx import numpy_helper

from ._registry import op
from .errors import OnnxExporterError, UnsupportedOperatorError


def _pair(v, n):
    v = [v] if isinstance(v, int) else list(v)
    return v * n if len(v) == 1 else v


def _t(g, w):
    """w.T for a Linear weight: folded into an initializer when w is a constant."""
    if w.is_const:
        return g.const(np.ascontiguousarray(w.array.T))
    return g.op("Transpose", w, perm=[1, 0])


@op("nn.linear")
def linear(g, r, input, weight, bias=None):
    if input.rank == 2:
        return g.op("Gemm", input, weight, bias, transB=1)
    y = g.op("MatMul", input, _t(g, weight))
    return g.op("Add", y, bias) if bias is not None else y


# ---- convolution --------------------------------------------------------------------------------------
def _check_batched(name, input, n):
    if input.rank != n + 2:
        raise OnnxExporterError(f"{name}: an unbatched input ({input.rank}-D) has no ONNX mapping; add a batch dim")


@op("nn.conv2d", "conv2d", "nn.conv1d", "conv1d")
def conv(g, r, input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    n = weight.rank - 2
    _check_batched(r.key, input, n)
    k, d = list(weight.shape[2:]), _pair(dilation, n)
    if isinstance(padding, str):
        if padding == "valid":
            pads = [0] * (2 * n)
        else:  # 'same': the extra pad goes after, as torch's
            total = [d[i] * (k[i] - 1) for i in range(n)]
            pads = [t // 2 for t in total] + [t - t // 2 for t in total]
    else:
        pads = _pair(padding, n) * 2
    return g.op("Conv", input, weight, bias, kernel_shape=k, strides=_pair(stride, n), pads=pads, dilations=d,
                group=groups)


@op("nn.conv_transpose2d", "conv_transpose2d", "nn.conv_transpose1d", "conv_transpose1d")
def conv_transpose(g, r, input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    n = weight.rank - 2
    _check_batched(r.key, input, n)
    return g.op("ConvTranspose", input, weight, bias, kernel_shape=list(weight.shape[2:]), strides=_pair(stride, n),
                pads=_pair(padding, n) * 2, output_padding=_pair(output_padding, n), dilations=_pair(dilation, n),
                group=groups)


# ---- pooling ------------------------------------------------------------------------------------------
@op("nn.max_pool2d", "nn.max_pool1d")
def max_pool(g, r, input, kernel_size, stride, padding, dilation, ceil_mode):
    n = 2 if r.key.endswith("2d") else 1
    _check_batched(r.key, input, n)
    k = _pair(kernel_size, n)
    return g.op("MaxPool", input, kernel_shape=k, strides=_pair(stride, n) if stride else k,
                pads=_pair(padding, n) * 2, dilations=_pair(dilation, n), ceil_mode=int(ceil_mode))


@op("nn.avg_pool2d", "nn.avg_pool1d")
def avg_pool(g, r, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override=None):
    n = 2 if r.key.endswith("2d") else 1
    _check_batched(r.key, input, n)
    if divisor_override is not None:
        raise UnsupportedOperatorError("avg_pool2d(divisor_override=...)", g.opset)
    k = _pair(kernel_size, n)
    return g.op("AveragePool", input, kernel_shape=k, strides=_pair(stride, n) if stride else k,
                pads=_pair(padding, n) * 2, ceil_mode=int(ceil_mode), count_include_pad=int(count_include_pad))


@op("nn.adaptive_avg_pool2d", "nn.adaptive_avg_pool1d")
def adaptive_avg_pool(g, r, input, output_size):
    n = input.rank - 2
    out = _pair(output_size, n)
    if all(o == 1 for o in out):
        return g.op("GlobalAveragePool", input)
    size = input.shape[2:]
    if any(s % o for s, o in zip(size, out)):
        raise UnsupportedOperatorError(r.key, g.opset, f"output size {out} does not divide the input size {size}")
    k = [s // o for s, o in zip(size, out)]
    return g.op("AveragePool", input, kernel_shape=k, strides=k)


# ---- normalization ------------------------------------------------------------------------------------
def _ones(g, n, dtype):
    return g.const(np.ones(n, dtype=dtype))


@op("nn.batch_norm")
def batch_norm(g, r, input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    if training or running_mean is None:
        raise UnsupportedOperatorError("batch_norm in training mode (batch statistics)", g.opset,
                                       "export the model in eval mode with running statistics")
    c = input.shape[1]
    w = weight if weight is not None else _ones(g, c, input.dtype)
    b = bias if bias is not None else g.const(np.zeros(c, dtype=input.dtype))
    return g.op("BatchNormalization", input, w, b, running_mean, running_var, epsilon=float(eps))


@op("nn.layer_norm", "layer_norm")
def layer_norm(g, r, input, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    w = weight if weight is not None else _ones(g, shape, input.dtype)
    return g.op("LayerNormalization", input, w, bias, axis=-len(shape), epsilon=float(eps))


# ---- activations --------------------------------------------------------------------------------------
def _simple(onnx_op, **attrs):
    def fn(g, r, input, *rest, **kw):
        return g.op(onnx_op, input, **attrs)

    return fn


for _n, _onnx in (("relu", "Relu"), ("sigmoid", "Sigmoid"), ("tanh", "Tanh"), ("softsign", "Softsign"),
                  ("hardswish", "HardSwish")):
    op(f"nn.{_n}", f"nn.{_n}_")(_simple(_onnx))
op("nn.hardsigmoid", "nn.hardsigmoid_")(_simple("HardSigmoid", alpha=1.0 / 6, beta=0.5))
op("nn.selu", "nn.selu_")(_simple("Selu", alpha=1.6732632423543772, gamma=1.0507009873554805))


@op("nn.relu6", "nn.relu6_")
def relu6(g, r, input):
    return g.op("Clip", input, g.scalar(0, input.dtype), g.scalar(6, input.dtype))


@op("nn.mish", "nn.mish_")
def mish(g, r, input):
    if g.opset >= 18:
        return g.op("Mish", input)
    return g.op("Mul", input, g.op("Tanh", g.op("Softplus", input)))


@op("nn.hardtanh", "nn.hardtanh_")
def hardtanh(g, r, input, min_val=-1.0, max_val=1.0):
    return g.op("Clip", input, g.scalar(min_val, input.dtype), g.scalar(max_val, input.dtype))


@op("nn.leaky_relu", "nn.leaky_relu_")
def leaky_relu(g, r, input, negative_slope=0.01):
    return g.op("LeakyRelu", input, alpha=float(negative_slope))


@op("nn.elu", "nn.elu_")
def elu(g, r, input, alpha=1.0):
    return g.op("Elu", input, alpha=float(alpha))


@op("nn.celu", "nn.celu_")
def celu(g, r, input, alpha=1.0):
    return g.op("Celu", input, alpha=float(alpha))


@op("nn.silu", "nn.silu_")
def silu(g, r, input):
    return g.op("Mul", input, g.op("Sigmoid", input))


@op("nn.softplus")
def softplus(g, r, input, beta=1.0, threshold=20.0):
    if beta == 1:
        return g.op("Softplus", input)
    bx = g.op("Mul", input, g.scalar(beta, input.dtype))
    return g.op("Div", g.op("Softplus", bx), g.scalar(beta, input.dtype))


@op("nn.log_sigmoid")
def log_sigmoid(g, r, input):
    return g.op("Neg", g.op("Softplus", g.op("Neg", input)))


@op("nn.gelu")
def gelu(g, r, input, approximate="none"):
    if g.opset >= 20:
        return g.op("Gelu", input, approximate=approximate)
    s = lambda v: g.scalar(v, input.dtype)  # noqa: E731
    if approximate == "tanh":  # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        inner = g.op("Add", input, g.op("Mul", g.op("Pow", input, s(3.0)), s(0.044715)))
        t = g.op("Tanh", g.op("Mul", inner, s(math.sqrt(2 / math.pi))))
    else:  # 0.5 x (1 + erf(x / sqrt 2))
        t = g.op("Erf", g.op("Div", input, s(math.sqrt(2.0))))
    return g.op("Mul", g.op("Mul", input, s(0.5)), g.op("Add", t, s(1.0)))


@op("nn.prelu")
def prelu(g, r, input, weight):
    slope = weight
    if input.rank > 2 and weight.shape[0] > 1:  # (C,) against (N, C, ...): per channel
        shape = [weight.shape[0]] + [1] * (input.rank - 2)
        slope = g.op("Reshape", weight, g.ints(shape))
    return g.op("PRelu", input, slope)


@op("nn.threshold", "nn.threshold_")
def threshold(g, r, input, threshold, value):
    cond = g.op("Greater", input, g.scalar(threshold, input.dtype))
    return g.op("Where", cond, input, g.scalar(value, input.dtype))


@op("nn.glu")
def glu(g, r, input, dim=-1):
    axis = dim % input.rank
    half = input.shape[axis] // 2
    a, b = g.op("Split", input, g.ints([half, half]), axis=axis, outputs=2)
    return g.op("Mul", a, g.op("Sigmoid", b))


def _softmax(onnx_op, negate=False):
    def fn(g, r, input, dim, *rest, **kw):
        x = g.op("Neg", input) if negate else input
        return g.op(onnx_op, x, axis=dim % max(input.rank, 1))

    return fn


op("nn.softmax", "softmax", "Tensor.softmax")(_softmax("Softmax"))
op("nn.log_softmax", "log_softmax", "Tensor.log_softmax")(_softmax("LogSoftmax"))
op("nn.softmin")(_softmax("Softmax", negate=True))


@op("nn.dropout", "nn.feature_dropout", "nn.alpha_dropout")
def dropout(g, r, input, p=0.5, training=True, *rest, **kw):
    if training and p > 0:
        raise UnsupportedOperatorError("dropout in training mode", g.opset, "export the model in eval mode")
    return g.v(input)


# ---- attention ----------------------------------------------------------------------------------------
@op("nn.scaled_dot_product_attention", "scaled_dot_product_attention")
def sdpa(g, r, query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False):
    """softmax(q k^T * scale + mask) v, as MatMul/Softmax primitives (ONNX Attention needs opset 23)."""
    if enable_gqa and query.shape[-3] != key.shape[-3]:
        raise UnsupportedOperatorError("scaled_dot_product_attention(enable_gqa=True)", g.opset)
    E = query.shape[-1]
    perm = list(range(key.rank))
    perm[-2], perm[-1] = perm[-1], perm[-2]
    scores = g.op("MatMul", query, g.op("Transpose", key, perm=perm))
    scores = g.op("Mul", scores, g.scalar(1.0 / math.sqrt(E) if scale is None else scale, query.dtype))
    if is_causal:  # -inf above the diagonal of an (L, S) block, built at run time: L and S may be dynamic
        full = g.op("ConstantOfShape", g.op("Shape", scores, start=-2),
                    value=numpy_helper.from_array(np.array([-np.inf], dtype=query.dtype)))
        scores = g.op("Add", scores, g.op("Trilu", full, g.const(np.array(1, dtype=np.int64)), upper=1))
    if attn_mask is not None:
        if attn_mask.dtype == np.bool_:
            scores = g.op("Where", attn_mask, scores, g.scalar(-np.inf, query.dtype))
        else:
            scores = g.op("Add", scores, attn_mask)
    return g.op("MatMul", g.op("Softmax", scores, axis=-1), value)


@op("nn.embedding")
def embedding(g, r, input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    if max_norm is not None:
        raise UnsupportedOperatorError("embedding(max_norm=...)", g.opset, "it renormalizes the weight in place")
    return g.op("Gather", weight, input, axis=0)


@op("embedding")
def embedding_fn(g, r, weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    return g.op("Gather", weight, indices, axis=0)
