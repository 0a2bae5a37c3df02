// Helpers shared by the op files (cpp/ops/*.cpp): in-place rules, history rebase, dtype casts
// and device checks, written once so every op reports the same PyTorch messages.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "rosenblatt/ops.h"

#include "loop_geom.h"

#include "../kernels/elementwise.h"
#include "../kernels/registry.h"

namespace rb {

// The kernels of family `Table` for t's device: the op layer's one way to a kernel, and its one
// device check (kernels/registry.h raises "<op>: no kernel for device ..." where none is registered).
template <class Table>
const Table& kernels(const char* op, const Tensor& t) {
  return kernels_for<Table>(op, t.device());
}

// dst <- src (broadcast, dtype converted) and dst <- v, on dst's device, not recorded by autograd.
inline void copy_values(const Tensor& src, Tensor& dst) {
  kernels<ElementwiseKernels>("copy_", dst).copy(loop_geom(dst, src), src.raw_data(), dst.raw_data());
}
inline void fill_values(Tensor& dst, Scalar v) {
  kernels<ElementwiseKernels>("fill_", dst).fill(loop_geom(dst), dst.raw_data(), v);
}

// A tensor whose elements share memory (a dim of size > 1 with stride 0, as expand makes): an
// in-place op computing each element from its old value would write one location several times.
inline bool has_internal_overlap(const Tensor& t) {
  if (t.numel() == 0) return false;  // no elements, so none share memory
  for (int64_t d = 0; d < t.dim(); ++d)
    if (t.size(d) > 1 && t.stride(d) == 0) return true;
  return false;
}

// PyTorch refuses to overwrite a leaf that autograd would need to differentiate, and to write
// in place where elements share memory (`overlap_ok`: writes of one value, as fill_, are fine).
inline void check_inplace(const Tensor& self, bool overlap_ok = false) {
  RB_CHECK(overlap_ok || !has_internal_overlap(self), Error,
           "unsupported operation: more than one element of the written-to tensor refers to a single memory "
           "location. Please clone() the tensor before performing the operation.");
  RB_CHECK(!(GradMode::enabled() && self.is_leaf() && self.requires_grad()), Error,
           "a leaf Variable that requires grad is being used in an in-place operation.");
  // Writing through a view would change its base without the base's autograd history knowing
  // (PyTorch rebases it; we do not yet), so refuse rather than compute a wrong gradient.
  RB_CHECK(!(GradMode::enabled() && self.grad_fn() && self.grad_fn()->is_view()), Error,
           "in-place operation on a view (", self.grad_fn()->name(),
           ") of a tensor that requires grad is not "
           "supported: its base's gradient would be wrong. Use the out-of-place op, or clone() the view first.");
}

// A tensor overwritten in place takes over the history of the out-of-place result it now holds.
inline void rebase_history(Tensor& self, const Tensor& result) {
  TensorImpl* s = self.impl();
  s->grad_fn = result.grad_fn();
  s->output_nr = result.impl()->output_nr;
  s->requires_grad = result.requires_grad();
}

// The in-place form of an op that autograd must see: the out-of-place result is copied into self
// (not recorded) and self takes over the result's history.
inline Tensor& write_back(Tensor& self, const Tensor& result) {
  {
    NoGradGuard ng;
    copy_values(result, self);
  }
  self.bump_version();
  if (result.requires_grad()) rebase_history(self, result);
  return self;
}

// The backward of an op that is linear in its incoming gradient and reads nothing else that is
// differentiable (pooling, upsampling, slicing, gather and scatter through saved indices). Run
// with create_graph, its result dx gets this node, whose own backward applies the op's forward
// map to the gradient of dx: the adjoint of the adjoint is the map itself.
struct AdjointBackward : Node {
  std::string op;
  std::function<Tensor(const Tensor&)> forward;
  std::string name() const override { return op + "BackwardBackward"; }
  void release_saved() override { forward = nullptr; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return {forward(grads[0])}; }
};
template <class F>
void record_adjoint(const char* op, const Tensor& g, Tensor& dx, F&& forward) {
  if (!needs_grad(g)) return;
  auto node = std::make_shared<AdjointBackward>();
  node->op = op;
  node->forward = std::forward<F>(forward);
  record(node, {&g}, {&dx});
}

// A contiguous copy for a kernel to read (self if already contiguous, undefined stays undefined),
// not recorded by autograd.
inline Tensor contiguous_nograd(const Tensor& t) {
  if (!t.defined()) return t;
  NoGradGuard ng;
  return t.contiguous();
}

inline Tensor cast(const Tensor& t, DType dt) { return t.dtype() == dt ? t : to_dtype(t, dt); }
// A storage dtype's tensor (float16, the narrow integers) in the dtype its math runs in; the op
// casts its result back, so each element is rounded once, as PyTorch's CPU kernels do.
inline Tensor widen(const Tensor& t) { return cast(t, compute_type(t.dtype())); }

// The gradient of a broadcast input: summed back to its shape, in its dtype.
inline Tensor grad_for(const Tensor& g, const Shape& shape, DType dtype) { return cast(sum_to(g, shape), dtype); }

inline void check_same_device(const Tensor& a, const Tensor& b, const char* op) {
  RB_CHECK(a.device() == b.device(), Error, op,
           ": Expected all tensors to be on the same device, but found at least two devices, ", a.device().name(),
           " and ", b.device().name(), "!");
}

}  // namespace rb
