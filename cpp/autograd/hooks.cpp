// Gradient hooks kept on the autograd metadata: a leaf's on its TensorImpl, a non-leaf's on its
// grad_fn, each list created on the first registration and freed with its owner.
#include "hooks_internal.h"

#include <algorithm>
#include <atomic>

namespace rb {

namespace {
std::atomic<int64_t> next_id{1};

// owner's list, created on first use; two threads creating it at once keep one (compare-exchange).
std::shared_ptr<GradHooks> hooks_for(std::shared_ptr<GradHooks>& owner) {
  std::shared_ptr<GradHooks> h = std::atomic_load(&owner);
  if (h) return h;
  auto fresh = std::make_shared<GradHooks>();
  return std::atomic_compare_exchange_strong(&owner, &h, fresh) ? fresh : h;
}

void check_hookable(const Tensor& t) {
  RB_CHECK(t.defined() && t.requires_grad(), Error, "cannot register a hook on a tensor that doesn't require gradient");
}
}  // namespace

GradHookHandle register_grad_hook(const Tensor& t, GradHook fn) {
  check_hookable(t);
  std::shared_ptr<GradHooks> h = t.grad_fn() ? hooks_for(t.grad_fn()->hooks) : hooks_for(t.impl()->hooks);
  const int64_t id = next_id++;
  std::lock_guard<std::mutex> lock(h->mu);
  h->pre.push_back({id, t.grad_fn() ? t.impl()->output_nr : 0, std::move(fn)});
  return {h, id};
}

GradHookHandle register_post_accumulate_grad_hook(const Tensor& t, PostAccumulateGradHook fn) {
  check_hookable(t);
  RB_CHECK(t.is_leaf(), Error, "post accumulate grad hooks cannot be registered on non-leaf tensors");
  std::shared_ptr<GradHooks> h = hooks_for(t.impl()->hooks);
  const int64_t id = next_id++;
  std::lock_guard<std::mutex> lock(h->mu);
  h->post.push_back({id, std::move(fn)});
  return {h, id};
}

void GradHookHandle::remove() const {
  std::shared_ptr<GradHooks> h = hooks.lock();
  if (!h) return;  // its tensor (or grad_fn) is gone, and its hooks with it
  std::lock_guard<std::mutex> lock(h->mu);
  h->pre.erase(std::remove_if(h->pre.begin(), h->pre.end(), [&](const GradHookSlot& s) { return s.id == id; }),
               h->pre.end());
  h->post.erase(std::remove_if(h->post.begin(), h->post.end(), [&](const auto& s) { return s.first == id; }),
                h->post.end());
}

std::vector<GradHookSlot> grad_hooks_of(const std::shared_ptr<GradHooks>& hooks) {
  std::shared_ptr<GradHooks> h = load_hooks(hooks);
  if (!h) return {};
  std::lock_guard<std::mutex> lock(h->mu);
  return h->pre;
}

std::vector<PostAccumulateGradHook> post_accumulate_hooks_of(const std::shared_ptr<GradHooks>& hooks) {
  std::shared_ptr<GradHooks> h = load_hooks(hooks);
  std::vector<PostAccumulateGradHook> out;
  if (!h) return out;
  std::lock_guard<std::mutex> lock(h->mu);
  for (auto& p : h->post) out.push_back(p.second);
  return out;
}

}  // namespace rb
