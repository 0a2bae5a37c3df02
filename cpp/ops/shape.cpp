// View and shape ops. Views alias their input's storage (and so its version counter); each
// records a node whose backward maps the gradient back to the input's shape.
#include <algorithm>
#include <numeric>

#include "rosenblatt/ops.h"

namespace rb {
namespace {

struct ReshapeBackward : Node {  // view, reshape, squeeze, unsqueeze, flatten
  bool is_view() const override { return true; }
  Shape in_shape;
  std::string name() const override { return "ViewBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {reshape(g[0], in_shape)}; }
};

struct PermuteBackward : Node {
  bool is_view() const override { return true; }
  std::vector<int64_t> inverse;
  std::string name() const override { return "PermuteBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {permute(g[0], inverse)}; }
};

struct ExpandBackward : Node {
  bool is_view() const override { return true; }
  Shape in_shape;
  std::string name() const override { return "ExpandBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {sum_to(g[0], in_shape)}; }
};

// The storage offset of each element of a (sizes, strides, offset) geometry, minus base, in row-major order.
Tensor storage_offsets(const Shape& sizes, const Shape& strides, int64_t offset, int64_t base) {
  const int64_t n = numel_of(sizes), nd = static_cast<int64_t>(sizes.size());
  Tensor idx = Tensor::empty({n}, DType::Int64);
  int64_t* p = idx.data<int64_t>();
  std::vector<int64_t> at(nd, 0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t off = offset - base;
    for (int64_t d = 0; d < nd; ++d) off += at[d] * strides[d];
    p[k] = off;
    for (int64_t d = nd - 1; d >= 0 && ++at[d] == sizes[d]; --d) at[d] = 0;
  }
  return idx;
}

// The highest storage offset a geometry reaches (strides are non-negative here), or offset - 1 when empty.
int64_t last_offset(const Shape& sizes, const Shape& strides, int64_t offset) {
  if (numel_of(sizes) == 0) return offset - 1;
  for (size_t d = 0; d < sizes.size(); ++d) offset += (sizes[d] - 1) * strides[d];
  return offset;
}

struct AsStridedBackward : Node {  // scatter-adds the gradient into storage, then reads the input's layout
  bool is_view() const override { return true; }
  Shape in_shape, in_strides, sizes, strides;
  int64_t in_offset, offset;
  std::string name() const override { return "AsStridedBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    // As ATen's as_strided_backward: a buffer over the storage both geometries touch; the view's elements
    // add their gradient where they read (several where windows overlap), and each input element takes
    // its location's sum, divided among the input elements sharing it (an expanded input). index_add and
    // index_select are recorded under create_graph, so this is differentiable.
    const int64_t base = std::min(in_offset, offset);
    const int64_t len =
        std::max(last_offset(in_shape, in_strides, in_offset), last_offset(sizes, strides, offset)) - base + 1;
    const int64_t n = numel_of(sizes);
    Tensor flat = zeros({len}, g[0].dtype(), g[0].device());
    flat = index_add(flat, 0, storage_offsets(sizes, strides, offset, base), reshape(g[0], {n}));
    Tensor in_idx = storage_offsets(in_shape, in_strides, in_offset, base);
    if (in_strides != contiguous_strides(in_shape)) {
      Tensor count = zeros({len}, g[0].dtype(), g[0].device());
      count = index_add(count, 0, in_idx, full({numel_of(in_shape)}, Scalar(1.0), g[0].dtype(), g[0].device()));
      flat = div(flat, clamp(count, Scalar(1.0), std::nullopt));
    }
    return {reshape(index_select(flat, 0, in_idx), in_shape)};
  }
};

Tensor view_with_history(const Tensor& x, Shape sizes, Shape strides, int64_t offset) {
  Tensor out = Tensor::make_view(x, std::move(sizes), std::move(strides), offset);
  if (needs_grad(x)) {
    auto node = std::make_shared<ReshapeBackward>();
    node->in_shape = x.shape();
    record(node, {&x}, {&out});
  }
  return out;
}

Shape infer_size(Shape shape, int64_t numel) {
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      RB_CHECK(infer < 0, Error, "only one dimension can be inferred");
      infer = static_cast<int64_t>(i);
    } else {
      RB_CHECK(shape[i] >= 0, Error, "invalid shape dimension ", shape[i]);
      // Checked, as PyTorch's: a product past int64 would wrap to a small count and pass the test below.
      RB_CHECK(!__builtin_mul_overflow(known, shape[i], &known), Error,
               "numel: integer multiplication overflow for shape ", shape);
    }
  }
  if (infer >= 0) {
    RB_CHECK(known != 0 && numel % known == 0, Error, "shape '", shape, "' is invalid for input of size ", numel);
    shape[infer] = numel / known;
  }
  RB_CHECK(numel_of(shape) == numel, Error, "shape '", shape, "' is invalid for input of size ", numel);
  return shape;
}

// Strides for viewing (old shape, old strides) as new shape without a copy, if possible
// (the algorithm of PyTorch's computeStride: split/merge only within contiguous chunks).
std::optional<Shape> view_strides(const Shape& old_shape, const Shape& old_strides, const Shape& shape) {
  if (old_shape.empty()) return Shape(shape.size(), 1);
  int64_t numel = numel_of(old_shape);
  if (numel == 0) return contiguous_strides(shape);
  Shape st(shape.size());
  int64_t view_d = static_cast<int64_t>(shape.size()) - 1;
  int64_t chunk_base_stride = old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(old_shape.size()) - 1; d >= 0; --d) {
    tensor_numel *= old_shape[d];
    if (d == 0 || (old_shape[d - 1] != 1 && old_strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
        st[view_d] = view_numel * chunk_base_stride;
        view_numel *= shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (d > 0) {
        chunk_base_stride = old_strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return st;
}

}  // namespace

Tensor view(const Tensor& x, Shape shape) {
  shape = infer_size(std::move(shape), x.numel());
  auto st = view_strides(x.shape(), x.strides(), shape);
  RB_CHECK(st, Error,
           "view size is not compatible with input tensor's size and stride (at least one dimension spans "
           "across two contiguous subspaces). Use .reshape(...) instead. (input ",
           x.shape(), ", view ", shape, ")");
  return view_with_history(x, shape, *st, x.offset());
}

Tensor reshape(const Tensor& x, Shape shape) {
  shape = infer_size(std::move(shape), x.numel());
  if (shape == x.shape()) return view_with_history(x, shape, x.strides(), x.offset());
  auto st = view_strides(x.shape(), x.strides(), shape);
  if (st) return view_with_history(x, shape, *st, x.offset());
  return view(clone(x), shape);
}

Tensor permute(const Tensor& x, const std::vector<int64_t>& dims) {
  int64_t n = x.dim();
  RB_CHECK(static_cast<int64_t>(dims.size()) == n, Error,
           "permute(sparse_coo): number of dimensions in the tensor input "
           "does not match the length of the desired ordering of dimensions i.e. input.dim() = ",
           n, " is not equal to len(dims) = ", dims.size());
  Shape sizes(n), strides(n);
  std::vector<int64_t> inverse(n, -1);
  for (int64_t i = 0; i < n; ++i) {
    int64_t d = wrap_dim(dims[i], n);
    RB_CHECK(inverse[d] < 0, Error, "permute(): duplicate dims are not allowed.");
    inverse[d] = i;
    sizes[i] = x.shape()[d];
    strides[i] = x.strides()[d];
  }
  Tensor out = Tensor::make_view(x, sizes, strides, x.offset());
  if (needs_grad(x)) {
    auto node = std::make_shared<PermuteBackward>();
    node->inverse = inverse;
    record(node, {&x}, {&out});
  }
  return out;
}

Tensor transpose(const Tensor& x, int64_t d0, int64_t d1) {
  int64_t n = x.dim();
  if (n == 0) {
    wrap_dim(d0, 0), wrap_dim(d1, 0);
    return view_with_history(x, x.shape(), x.strides(), x.offset());
  }
  std::vector<int64_t> dims(n);
  std::iota(dims.begin(), dims.end(), 0);
  std::swap(dims[wrap_dim(d0, n)], dims[wrap_dim(d1, n)]);
  return permute(x, dims);
}

Tensor expand(const Tensor& x, const Shape& shape) {
  int64_t n = static_cast<int64_t>(shape.size()), lead = n - x.dim();
  RB_CHECK(lead >= 0, Error, "expand(", x.shape(), ", size=", shape, "): the number of sizes provided (", n,
           ") must be greater or equal to the number of dimensions in the tensor (", x.dim(), ")");
  Shape sizes(n), strides(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t want = shape[i];
    if (i < lead) {
      RB_CHECK(want >= 0, Error, "expand: -1 is not allowed in a leading, non-existing dimension");
      sizes[i] = want, strides[i] = 0;
      continue;
    }
    int64_t have = x.shape()[i - lead];
    if (want == -1) want = have;
    RB_CHECK(have == want || have == 1, Error, "The expanded size of the tensor (", want,
             ") must match the existing size (", have, ") at non-singleton dimension ", i, ".  Target sizes: ", shape,
             ".  Tensor sizes: ", x.shape());
    sizes[i] = want;
    strides[i] = have == want ? x.strides()[i - lead] : 0;
  }
  check_shape(sizes, "expand");
  Tensor out = Tensor::make_view(x, sizes, strides, x.offset());
  if (needs_grad(x)) {
    auto node = std::make_shared<ExpandBackward>();
    node->in_shape = x.shape();
    record(node, {&x}, {&out});
  }
  return out;
}

Tensor unsqueeze(const Tensor& x, int64_t dim) {
  int64_t d = wrap_dim(dim, x.dim() + 1);
  Shape sizes = x.shape(), strides = x.strides();
  int64_t st = d < x.dim() ? sizes[d] * strides[d] : 1;
  sizes.insert(sizes.begin() + d, 1);
  strides.insert(strides.begin() + d, st);
  return view_with_history(x, sizes, strides, x.offset());
}

Tensor squeeze(const Tensor& x, std::optional<std::vector<int64_t>> dims) {
  std::vector<bool> drop(x.dim(), false);
  if (dims) {
    for (int64_t d : *dims) {
      int64_t w = wrap_dim(d, x.dim());
      if (x.dim() > 0 && x.shape()[w] == 1) drop[w] = true;
    }
  } else {
    for (int64_t i = 0; i < x.dim(); ++i) drop[i] = x.shape()[i] == 1;
  }
  Shape sizes, strides;
  for (int64_t i = 0; i < x.dim(); ++i)
    if (!drop[i]) sizes.push_back(x.shape()[i]), strides.push_back(x.strides()[i]);
  return view_with_history(x, sizes, strides, x.offset());
}

Tensor as_strided_view(const Tensor& x, Shape sizes, Shape strides, int64_t offset) {
  Tensor out = Tensor::make_view(x, sizes, strides, offset);
  if (needs_grad(x)) {
    auto node = std::make_shared<AsStridedBackward>();
    node->in_shape = x.shape(), node->in_strides = x.strides(), node->in_offset = x.offset();
    node->sizes = sizes, node->strides = strides, node->offset = offset;
    record(node, {&x}, {&out});
  }
  return out;
}

}  // namespace rb

// flatten/unflatten: reshapes that name the dims they merge or split.
namespace rb {

Tensor flatten(const Tensor& x, int64_t start_dim, int64_t end_dim) {
  if (x.dim() == 0) return reshape(x, {1});
  int64_t s = wrap_dim(start_dim, x.dim()), e = wrap_dim(end_dim, x.dim());
  RB_CHECK(s <= e, Error, "flatten() has invalid args: start_dim cannot come after end_dim");
  if (s == e) return reshape(x, x.shape());
  Shape shape(x.shape().begin(), x.shape().begin() + s);
  int64_t merged = 1;
  for (int64_t d = s; d <= e; ++d) merged *= x.shape()[d];
  shape.push_back(merged);
  shape.insert(shape.end(), x.shape().begin() + e + 1, x.shape().end());
  return reshape(x, shape);
}

Tensor unflatten(const Tensor& x, int64_t dim, const Shape& sizes) {
  RB_CHECK(x.dim() > 0, Error, "unflatten: Dimension size must be non-empty (got a 0-dim input)");
  int64_t d = wrap_dim(dim, x.dim()), n = x.shape()[d];
  RB_CHECK(!sizes.empty(), Error, "unflatten: sizes must be non-empty");
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1) {
      RB_CHECK(infer < 0, Error, "only one dimension can be inferred");
      infer = static_cast<int64_t>(i);
    } else {
      known *= sizes[i];
    }
  }
  Shape inner = sizes;
  if (infer >= 0 && known != 0 && n % known == 0) inner[infer] = n / known;
  RB_CHECK(infer < 0 ? known == n : (known != 0 && n % known == 0), Error, "unflatten: Provided sizes ", sizes,
           " don't multiply up to the size of dim ", d, " (", n, ") in the input tensor");
  Shape shape(x.shape().begin(), x.shape().begin() + d);
  shape.insert(shape.end(), inner.begin(), inner.end());
  shape.insert(shape.end(), x.shape().begin() + d + 1, x.shape().end());
  return reshape(x, shape);
}

}  // namespace rb
