// The side table of gradient hooks: keyed by the leaf's TensorImpl or the non-leaf's grad_fn, each
// entry holding a weak reference to its key so an entry whose owner died is never matched again.
#include "hooks_internal.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "rosenblatt/autograd.h"

namespace rb {

namespace {
struct Entry {
  std::weak_ptr<void> owner;
  std::vector<GradHookSlot> pre;
  std::vector<std::pair<int64_t, PostAccumulateGradHook>> post;
};

std::mutex mu;
// Never destroyed: its hooks may hold Python callables, which must not be released after the
// interpreter has gone (static destructors run after Py_Finalize).
std::unordered_map<const void*, Entry>& table = *new std::unordered_map<const void*, Entry>();
std::atomic<size_t> live_hooks{0};
int64_t next_id = 1;
size_t prune_at = 64;

// The entry for owner, dropping one whose owner died (its address may have been reused).
Entry& entry_for(const std::shared_ptr<void>& owner) {
  if (table.size() >= prune_at) {
    for (auto it = table.begin(); it != table.end();) {
      if (it->second.owner.expired()) {
        live_hooks -= it->second.pre.size() + it->second.post.size();
        it = table.erase(it);
      } else {
        ++it;
      }
    }
    prune_at = std::max<size_t>(64, 2 * table.size());
  }
  Entry& e = table[owner.get()];
  if (e.owner.lock() != owner) {
    live_hooks -= e.pre.size() + e.post.size();
    e = Entry{owner, {}, {}};
  }
  return e;
}

const Entry* find(const void* key) {
  auto it = table.find(key);
  if (it == table.end() || it->second.owner.expired()) return nullptr;
  return &it->second;
}
}  // namespace

int64_t register_grad_hook(const Tensor& t, GradHook fn) {
  RB_CHECK(t.defined() && t.requires_grad(), Error, "cannot register a hook on a tensor that doesn't require gradient");
  std::lock_guard<std::mutex> lock(mu);
  std::shared_ptr<void> owner = t.grad_fn() ? std::shared_ptr<void>(t.grad_fn()) : std::shared_ptr<void>(t.impl_ptr());
  Entry& e = entry_for(owner);
  e.pre.push_back({next_id, t.grad_fn() ? t.impl()->output_nr : 0, std::move(fn)});
  ++live_hooks;
  return next_id++;
}

int64_t register_post_accumulate_grad_hook(const Tensor& t, PostAccumulateGradHook fn) {
  RB_CHECK(t.defined() && t.requires_grad(), Error, "cannot register a hook on a tensor that doesn't require gradient");
  RB_CHECK(t.is_leaf(), Error, "post accumulate grad hooks cannot be registered on non-leaf tensors");
  std::lock_guard<std::mutex> lock(mu);
  Entry& e = entry_for(t.impl_ptr());
  e.post.push_back({next_id, std::move(fn)});
  ++live_hooks;
  return next_id++;
}

void remove_grad_hook(int64_t id) {
  std::lock_guard<std::mutex> lock(mu);
  for (auto& [key, e] : table) {
    auto pre = std::remove_if(e.pre.begin(), e.pre.end(), [&](const GradHookSlot& h) { return h.id == id; });
    auto post = std::remove_if(e.post.begin(), e.post.end(), [&](const auto& h) { return h.first == id; });
    live_hooks -= (e.pre.end() - pre) + (e.post.end() - post);
    e.pre.erase(pre, e.pre.end());
    e.post.erase(post, e.post.end());
  }
}

bool any_grad_hooks() { return live_hooks.load(std::memory_order_relaxed) > 0; }

// Copies under the lock, runs outside it: a hook may register or remove hooks.
std::vector<GradHookSlot> grad_hooks_of(const void* key) {
  std::lock_guard<std::mutex> lock(mu);
  const Entry* e = find(key);
  return e ? e->pre : std::vector<GradHookSlot>{};
}

std::vector<PostAccumulateGradHook> post_accumulate_hooks_of(const void* key) {
  std::lock_guard<std::mutex> lock(mu);
  std::vector<PostAccumulateGradHook> out;
  if (const Entry* e = find(key))
    for (auto& h : e->post) out.push_back(h.second);
  return out;
}

}  // namespace rb
