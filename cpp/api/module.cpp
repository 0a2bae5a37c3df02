// nn::Module's bookkeeping: registration, named parameters/buffers in PyTorch's order and keys,
// state_dict / load_state_dict, train/eval and in-place dtype conversion.
#include <map>

#include "rosenblatt/nn/module.h"

namespace rb::nn {

Tensor Module::forward(const Tensor&) {
  throw NotImplementedError("Module is missing the required \"forward\" function");
}

void Module::check_name(const std::string& name, bool defined) const {
  RB_CHECK(!name.empty(), ValueError, "module name can't be empty string \"\"");
  RB_CHECK(name.find('.') == std::string::npos, ValueError, "module name can't contain \".\", got: ", name);
  RB_CHECK(defined, ValueError, "cannot register an empty module as '", name, "'");
  auto taken = [&](const auto& v) {
    for (const auto& e : v)
      if (e.first == name) return true;
    return false;
  };
  RB_CHECK(!taken(params_) && !taken(buffers_) && !taken(children_), ValueError, "attribute '", name,
           "' already exists");
}

Tensor Module::register_parameter(const std::string& name, Tensor t, bool requires_grad) {
  check_name(name, true);
  if (!t.defined()) return t;
  if (requires_grad && !t.requires_grad()) t.set_requires_grad(true);
  params_.emplace_back(name, t);
  return t;
}

Tensor Module::register_buffer(const std::string& name, Tensor t) {
  check_name(name, true);
  if (t.defined()) buffers_.emplace_back(name, t);
  return t;
}

void Module::collect(const std::string& prefix, bool params, bool buffers, bool recurse, StateDict& out) const {
  if (params)
    for (const auto& [n, t] : params_) out.emplace_back(prefix + n, t);
  if (buffers)
    for (const auto& [n, t] : buffers_) out.emplace_back(prefix + n, t);
  if (recurse)
    for (const auto& [n, m] : children_) m->collect(prefix + n + ".", params, buffers, true, out);
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& kv : named_parameters(recurse)) out.push_back(kv.second);
  return out;
}

StateDict Module::named_parameters(bool recurse) const {
  StateDict out;
  collect("", true, false, recurse, out);
  return out;
}

StateDict Module::named_buffers(bool recurse) const {
  StateDict out;
  collect("", false, true, recurse, out);
  return out;
}

std::vector<std::pair<std::string, std::shared_ptr<Module>>> Module::named_modules() const {
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> out;
  for (const auto& [n, m] : children_) {
    out.emplace_back(n, m);
    for (auto& [sub, sm] : m->named_modules()) out.emplace_back(n + "." + sub, sm);
  }
  return out;
}

StateDict Module::state_dict() const {
  StateDict out;
  collect("", true, true, true, out);
  for (auto& kv : out) kv.second = kv.second.detach();
  return out;
}

void Module::load_state_dict(const StateDict& sd, bool strict) {
  StateDict own;
  collect("", true, true, true, own);
  std::map<std::string, Tensor> given;
  for (const auto& [k, t] : sd) {
    RB_CHECK(t.defined(), ValueError, "load_state_dict: the entry '", k, "' is an undefined tensor");
    given[k] = t;
  }
  std::string missing, unexpected, mismatch;
  std::map<std::string, bool> known;
  for (const auto& [k, t] : own) {
    known[k] = true;
    auto it = given.find(k);
    if (it == given.end()) {
      missing += (missing.empty() ? "\"" : ", \"") + k + "\"";
    } else if (it->second.shape() != t.shape()) {
      mismatch += str("\n\tsize mismatch for ", k, ": copying a param with shape ", it->second.shape(),
                      " from checkpoint, the shape in current model is ", t.shape(), ".");
    }
  }
  for (const auto& [k, t] : given)
    if (!known.count(k)) unexpected += (unexpected.empty() ? "\"" : ", \"") + k + "\"";
  std::string errors = mismatch;
  if (strict && !missing.empty()) errors = "\n\tMissing key(s) in state_dict: " + missing + "." + errors;
  if (strict && !unexpected.empty()) errors += "\n\tUnexpected key(s) in state_dict: " + unexpected + ".";
  RB_CHECK(errors.empty(), Error, "Error(s) in loading state_dict:", errors);
  NoGradGuard no_grad;
  for (auto& [k, t] : own) {
    auto it = given.find(k);
    if (it != given.end()) copy_(t, it->second);
  }
}

void Module::train(bool on) {
  training_ = on;
  for (auto& kv : children_) kv.second->train(on);
}

// Swaps the converted data into the same TensorImpl, so every handle to the parameter (the layer's
// member, an optimizer's list) sees the new dtype, as PyTorch's module.to() does with param.data.
void Module::to(DType dtype) {
  StateDict own;
  collect("", true, true, true, own);
  NoGradGuard no_grad;
  for (auto& kv : own) {
    Tensor& t = kv.second;
    if (!is_floating(t.dtype()) || t.dtype() == dtype) continue;
    Tensor c = to_dtype(t.detach(), dtype).contiguous();
    TensorImpl* impl = t.impl();
    impl->storage = c.impl()->storage;
    impl->sizes = c.shape();
    impl->strides = c.strides();
    impl->offset = c.offset();
    impl->dtype = dtype;
    if (impl->grad) impl->grad = to_dtype(t.grad(), dtype).impl_ptr();
  }
}

void Module::to(Device device) {
  RB_CHECK(device.is_cpu(), Error, "Module::to(", device.name(),
           "): this build of rosenblatt has CPU kernels only (no CUDA)");
}

void Module::zero_grad() {
  for (Tensor& p : parameters()) p.set_grad(Tensor());
}

}  // namespace rb::nn
