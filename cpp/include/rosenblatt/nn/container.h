// Containers: Sequential (runs its modules in order; children named "0", "1", ... as PyTorch's) and
// ModuleList (holds modules for a forward written by hand).
#pragma once
#include <initializer_list>

#include "rosenblatt/nn/module.h"

namespace rb::nn {

class Sequential : public Module {
 public:
  Sequential() = default;
  Sequential(std::initializer_list<std::shared_ptr<Module>> modules) {
    for (const auto& m : modules) add(m);
  }
  Sequential& add(std::shared_ptr<Module> m);
  size_t size() const { return named_children().size(); }
  Module& operator[](size_t i) const;
  Tensor forward(const Tensor& x) override;
};

class ModuleList : public Module {
 public:
  ModuleList() = default;
  ModuleList(std::initializer_list<std::shared_ptr<Module>> modules) {
    for (const auto& m : modules) push_back(m);
  }
  ModuleList& push_back(std::shared_ptr<Module> m);
  size_t size() const { return named_children().size(); }
  Module& operator[](size_t i) const;  // IndexError out of range
};

}  // namespace rb::nn
