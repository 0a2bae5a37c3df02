// sort, argsort, topk and kthvalue (the last of a top-k): checks, the (outer, R, inner) view of the sorted dim, and the
// gradient of the values, which goes back to the positions the indices name (its own gradient gathers there).
#include "rosenblatt/ops.h"

#include "columns.h"
#include "indexing_calls.h"
#include "op_common.h"

#include "../kernels/sort.h"

namespace rb {
namespace {

struct SortedValuesBackward : Node {
  const char* op = "Sort";
  Shape in_shape;
  int64_t dim = 0;
  SavedTensor indices;
  std::string name() const override { return std::string(op) + "Backward0"; }
  void release_saved() override { indices.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor gi = zeros(in_shape, g[0].dtype(), g[0].device()), ix = indices.unpack(*this);
    scatter_into("sort_backward", gi, dim, ix, g[0], true);
    record_adjoint(op, g[0], gi, [ix, d = dim](const Tensor& gg) { return gather(gg, d, ix); });
    return {gi};
  }
};

void record_values(const char* op, const Tensor& x, int64_t d, ValuesIndices& r) {
  if (!needs_grad(x)) return;
  auto node = std::make_shared<SortedValuesBackward>();
  node->op = op, node->in_shape = x.shape(), node->dim = d, node->indices = SavedTensor(r.indices);
  record(node, {&x}, {&r.values});
}

// A storage dtype (float16, the narrow integers) is ordered in its compute dtype: the widening is exact and keeps
// the order (nan included), so only the values are cast back.
ValuesIndices narrowed(ValuesIndices r, DType dt) { return {cast(r.values, dt), r.indices}; }

// A 0-d tensor is its own sort and its own top-1.
ValuesIndices scalar_result(const Tensor& x) { return {clone(x), zeros({}, DType::Int64, x.device())}; }

}  // namespace

ValuesIndices sort(const Tensor& x, int64_t dim, bool descending, bool stable) {
  (void)stable;  // the kernel is stable either way
  const auto& k = kernels<SortKernels>("sort", x);
  const int64_t d = wrap_dim(dim, x.dim());
  if (x.dim() == 0) return scalar_result(x);
  if (!is_compute_dtype(x.dtype())) return narrowed(sort(widen(x), dim, descending, stable), x.dtype());
  ValuesIndices r{Tensor::empty(x.shape(), x.dtype(), x.device()), Tensor::empty(x.shape(), DType::Int64, x.device())};
  k.sort(scan_geom(x.shape(), d, x.dtype()), contiguous_nograd(x).raw_data(), descending, r.values.raw_data(),
         r.indices.data<int64_t>());
  record_values("Sort", x, d, r);
  return r;
}

Tensor argsort(const Tensor& x, int64_t dim, bool descending, bool stable) {
  NoGradGuard ng;
  return sort(x, dim, descending, stable).indices;
}

ValuesIndices topk(const Tensor& x, int64_t k, int64_t dim, bool largest, bool sorted) {
  (void)sorted;  // the k are returned in order either way
  const auto& kern = kernels<SortKernels>("topk", x);
  const int64_t d = wrap_dim(dim, x.dim());
  const int64_t R = x.dim() == 0 ? 1 : x.size(d);
  RB_CHECK(k >= 0 && k <= R, Error, "selected index k out of range (k = ", k, " for dimension ", d, " of size ", R,
           ", input shape ", x.shape(), ")");
  if (x.dim() == 0) return scalar_result(x);
  if (!is_compute_dtype(x.dtype())) return narrowed(topk(widen(x), k, dim, largest, sorted), x.dtype());
  Shape shape = x.shape();
  shape[d] = k;
  ValuesIndices r{Tensor::empty(shape, x.dtype(), x.device()), Tensor::empty(shape, DType::Int64, x.device())};
  if (r.values.numel() > 0)
    kern.topk(scan_geom(x.shape(), d, x.dtype()), contiguous_nograd(x).raw_data(), k, largest, r.values.raw_data(),
              r.indices.data<int64_t>());
  record_values("Topk", x, d, r);
  return r;
}

ValuesIndices kthvalue(const Tensor& x, int64_t k, int64_t dim, bool keepdim) {
  const int64_t d = wrap_dim(dim, x.dim());
  const int64_t R = x.dim() == 0 ? 1 : x.size(d);
  RB_CHECK(R > 0, IndexError, "kthvalue(): Expected reduction dim ", d, " to have non-zero size. (input shape ",
           x.shape(), ")");
  RB_CHECK(k >= 1 && k <= R, Error, "kthvalue(): selected number k out of range for dimension ", d, " (k = ", k,
           ", size ", R, ")");
  if (x.dim() == 0) return scalar_result(x);
  // The k smallest in order end with the k-th; copied out of them, as a result of its own.
  ValuesIndices r = topk(x, k, d, false, true);
  r.values = clone(narrow(r.values, d, k - 1, 1));
  {
    NoGradGuard ng;
    r.indices = clone(narrow(r.indices, d, k - 1, 1));
  }
  if (!keepdim)
    r.values = squeeze(r.values, std::vector<int64_t>{d}), r.indices = squeeze(r.indices, std::vector<int64_t>{d});
  return r;
}

}  // namespace rb
