// Join and split ops: cat and stack copy their inputs into one tensor (the backward slices the
// gradient apart); unbind, split and chunk return views of their input.
#include <algorithm>

#include "rosenblatt/ops.h"

#include "op_common.h"
#include "views.h"

namespace rb {

using namespace views;

namespace {

struct CatBackward : Node {
  int64_t dim = 0;
  std::vector<int64_t> sizes;
  std::vector<DType> dtypes;
  std::string name() const override { return "CatBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    std::vector<Tensor> out;
    int64_t off = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] < 0) {  // a skipped legacy empty input
        out.push_back(zeros({0}, dtypes[i], g[0].device()));
        continue;
      }
      // Under create_graph the slice is recorded, so the pieces can be differentiated again.
      Tensor gi =
          GradMode::enabled() ? slice(g[0], dim, off, off + sizes[i], 1) : slice_raw(g[0], dim, off, sizes[i], 1);
      off += sizes[i];
      out.push_back(is_floating(dtypes[i]) ? cast(gi, dtypes[i]) : Tensor());
    }
    return out;
  }
};

}  // namespace

std::vector<Tensor> unbind(const Tensor& x, int64_t dim) {
  RB_CHECK(x.dim() > 0, IndexError, "Dimension specified as 0 but tensor has no dimensions");
  int64_t d = wrap_dim(dim, x.dim());
  std::vector<Tensor> out;
  for (int64_t i = 0; i < x.shape()[d]; ++i) out.push_back(select(x, d, i));
  return out;
}

std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim) {
  RB_CHECK(x.dim() > 0, Error, "split expects at least a 1-dimensional tensor");
  RB_CHECK(split_size >= 0, Error, "split expects split_size be non-negative, but got split_size=", split_size);
  int64_t d = wrap_dim(dim, x.dim()), n = x.shape()[d];
  RB_CHECK(split_size > 0 || n == 0, Error,
           "split_size can only be 0 if dimension size is 0, but got dimension size of ", n);
  int64_t parts = split_size == 0 ? 1 : std::max<int64_t>((n + split_size - 1) / split_size, 1);
  std::vector<Tensor> out;
  for (int64_t i = 0; i < parts; ++i) {
    int64_t start = i * split_size;
    out.push_back(narrow(x, d, start, std::min(split_size, n - start)));
  }
  return out;
}

std::vector<Tensor> split_with_sizes(const Tensor& x, const std::vector<int64_t>& sizes, int64_t dim) {
  RB_CHECK(x.dim() > 0, Error, "split expects at least a 1-dimensional tensor");
  int64_t d = wrap_dim(dim, x.dim()), n = x.shape()[d], total = 0;
  for (int64_t s : sizes) {
    RB_CHECK(s >= 0, Error,
             "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=", sizes);
    total += s;
  }
  RB_CHECK(total == n, Error, "split_with_sizes expects split_sizes to sum exactly to ", n,
           " (input tensor's size at dimension ", d, "), but got split_sizes=", sizes);
  std::vector<Tensor> out;
  int64_t start = 0;
  for (int64_t s : sizes) out.push_back(narrow(x, d, start, s)), start += s;
  return out;
}

std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim) {
  RB_CHECK(x.dim() > 0, Error, "chunk expects at least a 1-dimensional tensor");
  RB_CHECK(chunks > 0, Error, "chunk expects `chunks` to be greater than 0, got: ", chunks);
  int64_t n = x.shape()[wrap_dim(dim, x.dim())];
  // An empty dim gives `chunks` empty pieces, as PyTorch's chunk (split would give one).
  if (n == 0) return split_with_sizes(x, std::vector<int64_t>(chunks, 0), dim);
  return split(x, std::max<int64_t>((n + chunks - 1) / chunks, 1), dim);
}

Tensor cat(const std::vector<Tensor>& xs, int64_t dim) {
  RB_CHECK(!xs.empty(), Error, "torch.cat(): expected a non-empty list of Tensors");
  // 1-D empty tensors are skipped, a legacy rule PyTorch keeps.
  auto skipped = [](const Tensor& t) { return t.dim() == 1 && t.numel() == 0; };
  const Tensor* ref = nullptr;
  DType dt = xs[0].dtype();
  for (size_t i = 0; i < xs.size(); ++i) {
    RB_CHECK(xs[i].dim() > 0, Error, "zero-dimensional tensor (at position ", i, ") cannot be concatenated");
    RB_CHECK(xs[i].device() == xs[0].device(), Error,
             "Expected all tensors to be on the same device, but found at least two devices, ", xs[0].device().name(),
             " and ", xs[i].device().name(), "!");
    dt = promote(dt, xs[i].dtype());
    if (!ref && !skipped(xs[i])) ref = &xs[i];
  }
  if (!ref) ref = &xs[0];
  int64_t d = wrap_dim(dim, ref->dim()), total = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const Tensor& t = xs[i];
    if (skipped(t) && &t != ref) continue;
    RB_CHECK(t.dim() == ref->dim(), Error, "Tensors must have same number of dimensions: got ", ref->dim(), " and ",
             t.dim(), " (shapes ", ref->shape(), " and ", t.shape(), ")");
    for (int64_t k = 0; k < t.dim(); ++k)
      RB_CHECK(k == d || t.shape()[k] == ref->shape()[k], Error, "Sizes of tensors must match except in dimension ", d,
               ". Expected size ", ref->shape()[k], " but got size ", t.shape()[k], " for tensor number ", i,
               " in the list (shapes ", ref->shape(), " and ", t.shape(), ")");
    total += t.shape()[d];
  }
  Shape shape = ref->shape();
  shape[d] = total;
  Tensor out = Tensor::empty(shape, dt, ref->device());
  std::vector<int64_t> sizes;
  std::vector<DType> dtypes;
  int64_t off = 0;
  for (const Tensor& t : xs) {
    dtypes.push_back(t.dtype());
    if (skipped(t) && &t != ref) {
      sizes.push_back(-1);
      continue;
    }
    Tensor v = slice_raw(out, d, off, t.shape()[d], 1);
    if (t.numel() > 0) copy_values(t, v);
    sizes.push_back(t.shape()[d]);
    off += t.shape()[d];
  }
  bool grad = false;
  for (const Tensor& t : xs) grad = grad || needs_grad(t);
  if (grad && is_floating(dt)) {
    auto node = std::make_shared<CatBackward>();
    node->dim = d, node->sizes = sizes, node->dtypes = dtypes;
    std::vector<const Tensor*> ins;
    for (const Tensor& t : xs) ins.push_back(&t);
    record(node, ins, {&out});
  }
  return out;
}

Tensor stack(const std::vector<Tensor>& xs, int64_t dim) {
  RB_CHECK(!xs.empty(), Error, "stack expects a non-empty TensorList");
  for (size_t i = 1; i < xs.size(); ++i)
    RB_CHECK(xs[i].shape() == xs[0].shape(), Error, "stack expects each tensor to be equal size, but got ",
             xs[0].shape(), " at entry 0 and ", xs[i].shape(), " at entry ", i);
  int64_t d = wrap_dim(dim, xs[0].dim() + 1);
  std::vector<Tensor> us;
  for (const Tensor& t : xs) us.push_back(unsqueeze(t, d));
  return cat(us, d);
}

}  // namespace rb
