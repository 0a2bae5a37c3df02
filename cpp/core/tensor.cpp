// Tensor handle methods and the shape arithmetic every op shares (broadcasting, dim wrapping,
// size checks that turn negative or overflowing sizes into exceptions instead of huge allocations).
#include "rosenblatt/tensor.h"

#include "rosenblatt/autograd.h"
#include "rosenblatt/ops.h"

namespace rb {

int64_t numel_of(const Shape& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

Shape contiguous_strides(const Shape& shape) {
  Shape st(shape.size());
  int64_t acc = 1;
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    st[i] = acc;
    acc *= shape[i] > 0 ? shape[i] : 1;
  }
  return st;
}

int64_t wrap_dim(int64_t dim, int64_t ndim) {
  int64_t n = ndim > 0 ? ndim : 1;  // a 0-d tensor accepts dim 0 and -1, as in PyTorch
  RB_CHECK(dim >= -n && dim < n, IndexError, "Dimension out of range (expected to be in range of [", -n, ", ", n - 1,
           "], but got ", dim, ")");
  return dim < 0 ? dim + n : dim;
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    RB_CHECK(da == db || da == 1 || db == 1, Error, "The size of tensor a (", da, ") must match the size of tensor b (",
             db, ") at non-singleton dimension ", i, " (shapes ", a, " and ", b, ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

void check_shape(const Shape& shape, const char* op) {
  RB_CHECK(shape.size() <= kMaxDims, ValueError, op, ": at most ", kMaxDims, " dimensions are supported, got ",
           shape.size());
  int64_t n = 1;
  for (int64_t s : shape) {
    RB_CHECK(s >= 0, Error, op, ": Trying to create tensor with negative dimension ", s, ": ", shape);
    RB_CHECK(s == 0 || n <= (int64_t(1) << 62) / s, Error, op, ": size ", shape, " is too large (overflows int64)");
    n *= s;
  }
}

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
  check_shape(shape, "empty");
  int64_t n = numel_of(shape);
  RB_CHECK(n <= (int64_t(1) << 60) / static_cast<int64_t>(rb::itemsize(dtype)), Error,
           "DefaultCPUAllocator: not enough memory: tensor of shape ", shape, " is too large");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = Storage::allocate(static_cast<size_t>(n) * rb::itemsize(dtype), device);
  impl->sizes = shape;
  impl->strides = contiguous_strides(shape);
  impl->dtype = dtype;
  return Tensor(std::move(impl));
}

Tensor Tensor::make_view(const Tensor& base, Shape sizes, Shape strides, int64_t offset) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = base.impl_->storage;
  impl->sizes = std::move(sizes);
  impl->strides = std::move(strides);
  impl->offset = offset;
  impl->dtype = base.impl_->dtype;
  return Tensor(std::move(impl));
}

// A 0-d tensor has no dim to read (wrap_dim's 0-d leniency is for ops that reduce over dim 0 or -1).
int64_t Tensor::size(int64_t d) const {
  RB_CHECK(dim() > 0, IndexError, "Dimension specified as ", d, " but tensor has no dimensions");
  return impl_->sizes[wrap_dim(d, dim())];
}
int64_t Tensor::stride(int64_t d) const {
  RB_CHECK(dim() > 0, IndexError, "Dimension specified as ", d, " but tensor has no dimensions");
  return impl_->strides[wrap_dim(d, dim())];
}
int64_t Tensor::numel() const { return numel_of(impl_->sizes); }

bool Tensor::is_contiguous() const {
  // One pass: a size-0 dim makes any strides contiguous (torch's compute_contiguous: nothing is laid out),
  // so a stride mismatch only decides once every dim was seen.
  int64_t expected = 1;
  bool ok = true;
  for (int64_t i = dim() - 1; i >= 0; --i) {
    const int64_t s = impl_->sizes[i];
    if (s == 0) return true;
    if (s == 1) continue;
    ok = ok && impl_->strides[i] == expected;
    expected *= s;
  }
  return ok;
}

template <class T>
T Tensor::item() const {
  RB_CHECK(numel() == 1, Error, "a Tensor with ", numel(), " elements cannot be converted to Scalar");
  return RB_DISPATCH_STORAGE(dtype(), "item",
                             [&]() -> T { return static_cast<T>(*static_cast<scalar_t*>(raw_data())); });
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template int64_t Tensor::item<int64_t>() const;
template bool Tensor::item<bool>() const;

Tensor& Tensor::set_requires_grad(bool r) {
  RB_CHECK(is_leaf() || r, Error,
           "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a "
           "subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  RB_CHECK(!r || is_floating(dtype()), Error, "only Tensors of floating point dtype can require gradients");
  impl_->requires_grad = r;
  return *this;
}

void Tensor::retain_grad() {
  RB_CHECK(requires_grad(), Error, "can't retain_grad on Tensor that has requires_grad=False");
  if (is_leaf() || impl_->retains_grad) return;  // leaves keep .grad anyway
  impl_->retains_grad = true;
  auto& r = impl_->grad_fn->retained;
  if (r.size() <= impl_->output_nr) r.resize(impl_->output_nr + 1);
  r[impl_->output_nr] = impl_;
}

Tensor Tensor::detach() const { return make_view(*this, impl_->sizes, impl_->strides, impl_->offset); }

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : rb::clone(*this); }

}  // namespace rb
