// searchsorted/bucketize, unique/unique_consecutive, bincount, histc and scatter_reduce: checks with
// PyTorch's messages, then the search kernels. Only scatter_reduce is differentiable; its backward is
// PyTorch's formula built from ops (so it is differentiable again).
#include "rosenblatt/ops/search.h"

#include <cmath>
#include <limits>

#include "aten_names.h"
#include "indexing_calls.h"
#include "op_common.h"
#include "pointers.h"

#include "../kernels/search.h"

namespace rb {
namespace {

Tensor search(const Tensor& seq_in, const Tensor& input_in, bool out_int32, bool right,
              const std::optional<std::string>& side, const std::optional<Tensor>& sorter_in, bool scalar_input) {
  const char* op = "torch.searchsorted(): ";
  const auto& k = kernels<SearchKernels>("searchsorted", seq_in);
  check_same_device(seq_in, input_in, "searchsorted");
  RB_CHECK(seq_in.dim() > 0, Error, op, "boundaries tensor should have positive dimension, but got 0 dimension");
  if (side) {
    RB_CHECK(*side == "left" || *side == "right", Error, op, "side can only be 'left' or 'right' but got ", *side);
    RB_CHECK(!(right && *side == "left"), Error, op,
             "side and right can't be set to opposites, got side of left while right was True");
    right = *side == "right";
  }
  if (scalar_input || input_in.dim() == 0) {
    RB_CHECK(seq_in.dim() == 1, Error, op,
             "input value can be a scalar only when boundaries tensor dimension is 1, but we got boundaries tensor "
             "dim(",
             seq_in.dim(), ") and input value's dim(", input_in.dim(), ") numel(", input_in.numel(), ")");
  } else if (seq_in.dim() > 1) {
    bool match = seq_in.dim() == input_in.dim();
    for (int64_t d = 0; match && d + 1 < seq_in.dim(); ++d) match = seq_in.size(d) == input_in.size(d);
    RB_CHECK(match, Error, op,
             "boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value "
             "tensor must match, but we got boundaries tensor ",
             seq_in.shape(), " and input value tensor ", input_in.shape());
  }
  Tensor sorter;
  if (sorter_in && sorter_in->defined()) {
    RB_CHECK(sorter_in->dtype() == DType::Int64, Error, op, "sorter must be a tensor of long dtype but got dtype ",
             aten_name(sorter_in->dtype()));
    RB_CHECK(sorter_in->shape() == seq_in.shape(), Error, op,
             "boundary and sorter must have the same size, but got boundary tensor ", seq_in.shape(),
             "and got sorter tensor ", sorter_in->shape());
    sorter = contiguous_nograd(*sorter_in);
    if (sorter.numel() > 0) {
      NoGradGuard ng;
      const bool in_range = all(logical(LogicalOp::And, binary(BinaryOp::Ge, sorter, Scalar(int64_t(0))),
                                        binary(BinaryOp::Lt, sorter, Scalar(seq_in.size(-1)))))
                                .item<bool>();
      RB_CHECK(in_range, Error, op, "sorter index out of range");
    }
  }
  // Both sides compared in their common dtype, in the dtype math runs in.
  NoGradGuard ng;
  const DType common = compute_type(promote(seq_in.dtype(), input_in.dtype()));
  Tensor seq = contiguous_nograd(cast(seq_in, common)), values = contiguous_nograd(cast(input_in, common));
  // values as rows of N; each row searches the sequence's matching row (all share a 1-D sequence).
  const int64_t S = seq.size(-1), N = values.dim() == 0 ? 1 : values.size(-1);
  const int64_t rows = N > 0 ? values.numel() / N : 0, SB = seq.dim() == 1 ? 1 : rows;
  Tensor out = Tensor::empty(values.shape(), DType::Int64, values.device());
  SearchGeom g;
  g.rows = rows, g.cols = N, g.seq_rows = SB, g.seq = S, g.dtype = common;
  if (values.numel() > 0)
    k.searchsorted(g, seq.raw_data(), data_or_null<int64_t>(sorter), values.raw_data(), right, out.data<int64_t>());
  return out_int32 ? cast(out, DType::Int32) : out;
}

// The group structure of x's rows (x viewed as (N, M) with dim first), from the kernel.
UniqueResult unique_impl(const Tensor& x_in, bool sort, bool return_inverse, bool return_counts,
                         std::optional<int64_t> dim, const char* name) {
  const auto& k = kernels<SearchKernels>(name, x_in);
  NoGradGuard ng;
  Tensor x = x_in.dtype() == DType::Bool ? x_in : widen(x_in);
  int64_t d = 0;
  Tensor rows;
  if (dim) {
    d = wrap_dim(*dim, x.dim());
    RB_CHECK(x.dim() > 0, IndexError, "Dimension specified as ", *dim, " but tensor has no dimensions");
    bool zero_elsewhere = false;
    for (int64_t i = 0; i < x.dim(); ++i) zero_elsewhere = zero_elsewhere || (i != d && x.size(i) == 0);
    RB_CHECK(!zero_elsewhere, Error,
             "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
    rows = contiguous_nograd(movedim(x, {d}, {0}));
    rows = reshape(rows, {x.size(d), x.size(d) == 0 ? 0 : x.numel() / x.size(d)});
  } else {
    rows = reshape(contiguous_nograd(x), {x.numel(), 1});
  }
  const int64_t N = rows.size(0);
  Tensor first = Tensor::empty({N}, DType::Int64, x.device()), inverse = Tensor::empty({N}, DType::Int64, x.device());
  Tensor counts = Tensor::empty({N}, DType::Int64, x.device());
  SearchGeom g;
  g.rows = N, g.cols = N > 0 ? rows.numel() / N : 0, g.dtype = rows.dtype();
  const int64_t G = N > 0 ? k.group_rows(g, rows.raw_data(), sort, first.data<int64_t>(), inverse.data<int64_t>(),
                                         counts.data<int64_t>())
                          : 0;
  UniqueResult r;
  Tensor pick = narrow(first, 0, 0, G);
  r.values = dim ? index_select(x, d, pick) : index_select(reshape(x, {x.numel()}), 0, pick);
  r.values = cast(r.values, x_in.dtype());
  r.inverse = return_inverse ? (dim ? inverse : reshape(inverse, x.shape())) : zeros({0}, DType::Int64, x.device());
  r.counts = return_counts ? clone(narrow(counts, 0, 0, G)) : zeros({0}, DType::Int64, x.device());
  return r;
}

ScatterReduce parse_reduce(const std::string& s) {
  if (s == "sum") return ScatterReduce::Sum;
  if (s == "prod") return ScatterReduce::Prod;
  if (s == "mean") return ScatterReduce::Mean;
  // PyTorch also takes scatter_'s legacy names for the extremes.
  if (s == "amax" || s == "max") return ScatterReduce::Amax;
  if (s == "amin" || s == "min") return ScatterReduce::Amin;
  throw Error(str("reduce argument must be either sum, prod, mean, amax or amin, got ", s));
}

// The forward alone: checked arguments, the kernel on x's compute dtype, x's dtype back.
Tensor scatter_reduce_values(const Tensor& x, int64_t d, const Tensor& index, const Tensor& src, ScatterReduce red,
                             bool include_self) {
  NoGradGuard ng;
  const DType ct = x.dtype() == DType::Bool ? DType::Int64 : compute_type(x.dtype());
  Tensor out = clone(cast(x, ct));
  if (index.numel() > 0) {
    const Tensor ix = contiguous_nograd(index), s = contiguous_nograd(cast(src, ct));
    kernels<SearchKernels>("scatter_reduce", x)
        .scatter_reduce(scatter_geom(out, d, ix, s), out.numel(), out.raw_data(), ix.data<int64_t>(), s.raw_data(), red,
                        include_self);
  }
  return cast(out, x.dtype());
}

// PyTorch's scatter_reduce_backward (FunctionsManual.cpp), from ops.
struct ScatterReduceBackward : Node {
  SavedTensor x, index, src, result;
  int64_t dim = 0;
  ScatterReduce reduce = ScatterReduce::Sum;
  std::string reduce_name;
  bool include_self = true, need_x = false, need_src = false;
  Shape src_shape;
  std::string name() const override { return "ScatterReduceBackward0"; }
  void release_saved() override { x.reset(), index.reset(), src.reset(), result.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor self = x.unpack(*this), ix = index.unpack(*this), s = src.unpack(*this), res = result.unpack(*this);
    // Only src's part covered by index takes part (the rest is padded with zeros below).
    for (int64_t d = 0; d < s.dim(); ++d)
      if (s.size(d) != ix.size(d)) s = narrow(s, d, 0, ix.size(d));
    const Tensor& grad = g[0];
    Tensor gself, gsrc;
    switch (reduce) {
      case ScatterReduce::Sum: gself = grad, gsrc = gather(grad, dim, ix); break;
      case ScatterReduce::Mean: {
        Tensor n = include_self ? ones_like(grad) : zeros_like(grad);
        {
          NoGradGuard ng;
          n = scatter_add(n, dim, ix, ones_like(s));
          n = masked_fill(n, binary(BinaryOp::Eq, n, Scalar(0.0)), Scalar(1.0));
        }
        gself = div(grad, n), gsrc = div(gather(grad, dim, ix), gather(n, dim, ix));
        break;
      }
      case ScatterReduce::Amax:
      case ScatterReduce::Amin: {
        // Ties split the gradient evenly among x's and src's elements equal to the result.
        Tensor value = gather(res, dim, ix), self_is, src_is, n;
        {
          NoGradGuard ng;
          self_is = cast(binary(BinaryOp::Eq, self, res), self.dtype());
          src_is = cast(binary(BinaryOp::Eq, s, value), self.dtype());
          n = scatter_add(self_is, dim, ix, src_is);
        }
        Tensor share = div(grad, n);
        gself = mul(self_is, share), gsrc = mul(src_is, gather(share, dim, ix));
        break;
      }
      case ScatterReduce::Prod: {
        // Zeros are left out of the products explicitly: dividing the result by them would fail.
        Tensor masked_self, src_zero, single_zero, masked_src;
        bool multi_zero = false;
        {
          NoGradGuard ng;
          src_zero = binary(BinaryOp::Eq, s, Scalar(0.0));
          Tensor nz = gather(scatter_add(zeros_like(self), dim, ix, cast(src_zero, self.dtype())), dim, ix);
          single_zero = logical(LogicalOp::And, src_zero, binary(BinaryOp::Eq, nz, Scalar(1.0)));
          multi_zero = any(binary(BinaryOp::Gt, nz, Scalar(1.0))).item<bool>();
        }
        masked_self = masked_fill(self, binary(BinaryOp::Eq, self, Scalar(0.0)), Scalar(1.0));
        gself = div(mul(grad, scatter_reduce(masked_self, dim, ix, s, reduce_name, include_self)), masked_self);
        masked_src = masked_fill(s, single_zero, Scalar(1.0));
        Tensor masked_src_result = scatter_reduce(self, dim, ix, masked_src, reduce_name, include_self);
        gsrc = where(single_zero, gather(mul(grad, masked_src_result), dim, ix),
                     div(gather(mul(grad, res), dim, ix), masked_fill(s, src_zero, Scalar(1.0))));
        // Two zeros of src in one product: src's gradient is right, its derivative is not (PyTorch refuses it too).
        if (multi_zero && GradMode::enabled()) {
          std::vector<Tensor> r{gsrc.detach()};
          mark_once_differentiable("ScatterReduce", {&grad, &self, &s}, r);
          gsrc = r[0];
        }
        break;
      }
    }
    if (!include_self) gself = scatter(gself, dim, ix, zeros({}, gself.dtype(), gself.device()));
    // src may be larger than index: its elements past index's extent get no gradient.
    for (int64_t d = 0; need_src && d < gsrc.dim(); ++d) {
      const int64_t extra = src_shape[d] - gsrc.size(d);
      if (extra == 0) continue;
      Shape pad = gsrc.shape();
      pad[d] = extra;
      gsrc = cat({gsrc, zeros(pad, gsrc.dtype(), gsrc.device())}, d);
    }
    return {need_x ? gself : Tensor(), need_src ? gsrc : Tensor()};
  }
};

}  // namespace

Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& input, bool out_int32, bool right,
                    const std::optional<std::string>& side, const std::optional<Tensor>& sorter) {
  return search(sorted_sequence, input, out_int32, right, side, sorter, false);
}
Tensor searchsorted(const Tensor& sorted_sequence, Scalar input, bool out_int32, bool right,
                    const std::optional<std::string>& side, const std::optional<Tensor>& sorter) {
  // A Python number takes the sequence's dtype unless it is a float against integers (PyTorch's wrapped numbers).
  const DType sd = sorted_sequence.dtype();
  const DType vd = is_floating(sd) ? sd : input.is_floating() ? DType::Float32 : DType::Int64;
  Tensor v = scalar_tensor(input, vd, sorted_sequence.device());
  return search(sorted_sequence, v, out_int32, right, side, sorter, true);
}

Tensor bucketize(const Tensor& input, const Tensor& boundaries, bool out_int32, bool right) {
  RB_CHECK(boundaries.dim() == 1, Error, "boundaries tensor must be 1 dimension, but got dim(", boundaries.dim(), ")");
  return search(boundaries, input, out_int32, right, {}, {}, false);
}
Tensor bucketize(Scalar input, const Tensor& boundaries, bool out_int32, bool right) {
  RB_CHECK(boundaries.dim() == 1, Error, "boundaries tensor must be 1 dimension, but got dim(", boundaries.dim(), ")");
  return searchsorted(boundaries, input, out_int32, right);
}

UniqueResult unique(const Tensor& x, bool sorted, bool return_inverse, bool return_counts, std::optional<int64_t> dim) {
  // Always sorted: sorted=false allows any order, and this one is valid.
  (void)sorted;
  return unique_impl(x, true, return_inverse, return_counts, dim, "unique");
}

UniqueResult unique_consecutive(const Tensor& x, bool return_inverse, bool return_counts, std::optional<int64_t> dim) {
  return unique_impl(x, false, return_inverse, return_counts, dim, "unique_consecutive");
}

Tensor bincount(const Tensor& x_in, const std::optional<Tensor>& weights_in, int64_t minlength) {
  const auto& k = kernels<SearchKernels>("bincount", x_in);
  RB_CHECK(!is_floating(x_in.dtype()) && x_in.dtype() != DType::Bool, NotImplementedError,
           "\"bincount_cpu\" not implemented for '", aten_name(x_in.dtype()), "'");
  RB_CHECK(minlength >= 0, Error, "minlength should be >= 0");
  NoGradGuard ng;
  Tensor x = contiguous_nograd(widen(x_in));
  bool ok = x.dim() == 1;
  int64_t top = -1;
  if (ok && x.numel() > 0) {
    ok = min(x).item<int64_t>() >= 0;
    top = max(x).item<int64_t>();
  }
  RB_CHECK(ok, Error, "bincount only supports 1-d non-negative integral inputs.");
  // ATen returns minlength zeros for an empty input before it looks at the weights (int64 even with them).
  if (x.numel() == 0) return zeros({minlength}, DType::Int64, x.device());
  RB_CHECK(top < std::numeric_limits<int64_t>::max(), Error, "bincount: size [", top,
           " + 1] is too large (overflows int64)");
  Tensor w;
  DType out_dtype = DType::Int64;
  if (weights_in && weights_in->defined()) {
    check_same_device(x_in, *weights_in, "bincount");
    RB_CHECK(weights_in->dim() == 1 && weights_in->numel() == x.numel(), Error,
             "weights should be 1-d and have the same length as input");
    out_dtype = weights_in->dtype() == DType::Float32 ? DType::Float32 : DType::Float64;
    w = contiguous_nograd(cast(*weights_in, out_dtype));
  }
  Tensor out = zeros({std::max(top + 1, minlength)}, out_dtype, x.device());
  SearchGeom g;
  g.n = x.numel(), g.bins = out.numel(), g.dtype = out_dtype;
  if (x.numel() > 0) k.bincount(g, x.data<int64_t>(), raw_or_null(w), out.raw_data());
  return out;
}

Tensor histc(const Tensor& x_in, int64_t bins, Scalar min_s, Scalar max_s) {
  const auto& k = kernels<SearchKernels>("histc", x_in);
  RB_CHECK(is_floating(x_in.dtype()), NotImplementedError, "\"histogram_cpu\" not implemented for '",
           aten_name(x_in.dtype()), "'");
  RB_CHECK(bins > 0, Error, "torch.histogram(): bins must be > 0, but got ", bins, " for dimension 0");
  NoGradGuard ng;
  Tensor x = contiguous_nograd(widen(x_in));
  double lo = min_s.f, hi = max_s.f;
  if (lo == hi && x.numel() > 0) lo = min(x).item<double>(), hi = max(x).item<double>();
  if (lo == hi) lo -= 1, hi += 1;
  RB_CHECK(std::isfinite(lo) && std::isfinite(hi), Error, "torch.histc: range of [", lo, ", ", hi, "] is not finite");
  RB_CHECK(lo < hi, Error, "torch.histc: max must be larger than min");
  Tensor out = zeros({bins}, x.dtype(), x.device());
  SearchGeom g;
  g.n = x.numel(), g.bins = bins, g.dtype = x.dtype(), g.arith = x_in.dtype();
  if (x.numel() > 0) k.histc(g, x.raw_data(), lo, hi, out.raw_data());
  return cast(out, x_in.dtype());
}

Tensor scatter_reduce(const Tensor& x_in, int64_t dim, const Tensor& index_in, const Tensor& src_in,
                      const std::string& reduce, bool include_self) {
  const ScatterReduce red = parse_reduce(reduce);
  check_same_device(x_in, index_in, "scatter_reduce");
  check_same_device(x_in, src_in, "scatter_reduce");
  RB_CHECK(index_in.dtype() == DType::Int64 || index_in.dtype() == DType::Int32, Error,
           "scatter(): Expected dtype int32/int64 for index");
  RB_CHECK(x_in.dtype() == src_in.dtype(), Error, "scatter(): Expected self.dtype to be equal to src.dtype");
  RB_CHECK(!(red == ScatterReduce::Mean && x_in.dtype() == DType::Bool), NotImplementedError,
           "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'");
  // A 0-d operand is a 1-element 1-D one, as in gather and scatter.
  Tensor x = x_in.dim() == 0 ? reshape(x_in, {1}) : x_in;
  Tensor index = cast(index_in.dim() == 0 ? reshape(index_in, {1}) : index_in, DType::Int64);
  Tensor src = src_in.dim() == 0 ? reshape(src_in, {1}) : src_in;
  const int64_t d = wrap_dim(dim, x.dim());
  if (index.numel() > 0) {  // an empty index reads and writes nothing: PyTorch checks no shapes then
    RB_CHECK(index.dim() == x.dim(), Error, "Index tensor must have the same number of dimensions as self tensor");
    RB_CHECK(index.dim() == src.dim(), Error, "Index tensor must have the same number of dimensions as src tensor");
    for (int64_t i = 0; i < index.dim(); ++i)
      RB_CHECK(index.size(i) <= src.size(i) && (i == d || index.size(i) <= x.size(i)), Error, "Expected index ",
               index.shape(), " to be no larger than self ", x.shape(), " apart from dimension ", d,
               " and to be no larger size than src ", src.shape());
    auto bad = index_out_of_range("scatter_reduce", index, x.size(d), false);
    RB_CHECK(!bad, Error, "index ", bad ? *bad : 0, " is out of bounds for dimension ", d, " with size ", x.size(d));
  }
  Tensor out = scatter_reduce_values(x, d, index, src, red, include_self);
  if (needs_grad(x, src) && is_floating(x.dtype())) {
    auto node = std::make_shared<ScatterReduceBackward>();
    node->x = SavedTensor(x), node->index = SavedTensor(index), node->src = SavedTensor(src);
    node->result = SavedTensor::output(out), node->dim = d, node->reduce = red, node->reduce_name = reduce;
    node->src_shape = src.shape(), node->include_self = include_self, node->need_x = x.requires_grad(),
    node->need_src = src.requires_grad();
    record(node, {&x, &src}, {&out});
  }
  return x_in.dim() == 0 ? reshape(out, {}) : out;
}

Tensor& scatter_reduce_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, const std::string& reduce,
                        bool include_self) {
  check_inplace(x);
  // The backward reads x's old values: it saves a copy, since x itself is overwritten.
  return write_back(x, scatter_reduce(needs_grad(x) ? clone(x) : x, dim, index, src, reduce, include_self));
}

}  // namespace rb
