// Gradient hooks, PyTorch's Tensor.register_hook and register_post_accumulate_grad_hook: functions
// the backward engine calls on a tensor's gradient, kept on its autograd metadata (one pointer, null
// without hooks, so the Tensor stays small).
#pragma once
#include <cstdint>
#include <functional>

#include "rosenblatt/tensor.h"

namespace rb {

// Called with the gradient of a tensor once it is complete; a defined result replaces it (for a
// leaf, before it is accumulated into .grad; for a non-leaf, before its grad_fn runs).
using GradHook = std::function<Tensor(const Tensor&)>;
// Called with a leaf after its .grad was accumulated during backward.
using PostAccumulateGradHook = std::function<void(const Tensor&)>;

// What the register functions return: remove() unregisters that hook, and does nothing once its
// tensor (or grad_fn) is gone, its hooks with it.
struct GradHookHandle {
  std::weak_ptr<GradHooks> hooks;
  int64_t id = 0;
  void remove() const;
};

// The hooks live on the autograd metadata, as long as the tensor (a leaf) or its grad_fn (a
// non-leaf); an exception a hook throws propagates out of backward.
GradHookHandle register_grad_hook(const Tensor& t, GradHook fn);
GradHookHandle register_post_accumulate_grad_hook(const Tensor& t, PostAccumulateGradHook fn);

}  // namespace rb
