// Scaled dot-product attention: PyTorch's checks, batch dims broadcast and flattened to (B, L, E),
// the mask reduced to per-problem offsets (never expanded), the fused kernels and their autograd
// node, and the same function from recorded ops for create_graph and for a mask that needs a gradient.
#include <cmath>
#include <limits>
#include <mutex>
#include <string>

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"
#include "scalar_range.h"

#include "../kernels/attention.h"

namespace rb {
namespace {

// The problem after broadcasting: q (B, L, E), k and v (B / group, S, .) contiguous, and the mask,
// additive in q's dtype, with its (full batch..., L, S) broadcast strides as offsets.
struct Problem {
  Shape batch;  // the output's leading dims (with gqa, the query heads last)
  Tensor q, k, v, mask;
  std::vector<int64_t> mask_offset;
  AttentionGeom g{};
};

// t (batch'..., n, w) -> (B, n, w), its batch dims expanded to `batch` (a view when they match).
Tensor flatten_batch(const Tensor& t, const Shape& batch, int64_t B) {
  Shape full = batch;
  full.push_back(t.size(-2)), full.push_back(t.size(-1));
  return reshape(expand(t, full), {B, t.size(-2), t.size(-1)});
}

// PyTorch's dtype checks (validate_sdpa_input), made before a storage dtype is widened: q, k and v of one
// dtype, and a mask of bool, of float32 or of q's dtype.
void check_dtypes(const Tensor& q, const Tensor& k, const Tensor& v, const std::optional<Tensor>& attn_mask) {
  RB_CHECK(q.dim() >= 2 && k.dim() >= 2 && v.dim() >= 2, Error,
           "Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: ", q.dim(),
           " key.dim: ", k.dim(), " and value.dim: ", v.dim(), " instead.");
  RB_CHECK(q.dtype() == k.dtype() && q.dtype() == v.dtype(), Error,
           "Expected query, key, and value to have the same dtype, but got query.dtype: ", typemeta_name(q.dtype()),
           " key.dtype: ", typemeta_name(k.dtype()), " and value.dtype: ", typemeta_name(v.dtype()), " instead.");
  if (attn_mask) {
    const DType m = attn_mask->dtype();
    RB_CHECK(m == DType::Bool || m == DType::Float32 || m == q.dtype(), Error,
             "Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: ",
             typemeta_name(m), " and  query.dtype: ", typemeta_name(q.dtype()), " instead.");
  }
}

Problem prepare(const Tensor& q, const Tensor& k, const Tensor& v, const std::optional<Tensor>& attn_mask,
                double dropout_p, bool is_causal, std::optional<double> scale, bool enable_gqa) {
  check_same_device(q, k, "scaled_dot_product_attention");
  check_same_device(q, v, "scaled_dot_product_attention");
  RB_CHECK(!(is_causal && attn_mask), Error,
           "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
  RB_CHECK(dropout_p >= 0.0 && dropout_p <= 1.0, Error, "dropout probability has to be between 0 and 1, but got ",
           dropout_p);
  const int64_t L = q.size(-2), E = q.size(-1), S = k.size(-2), Ev = v.size(-1);
  RB_CHECK(k.size(-1) == E, Error, "scaled_dot_product_attention: query ", q.shape(), " and key ", k.shape(),
           " must have the same last dim (the query/key width)");
  RB_CHECK(v.size(-2) == S, Error, "scaled_dot_product_attention: key ", k.shape(), " and value ", v.shape(),
           " must have the same number of positions (dim -2)");
  Problem p;
  int64_t group = 1;
  auto lead = [](const Tensor& t, int64_t drop) { return Shape(t.shape().begin(), t.shape().end() - drop); };
  if (enable_gqa)  // PyTorch reads each one's heads, dim -3, and raises IndexError for a 2-D one
    for (const Tensor* t : {&q, &k, &v}) wrap_dim(-3, t->dim());
  if (enable_gqa && q.size(-3) != k.size(-3)) {
    const int64_t hq = q.size(-3), hk = k.size(-3);
    RB_CHECK(hk == v.size(-3) && hk > 0 && hq % hk == 0, Error,
             "Number of heads in key and value must divide the number of heads in query, but got query ", q.shape(),
             ", key ", k.shape(), " and value ", v.shape());
    group = hq / hk;
    p.batch = broadcast_shapes(broadcast_shapes(lead(q, 3), lead(k, 3)), lead(v, 3));
    Shape kv = p.batch;
    kv.push_back(hk);
    p.batch.push_back(hq);
    int64_t Bkv = 1;
    for (int64_t d : kv) Bkv *= d;
    p.k = flatten_batch(k, kv, Bkv), p.v = flatten_batch(v, kv, Bkv);
  } else {
    p.batch = broadcast_shapes(broadcast_shapes(lead(q, 2), lead(k, 2)), lead(v, 2));
  }
  int64_t B = 1;
  for (int64_t d : p.batch) B *= d;
  p.q = flatten_batch(q, p.batch, B);
  if (group == 1) p.k = flatten_batch(k, p.batch, B), p.v = flatten_batch(v, p.batch, B);
  p.q = p.q.contiguous(), p.k = p.k.contiguous(), p.v = p.v.contiguous();
  p.g = AttentionGeom{B,         group,   L, S, E,         Ev, scale ? *scale : 1.0 / std::sqrt(static_cast<double>(E)),
                      is_causal, nullptr, 0, 0, dropout_p, 0};
  if (attn_mask) {
    const Tensor& m = *attn_mask;
    check_same_device(q, m, "scaled_dot_product_attention");
    Shape full = p.batch;
    full.push_back(L), full.push_back(S);
    RB_CHECK(m.dim() <= static_cast<int64_t>(full.size()) && broadcast_shapes(m.shape(), full) == full, Error,
             "scaled_dot_product_attention: attn_mask ", m.shape(), " does not broadcast to the scores' shape ", full);
    // A boolean mask becomes 0 / -inf, the additive form the kernels take (never differentiated).
    p.mask = m.dtype() == DType::Bool ? masked_fill(zeros(m.shape(), q.dtype(), q.device()), logical_not(m),
                                                    Scalar(-std::numeric_limits<double>::infinity()))
                                      : m;
  }
  return p;
}

// The mask's offsets for the kernels: problem b's element (i, j) at
// offset[b] + i * stride_l + j * stride_s of the contiguous mask `mc`, without expanding it.
void mask_geometry(Problem& p, const Tensor& mc) {
  const int64_t nd = static_cast<int64_t>(p.batch.size()) + 2, off = nd - mc.dim();
  auto stride = [&](int64_t d) {  // d in the full (batch..., L, S) dims; 0 where the mask broadcasts
    return d < off || mc.size(d - off) == 1 ? int64_t(0) : mc.stride(d - off);
  };
  p.mask_offset.assign(p.g.B, 0);
  for (int64_t b = 0; b < p.g.B; ++b) {
    int64_t rem = b, o = 0;
    for (int64_t d = nd - 3; d >= 0; --d) {
      o += rem % p.batch[d] * stride(d);
      rem /= p.batch[d];
    }
    p.mask_offset[b] = o;
  }
  p.g.mask_offset = p.mask_offset.data();
  p.g.mask_stride_l = stride(nd - 2), p.g.mask_stride_s = stride(nd - 1);
}

// softmax(scale q k^T + mask) v from recorded ops on the flattened problem (q: (B, L, E), k, v:
// (B / group, S, .)): for create_graph, and for a float mask that needs its own gradient. Rows with
// every key masked give 0 (their scores are zeroed before the softmax, so no NaN reaches a gradient).
Tensor sdpa_graph(const Problem& p, const Tensor& q, const Tensor& k_in, const Tensor& v_in, const Tensor& mask,
                  const Tensor& drop) {
  const AttentionGeom& g = p.g;
  Tensor k = k_in, v = v_in;
  if (g.group > 1) {
    const int64_t Bkv = g.B / g.group;
    k = reshape(expand(unsqueeze(k, 1), {Bkv, g.group, g.S, g.E}), {g.B, g.S, g.E});
    v = reshape(expand(unsqueeze(v, 1), {Bkv, g.group, g.S, g.Ev}), {g.B, g.S, g.Ev});
  }
  Tensor s = mul(matmul(q, transpose(k, 1, 2)), Scalar(g.scale));
  const double ninf = -std::numeric_limits<double>::infinity();
  if (mask.defined()) {
    Shape full = p.batch;
    full.push_back(g.L), full.push_back(g.S);
    s = add(s, reshape(expand(mask, full), {g.B, g.L, g.S}));
  }
  if (g.causal) {
    Tensor j = reshape(arange(Scalar(int64_t(0)), Scalar(g.S), Scalar(int64_t(1)), DType::Int64, q.device()), {1, g.S});
    Tensor i = reshape(arange(Scalar(int64_t(0)), Scalar(g.L), Scalar(int64_t(1)), DType::Int64, q.device()), {g.L, 1});
    s = masked_fill(s, binary(BinaryOp::Gt, j, i), Scalar(ninf));
  }
  Tensor dead = all(binary(BinaryOp::Eq, s, Scalar(ninf)), {2}, true);
  Tensor a = masked_fill(softmax(masked_fill(s, dead, Scalar(0.0)), 2), dead, Scalar(0.0));
  if (drop.defined()) a = mul(a, drop);
  return matmul(a, v);
}

// The kernels' dropout multipliers as a (B, L, S) tensor, for sdpa_graph.
Tensor dropout_multipliers(const Problem& p) {
  if (p.g.dropout_p == 0.0) return Tensor();
  Tensor d = Tensor::empty({p.g.B, p.g.L, p.g.S}, p.q.dtype(), p.q.device());
  RB_DISPATCH_FLOATING(d.dtype(), "scaled_dot_product_attention", [&] {
    kernels<AttentionKernels<scalar_t>>("scaled_dot_product_attention", d)
        .sdpa_dropout_mask(p.g, static_cast<scalar_t*>(d.raw_data()));
  });
  return d;
}

struct ScaledDotProductAttentionBackward0 : Node {
  Problem p;  // q, k, v, mask: detached copies of what the forward read
  SavedTensor q, k, v, out;
  Tensor lse;
  std::string name() const override { return "ScaledDotProductAttentionBackward0"; }
  void release_saved() override { q.reset(), k.reset(), v.reset(), out.reset(), lse = Tensor(), p = Problem(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor qv = q.unpack(*this), kv = k.unpack(*this), vv = v.unpack(*this);
    if (GradMode::enabled()) {
      Tensor drop = dropout_multipliers(p);
      auto f = [&](const std::vector<Tensor>& in) {
        return std::vector<Tensor>{sdpa_graph(p, in[0], in[1], in[2], p.mask, drop)};
      };
      return grad_of_recomputed(f, {qv, kv, vv}, {grads[0]});
    }
    Tensor g = grads[0].contiguous(), o = out.unpack(*this);
    Tensor dq = Tensor::empty(qv.shape(), qv.dtype(), qv.device());
    Tensor dk = Tensor::empty(kv.shape(), kv.dtype(), kv.device());
    Tensor dv = Tensor::empty(vv.shape(), vv.dtype(), vv.device());
    RB_DISPATCH_FLOATING(qv.dtype(), "scaled_dot_product_attention_backward", [&] {
      auto ptr = [](const Tensor& t) { return static_cast<scalar_t*>(t.raw_data()); };
      kernels<AttentionKernels<scalar_t>>("scaled_dot_product_attention_backward", g)
          .sdpa_backward(p.g, ptr(qv), ptr(kv), ptr(vv), p.mask.defined() ? ptr(p.mask) : nullptr, ptr(o), ptr(lse),
                         ptr(g), ptr(dq), ptr(dk), ptr(dv));
    });
    return {dq, dk, dv};
  }
};

// PyTorch 2.13 has no integer attention: its math path takes the weights in float32 and raises where it
// multiplies them by the integer value, unless that product is empty or sums nothing (no keys: zeros);
// a boolean mask fails before that, converting -inf to the integer type. The float32 copies only run
// the shape checks. A boolean q's empty result is int64 (its math path promotes bool to long there).
Tensor sdpa_integer(const Tensor& q, const Tensor& k, const Tensor& v, const std::optional<Tensor>& attn_mask,
                    double dropout_p, bool is_causal, std::optional<double> scale, bool enable_gqa) {
  std::optional<Tensor> m = attn_mask;
  if (m && m->dtype() != DType::Bool) m = cast(*m, DType::Float32);
  const Problem p = prepare(cast(q, DType::Float32), cast(k, DType::Float32), cast(v, DType::Float32), m, dropout_p,
                            is_causal, scale, enable_gqa);
  Shape out_shape = p.batch;
  out_shape.push_back(p.g.L), out_shape.push_back(p.g.Ev);
  const DType rt = q.dtype() == DType::Bool ? DType::Int64 : q.dtype();
  if (p.g.B * p.g.L * p.g.Ev == 0) return Tensor::empty(out_shape, rt, q.device());
  if (attn_mask && attn_mask->dtype() == DType::Bool && attn_mask->numel() > 0)
    check_scalar_range(Scalar(-std::numeric_limits<double>::infinity()), q.dtype());
  if (p.g.S == 0) return zeros(out_shape, rt, q.device());
  RB_CHECK(v.dim() != 2, Error,
           "expected m1 and m2 to have the same dtype, but got: float != ", typemeta_name(v.dtype()));
  throw Error(str("expected scalar type Float but found ", aten_name(v.dtype())));
}

}  // namespace

Tensor scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                    const std::optional<Tensor>& attn_mask, double dropout_p, bool is_causal,
                                    std::optional<double> scale, bool enable_gqa) {
  check_dtypes(query, key, value, attn_mask);
  if (!is_floating(query.dtype()))
    return sdpa_integer(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa);
  // float16 and bfloat16 run in float32, rounded once at the end, as ATen's CPU kernels accumulate in
  // float32; a float32 mask joins q's compute dtype.
  const DType ct = compute_type(query.dtype());
  std::optional<Tensor> mask = attn_mask;
  if (mask && mask->dtype() != DType::Bool) mask = cast(*mask, ct);
  if (ct != query.dtype())
    return cast(scaled_dot_product_attention(widen(query), widen(key), widen(value), mask, dropout_p, is_causal, scale,
                                             enable_gqa),
                query.dtype());
  Problem p = prepare(query, key, value, mask, dropout_p, is_causal, scale, enable_gqa);
  const AttentionGeom& g = p.g;
  Shape out_shape = p.batch;
  out_shape.push_back(g.L), out_shape.push_back(g.Ev);
  if (dropout_p > 0.0) {
    Generator& gen = default_generator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    p.g.seed = gen.next_u64();
  }
  // A float mask that needs a gradient takes the recorded path: the fused backward has no dmask.
  if (p.mask.defined() && needs_grad(p.mask))
    return reshape(sdpa_graph(p, p.q, p.k, p.v, p.mask, dropout_multipliers(p)), out_shape);
  Tensor mc;
  if (p.mask.defined()) {
    mc = contiguous_nograd(p.mask);
    mask_geometry(p, mc);
  }
  Tensor out = Tensor::empty({g.B, g.L, g.Ev}, p.q.dtype(), p.q.device());
  Tensor lse = Tensor::empty({g.B, g.L}, p.q.dtype(), p.q.device());
  if (g.B * g.L > 0) {  // lse too: the backward reads it even when Ev is 0
    RB_DISPATCH_FLOATING(out.dtype(), "scaled_dot_product_attention", [&] {
      auto ptr = [](const Tensor& t) { return static_cast<scalar_t*>(t.raw_data()); };
      kernels<AttentionKernels<scalar_t>>("scaled_dot_product_attention", p.q)
          .sdpa_forward(g, ptr(p.q), ptr(p.k), ptr(p.v), mc.defined() ? ptr(mc) : nullptr, ptr(out), ptr(lse));
    });
  }
  if (any_requires_grad({&p.q, &p.k, &p.v})) {
    auto node = std::make_shared<ScaledDotProductAttentionBackward0>();
    node->q = SavedTensor(p.q), node->k = SavedTensor(p.k), node->v = SavedTensor(p.v);
    node->out = SavedTensor::output(out);
    node->lse = lse;
    node->p = p;
    node->p.q = node->p.k = node->p.v = Tensor();
    node->p.mask = mc;
    node->p.g.mask_offset = node->p.mask_offset.data();  // the copy's own offsets
    record(node, {&p.q, &p.k, &p.v}, {&out});
  }
  return reshape(out, out_shape);
}

}  // namespace rb
