// Gradient hooks, PyTorch's Tensor.register_hook and register_post_accumulate_grad_hook: functions
// the backward engine calls on a tensor's gradient, kept in a side table so the Tensor stays small.
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

// Both return an id for remove_grad_hook. The hooks live as long as the tensor (a leaf) or its
// grad_fn (a non-leaf); an exception a hook throws propagates out of backward.
int64_t register_grad_hook(const Tensor& t, GradHook fn);
int64_t register_post_accumulate_grad_hook(const Tensor& t, PostAccumulateGradHook fn);
void remove_grad_hook(int64_t id);

}  // namespace rb
