// The gradient hooks of one leaf or one node, held on the autograd metadata itself (TensorImpl::hooks
// for a leaf, Node::hooks for a non-leaf's grad_fn), so they die with their owner; what the engine reads.
#pragma once
#include <mutex>
#include <vector>

#include "rosenblatt/autograd.h"
#include "rosenblatt/hooks.h"

namespace rb {

struct GradHookSlot {
  int64_t id;
  uint32_t slot;  // which output of the grad_fn (0 for a leaf)
  GradHook fn;
};

struct GradHooks {
  std::mutex mu;  // registration (under the GIL) may race a backward running without it
  std::vector<GradHookSlot> pre;
  std::vector<std::pair<int64_t, PostAccumulateGradHook>> post;
};

// Copies taken under the owner's lock, run outside it: a hook may register or remove hooks.
// `hooks` is a TensorImpl's or a Node's (null when it never had one).
std::vector<GradHookSlot> grad_hooks_of(const std::shared_ptr<GradHooks>& hooks);
std::vector<PostAccumulateGradHook> post_accumulate_hooks_of(const std::shared_ptr<GradHooks>& hooks);
// The owner's list, read without a lock against a concurrent first registration.
inline std::shared_ptr<GradHooks> load_hooks(const std::shared_ptr<GradHooks>& slot) { return std::atomic_load(&slot); }

}  // namespace rb
