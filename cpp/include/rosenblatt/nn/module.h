// nn::Module, the base of the C++ layers: named parameters, buffers and submodules registered in
// order, so named_parameters() and state_dict() give PyTorch's keys ("0.weight", "features.3.bias").
//
//   struct Net : rb::nn::Module {
//     std::shared_ptr<rb::nn::Linear> fc = register_module("fc", std::make_shared<rb::nn::Linear>(4, 2));
//     rb::Tensor forward(const rb::Tensor& x) override { return (*fc)(x); }
//   };
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rosenblatt/autograd.h"
#include "rosenblatt/ops.h"

namespace rb::nn {

// An ordered str -> Tensor mapping: what state_dict() returns and rb::save / rb::load exchange.
using StateDict = std::vector<std::pair<std::string, Tensor>>;

class Module {
 public:
  virtual ~Module() = default;
  // The layer's computation; containers without one (ModuleList) raise NotImplementedError.
  virtual Tensor forward(const Tensor& x);
  Tensor operator()(const Tensor& x) { return forward(x); }

  // Parameters, buffers and submodules in registration order, recursing into submodules.
  std::vector<Tensor> parameters(bool recurse = true) const;
  StateDict named_parameters(bool recurse = true) const;
  StateDict named_buffers(bool recurse = true) const;
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const { return children_; }
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> named_modules() const;  // descendants, prefixed
  // Parameters then buffers of each module, depth first: PyTorch's state_dict order and keys.
  // The tensors are detached aliases of the module's (no copy).
  StateDict state_dict() const;
  // Copies each entry into the tensor of the same key. strict: every key must match both ways.
  // Raises (keys, shapes, dtypes named) before changing anything.
  void load_state_dict(const StateDict& sd, bool strict = true);

  // Dropout and batch norm behave differently in training; train/eval set the mode recursively.
  virtual void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  // Converts floating parameters and buffers in place (handles held elsewhere see the change).
  void to(DType dtype);
  void to(Device device);  // CPU only in this build
  void zero_grad();

 protected:
  // Register under a name (no dots, unique); parameters get requires_grad.
  // An undefined tensor registers nothing (PyTorch's None: bias=false).
  Tensor register_parameter(const std::string& name, Tensor t, bool requires_grad = true);
  Tensor register_buffer(const std::string& name, Tensor t);
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> m) {
    check_name(name, m != nullptr);
    children_.emplace_back(name, m);
    return m;
  }

 private:
  void check_name(const std::string& name, bool defined) const;
  void collect(const std::string& prefix, bool params, bool buffers, bool recurse, StateDict& out) const;

  StateDict params_, buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace rb::nn
