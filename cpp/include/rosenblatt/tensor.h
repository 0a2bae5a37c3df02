// Tensor: a cheap handle to a TensorImpl (shape, strides, offset, dtype, autograd state) that points
// into a shared, refcounted Storage. Views share Storage and therefore its version counter.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "rosenblatt/device.h"
#include "rosenblatt/dtype.h"
#include "rosenblatt/scalar.h"
#include "rosenblatt/shape.h"

namespace rb {

struct Node;
struct GradHooks;  // cpp/autograd/hooks_internal.h

// A block of memory. Memory the core allocated goes back to the caching allocator; memory that
// belongs to someone else (a numpy array, a DLPack producer) is kept alive through `owner`.
struct Storage {
  void* data = nullptr;
  size_t nbytes = 0;
  Device device;
  std::shared_ptr<void> owner;  // non-null: foreign memory, released by dropping this
  uint32_t version = 0;         // bumped by every in-place write; shared by all views

  Storage() = default;
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  ~Storage();
  static std::shared_ptr<Storage> allocate(size_t nbytes, Device device);
  static std::shared_ptr<Storage> wrap(void* data, size_t nbytes, Device device, std::shared_ptr<void> owner);
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  Shape sizes;
  Shape strides;       // in elements
  int64_t offset = 0;  // in elements
  DType dtype = DType::Float32;

  // Autograd state. A leaf has no grad_fn; a leaf that requires grad owns (weakly) the node that
  // accumulates into its .grad, so the graph keeps the leaf alive and not the other way round.
  bool requires_grad = false;
  bool retains_grad = false;
  uint32_t output_nr = 0;
  std::shared_ptr<Node> grad_fn;
  std::weak_ptr<Node> grad_accumulator;
  std::shared_ptr<TensorImpl> grad;
  std::shared_ptr<GradHooks> hooks;  // a leaf's register_hook hooks (rosenblatt/hooks.h); null: none
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // Factories (uninitialized memory / a view onto existing storage).
  static Tensor empty(const Shape& shape, DType dtype = DType::Float32, Device device = {});
  static Tensor make_view(const Tensor& base, Shape sizes, Shape strides, int64_t offset);

  bool defined() const { return impl_ != nullptr; }
  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool same(const Tensor& o) const { return impl_ == o.impl_; }

  const Shape& shape() const { return impl_->sizes; }
  const Shape& strides() const { return impl_->strides; }
  int64_t dim() const { return static_cast<int64_t>(impl_->sizes.size()); }
  int64_t size(int64_t d) const;  // negative d counts from the end
  int64_t stride(int64_t d) const;
  int64_t numel() const;
  int64_t offset() const { return impl_->offset; }
  DType dtype() const { return impl_->dtype; }
  Device device() const { return impl_->storage->device; }
  size_t itemsize() const { return rb::itemsize(impl_->dtype); }
  const std::shared_ptr<Storage>& storage() const { return impl_->storage; }
  bool is_contiguous() const;

  void* raw_data() const { return static_cast<char*>(impl_->storage->data) + impl_->offset * itemsize(); }
  template <class T>
  T* data() const {
    RB_CHECK(dtype_of<T>::value == dtype(), TypeError, "expected dtype ", dtype_of<T>::value, " but tensor has ",
             dtype());
    return static_cast<T*>(raw_data());
  }
  template <class T>
  T item() const;  // the single element, converted to T

  // Autograd.
  bool requires_grad() const { return impl_->requires_grad; }
  Tensor& set_requires_grad(bool r);  // only leaves; raises on non-leaf or non-float
  bool is_leaf() const { return impl_->grad_fn == nullptr; }
  const std::shared_ptr<Node>& grad_fn() const { return impl_->grad_fn; }
  Tensor grad() const { return Tensor(impl_->grad); }
  void set_grad(const Tensor& g) { impl_->grad = g.impl_; }
  void retain_grad();
  uint32_t version() const { return impl_->storage->version; }
  void bump_version() const { ++impl_->storage->version; }

  // Data-only alias: same storage, no autograd history, requires_grad false.
  Tensor detach() const;
  Tensor contiguous() const;  // self if already contiguous, otherwise a copy (differentiable)

 private:
  std::shared_ptr<TensorImpl> impl_;
};

// Shape helpers shared by ops (numel_of and contiguous_strides: rosenblatt/shape.h).
int64_t wrap_dim(int64_t dim, int64_t ndim);             // raises IndexError like PyTorch
Shape broadcast_shapes(const Shape& a, const Shape& b);  // raises RuntimeError with both shapes
void check_shape(const Shape& shape, const char* op);    // no negative sizes, no overflow

}  // namespace rb
