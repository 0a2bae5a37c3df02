// What the engine asks the hook table (cpp/autograd/hooks.cpp): the hooks of one node or leaf,
// with a cheap check first so a backward with no hooks anywhere pays one atomic load.
#pragma once
#include <atomic>
#include <vector>

#include "rosenblatt/hooks.h"

namespace rb {

struct GradHookSlot {
  int64_t id;
  uint32_t slot;  // which output of the grad_fn (0 for a leaf)
  GradHook fn;
};

bool any_grad_hooks();
std::vector<GradHookSlot> grad_hooks_of(const void* key);  // key: a leaf's TensorImpl or a grad_fn
std::vector<PostAccumulateGradHook> post_accumulate_hooks_of(const void* key);

}  // namespace rb
