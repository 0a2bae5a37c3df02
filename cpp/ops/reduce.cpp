// Reductions (sum, mean) and sum_to, the inverse of broadcasting that every backward uses.
#include <algorithm>

#include "rosenblatt/ops.h"

#include "../kernels/cpu/reduce.h"

namespace rb {
namespace {

// Sorted, unique, wrapped dims; empty input means all dims.
std::vector<int64_t> normalize_dims(const Dims& dims, int64_t ndim) {
  std::vector<int64_t> out;
  if (dims.empty()) {
    for (int64_t i = 0; i < ndim; ++i) out.push_back(i);
    return out;
  }
  std::vector<bool> seen(std::max<int64_t>(ndim, 1), false);
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, ndim);
    RB_CHECK(!seen[w], Error, "dim ", w, " appears multiple times in the list of dims");
    seen[w] = true;
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  if (ndim == 0) out.clear();
  return out;
}

Shape reduced_shape(const Shape& shape, const std::vector<int64_t>& dims, bool keepdim) {
  Shape out;
  for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i) {
    bool r = std::binary_search(dims.begin(), dims.end(), i);
    if (!r) out.push_back(shape[i]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}

struct SumBackward : Node {
  Shape in_shape, kept_shape;  // kept_shape: the output shape with keepdim=true
  std::string name() const override { return "SumBackward1"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    return {expand(reshape(g[0], kept_shape), in_shape)};
  }
};

}  // namespace

Tensor sum(const Tensor& x, const Dims& dims_in, bool keepdim, std::optional<DType> dtype) {
  std::vector<int64_t> dims = normalize_dims(dims_in, x.dim());
  DType out_dtype = dtype ? *dtype : (is_floating(x.dtype()) ? x.dtype() : DType::Int64);
  Tensor src = dtype && *dtype != x.dtype() ? to_dtype(x, *dtype) : x;
  Shape kept = reduced_shape(x.shape(), dims, true);
  Shape out_shape = reduced_shape(x.shape(), dims, keepdim);

  // Bring the reduced dims together: if they are already one block, view as (outer, R, inner);
  // otherwise move them to the end and copy.
  bool block = dims.empty() || dims.back() - dims.front() + 1 == static_cast<int64_t>(dims.size());
  Tensor c;
  int64_t outer = 1, R = 1, inner = 1;
  {
    NoGradGuard ng;
    if (block) {
      c = src.contiguous();
      for (int64_t i = 0; i < x.dim(); ++i) {
        if (dims.empty() || i < dims.front()) outer *= x.shape()[i];
        else if (i > dims.back()) inner *= x.shape()[i];
        else R *= x.shape()[i];
      }
      if (dims.empty()) outer = x.numel(), R = 1;
    } else {
      std::vector<int64_t> perm;
      for (int64_t i = 0; i < x.dim(); ++i)
        if (!std::binary_search(dims.begin(), dims.end(), i)) perm.push_back(i), outer *= x.shape()[i];
      for (int64_t d : dims) perm.push_back(d), R *= x.shape()[d];
      c = clone(permute(src, perm));
    }
  }
  Tensor out = Tensor::empty(out_shape, out_dtype, x.device());
  cpu::sum_forward(c, outer, R, inner, out);
  if (needs_grad(src)) {
    auto node = std::make_shared<SumBackward>();
    node->in_shape = x.shape();
    node->kept_shape = kept;
    record(node, {&src}, {&out});
  }
  return out;
}

Tensor mean(const Tensor& x, const Dims& dims_in, bool keepdim) {
  RB_CHECK(is_floating(x.dtype()), Error,
           "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ",
           dtype_name(x.dtype()));
  std::vector<int64_t> dims = normalize_dims(dims_in, x.dim());
  int64_t count = 1;
  for (int64_t d : dims) count *= x.shape()[d];
  // An empty reduction is 0/0 = nan, as in PyTorch.
  return div(sum(x, dims_in, keepdim), scalar_tensor(Scalar(static_cast<double>(count)), x.dtype(), x.device()));
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  int64_t lead = x.dim() - static_cast<int64_t>(shape.size());
  RB_CHECK(lead >= 0, Error, "sum_to: cannot reduce ", x.shape(), " to ", shape);
  Dims dims;
  for (int64_t i = 0; i < x.dim(); ++i)
    if (i < lead || (shape[i - lead] == 1 && x.shape()[i] != 1)) dims.push_back(i);
  if (dims.empty()) return reshape(x, shape);
  return reshape(sum(x, dims, true), shape);
}

}  // namespace rb
