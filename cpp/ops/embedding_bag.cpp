// EmbeddingBag (torch.embedding_bag): checks as PyTorch's, the fused bag reduction and its gradient
// for weight; per_sample_weights' gradient and the create_graph backward are differentiable ops.
#include <string>
#include <vector>

#include "rosenblatt/ops.h"

#include "op_common.h"
#include "pointers.h"

#include "../kernels/embedding.h"

namespace rb {
namespace {

void check_long(const Tensor& t, int arg, const char* what) {
  RB_CHECK(t.dtype() == DType::Int64, Error, "Expected tensor for argument #", arg, " '", what,
           "' to have one of the following scalar types: Long; but got ", dtype_name(t.dtype()),
           " instead (while checking arguments for embedding_bag)");
}

// Per entry of idx (n): its bag (0 for an entry past the last bag) and the factor its row's gradient
// gets in modes 0 and 1: 0 at padding_idx or past the last bag, else 1 / (the bag's entries) in mode
// 1, times 1 / (the count of its index in idx) with scale_grad_by_freq. Read on the host.
struct EntryMap {
  Tensor bag_of, scale, in_bag;  // in_bag: 1, or 0 at padding_idx and past the last bag
};
EntryMap entry_map(const Tensor& idx, const std::vector<int64_t>& bounds, int64_t V, int64_t mode, int64_t pad,
                   bool freq, DType dt) {
  const int64_t n = idx.numel(), B = static_cast<int64_t>(bounds.size()) - 1;
  const int64_t* pi = static_cast<const int64_t*>(idx.raw_data());
  std::vector<int64_t> count(freq ? V : 0, 0);
  for (int64_t i = 0; i < n && freq; ++i) ++count[pi[i]];
  EntryMap m{zeros({n}, DType::Int64), zeros({n}, dt), zeros({n}, dt)};
  int64_t* pb = static_cast<int64_t*>(m.bag_of.raw_data());
  RB_DISPATCH_FLOATING(dt, "embedding_bag_backward", [&] {
    scalar_t* ps = static_cast<scalar_t*>(m.scale.raw_data());
    scalar_t* pm = static_cast<scalar_t*>(m.in_bag.raw_data());
    for (int64_t b = 0; b < B; ++b) {
      int64_t c = 0;
      for (int64_t i = bounds[b]; i < bounds[b + 1]; ++i) c += pi[i] != pad;
      for (int64_t i = bounds[b]; i < bounds[b + 1]; ++i) {
        pb[i] = b;
        if (pi[i] == pad) continue;
        double s = mode == 1 ? 1.0 / static_cast<double>(c) : 1.0;
        if (freq) s /= static_cast<double>(count[pi[i]]);
        ps[i] = static_cast<scalar_t>(s), pm[i] = 1;
      }
    }
  });
  return m;
}

struct EmbeddingBagBackward0 : Node {
  SavedTensor weight, psw;
  Tensor idx, bounds_t, argmax;  // (n), (B + 1), (B, D) for mode 2: not differentiable
  std::vector<int64_t> bounds;
  int64_t V = 0, mode = 0, pad = -1;
  bool freq = false, need_w = false, need_psw = false;
  std::string name() const override { return "EmbeddingBagBackward0"; }
  void release_saved() override { weight.reset(), psw.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];  // (B, D)
    const int64_t n = idx.numel(), D = g.size(1);
    Tensor pv = psw.defined() ? psw.unpack(*this) : Tensor();
    Tensor dw, dpsw;
    EntryMap m;
    if (need_psw || (need_w && mode != 2 && GradMode::enabled()))
      m = entry_map(idx, bounds, V, mode, pad, freq, g.dtype());
    if (need_w && GradMode::enabled()) {
      // Differentiable in g (and per_sample_weights): the rows' gradients gathered per entry and summed
      // back by the lookup's gradient; the max's routed by scatter_add to the rows in argmax.
      if (mode == 2) {  // an empty bag's argmax is -1: its gradient is masked, its index clamped to 0
        Tensor valid = zeros({g.size(0), D}, g.dtype(), g.device());
        RB_DISPATCH_FLOATING(g.dtype(), "embedding_bag_backward", [&] {
          const int64_t* pa = static_cast<const int64_t*>(argmax.raw_data());
          scalar_t* pvalid = static_cast<scalar_t*>(valid.raw_data());
          for (int64_t i = 0; i < valid.numel(); ++i) pvalid[i] = pa[i] >= 0;
        });
        dw =
            scatter_add(zeros({V, D}, g.dtype(), g.device()), 0, clamp(argmax, Scalar(0), std::nullopt), mul(g, valid));
      } else {
        Tensor s = pv.defined() ? mul(pv, m.scale) : m.scale;
        dw = embedding_dense_backward(mul(index_select(g, 0, m.bag_of), reshape(s, {n, 1})), idx, V, -1, false);
      }
    } else if (need_w) {
      Tensor gc = g.contiguous();
      dw = Tensor::empty({V, D}, g.dtype(), g.device());
      EmbeddingGeom eg{V, D, n, g.dtype(), pad, freq, g.size(0), mode};
      kernels<EmbeddingKernels>("embedding_bag_backward", gc)
          .embedding_bag_backward(eg, gc.raw_data(), idx.data<int64_t>(), bounds_t.data<int64_t>(), raw_or_null(pv),
                                  data_or_null<int64_t>(argmax), dw.raw_data());
    }
    if (need_psw) {
      // d out[b] / d psw[i] = weight[idx[i]]; an entry at padding_idx or past the last bag gets 0.
      dpsw = mul(sum(mul(index_select(g, 0, m.bag_of), embedding(weight.unpack(*this), idx)), {1}), m.in_bag);
    }
    return {dw, dpsw};
  }
};

}  // namespace

Tensor embedding_bag(const Tensor& weight, const Tensor& indices, const Tensor& offsets, bool scale_grad_by_freq,
                     int64_t mode, const std::optional<Tensor>& per_sample_weights, bool include_last_offset,
                     std::optional<int64_t> padding_idx, std::optional<double> max_norm, double norm_type) {
  const auto& k = kernels<EmbeddingKernels>("embedding_bag", weight);
  RB_CHECK(weight.dim() == 2, Error, "embedding_bag: 'weight' must be 2-D, got a weight of shape ", weight.shape());
  RB_CHECK(is_floating(weight.dtype()), Error, "embedding_bag: expected a float weight, got ",
           dtype_name(weight.dtype()));
  RB_CHECK(mode >= 0 && mode <= 2, ValueError, "mode has to be one of sum, mean or max");
  RB_CHECK(mode != 2 || !scale_grad_by_freq, ValueError,
           "max mode does not support scaling the gradient by the frequency");
  check_long(indices, 1, "indices");
  check_long(offsets, 2, "offsets");
  check_same_device(weight, indices, "embedding_bag");
  check_same_device(weight, offsets, "embedding_bag");
  RB_CHECK(indices.dim() == 1, Error, "embedding_bag: input has to be a 1D Tensor, got shape ", indices.shape());
  RB_CHECK(offsets.dim() == 1, Error, "offsets has to be a 1D Tensor, got shape ", offsets.shape());
  const int64_t V = weight.size(0), D = weight.size(1), n = indices.numel();
  int64_t pad = -1;
  if (padding_idx) {
    RB_CHECK(*padding_idx >= -V && *padding_idx < V, Error, "padding_idx must be within the number of embeddings, ", -V,
             " through ", V - 1, ", but got ", *padding_idx);
    pad = *padding_idx < 0 ? *padding_idx + V : *padding_idx;
  }
  Tensor psw;
  if (per_sample_weights) {
    psw = contiguous_nograd(*per_sample_weights);
    RB_CHECK(mode == 0, NotImplementedError,
             "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' "
             "(got mode='",
             mode == 1 ? "mean" : "max", "'). Please open a feature request on GitHub.");
    RB_CHECK(psw.dtype() == weight.dtype(), Error,
             "Expected tensor for argument #1 'weight' to have the same type as tensor for argument #1 "
             "'per_sample_weights'; but type ",
             dtype_name(weight.dtype()), " does not equal ", dtype_name(psw.dtype()),
             " (while checking arguments for embedding_bag)");
    RB_CHECK(psw.dim() == 1 && psw.numel() == n, ValueError, "embedding_bag: If per_sample_weights (", psw.shape(),
             ") is not None, then it must have the same shape as the input (", indices.shape(), ")");
    check_same_device(weight, psw, "embedding_bag");
    if (per_sample_weights->requires_grad()) psw = per_sample_weights->contiguous();
  }
  // The bags' bounds, read on the host: (B + 1) values, bag b is [bounds[b], bounds[b + 1]).
  Tensor idx = contiguous_nograd(indices), off = contiguous_nograd(offsets);
  const int64_t* pi = static_cast<const int64_t*>(idx.raw_data());
  const int64_t* po = static_cast<const int64_t*>(off.raw_data());
  const int64_t no = off.numel(), B = include_last_offset ? std::max<int64_t>(no - 1, 0) : no;
  std::vector<int64_t> bounds(po, po + std::min(no, B + 1));
  if (!include_last_offset || no == 0) bounds.push_back(n);
  if (no > 0)
    RB_CHECK(po[0] == 0, Error,
             "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. "
             "However, got ",
             po[0]);
  RB_CHECK(no == 0 || po[no - 1] <= n, Error, "offsets[-1] can not be greater than input's length ", n,
           " but got offsets[-1] of ", po[no - 1]);
  for (size_t b = 1; b < bounds.size(); ++b)
    RB_CHECK(bounds[b] >= bounds[b - 1], Error, "embedding_bag: offsets have to be non-decreasing, but got offsets[", b,
             "] = ", bounds[b], " after offsets[", b - 1, "] = ", bounds[b - 1]);
  for (int64_t i = 0; i < n; ++i)
    RB_CHECK(pi[i] >= 0 && pi[i] < V, Error, "Index ", i, " of input takes value ", pi[i],
             " which is not in the valid range [0, ", V, ")");
  Tensor bounds_t = Tensor::empty({static_cast<int64_t>(bounds.size())}, DType::Int64);
  std::copy(bounds.begin(), bounds.end(), static_cast<int64_t*>(bounds_t.raw_data()));
  if (max_norm) {
    NoGradGuard ng;
    Tensor wr = weight;  // a handle on the caller's weight, renormalized in place
    embedding_renorm_(wr, idx, *max_norm, norm_type);
  }
  if (!is_compute_dtype(weight.dtype())) {  // float16/bfloat16: the bags summed in float32, rounded once (opmath)
    std::optional<Tensor> pw;
    if (per_sample_weights) pw = widen(*per_sample_weights);
    return cast(embedding_bag(widen(weight), indices, offsets, scale_grad_by_freq, mode, pw, include_last_offset,
                              padding_idx, std::nullopt, norm_type),
                weight.dtype());
  }
  Tensor w = weight.contiguous();
  Tensor out = Tensor::empty({B, D}, weight.dtype(), weight.device());
  Tensor argmax = mode == 2 ? Tensor::empty({B, D}, DType::Int64, weight.device()) : Tensor();
  if (out.numel() > 0) {
    EmbeddingGeom eg{V, D, n, weight.dtype(), pad, scale_grad_by_freq, B, mode};
    k.embedding_bag_forward(eg, w.raw_data(), idx.data<int64_t>(), bounds_t.data<int64_t>(), raw_or_null(psw),
                            out.raw_data(), data_or_null<int64_t>(argmax));
  }
  if (any_requires_grad({&weight, &psw})) {
    auto node = std::make_shared<EmbeddingBagBackward0>();
    node->need_w = weight.requires_grad(), node->need_psw = psw.defined() && psw.requires_grad();
    if (node->need_psw) node->weight = SavedTensor(w);
    if (psw.defined()) node->psw = SavedTensor(psw);
    node->idx = idx, node->bounds_t = bounds_t, node->argmax = argmax, node->bounds = std::move(bounds);
    node->V = V, node->mode = mode, node->pad = pad, node->freq = scale_grad_by_freq;
    record(node, {&weight, &psw}, {&out});
  }
  return out;
}

}  // namespace rb
