// The C++ training API for programs that embed the core: Linear layers with PyTorch's default
// init, a Sequential of layers and activations, and SGD/Adam over their parameters.
#pragma once
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include "rosenblatt/generator.h"
#include "rosenblatt/ops.h"

namespace rb::nn {

// Anything with parameters and a forward.
struct Module {
  virtual ~Module() = default;
  virtual Tensor forward(const Tensor& x) = 0;
  virtual std::vector<Tensor> parameters() { return {}; }
  Tensor operator()(const Tensor& x) { return forward(x); }
};

// y = x W^T + b with W (out, in), b (out): PyTorch's layout and default init
// (kaiming_uniform(a=sqrt(5)) for W, U(-1/sqrt(in), 1/sqrt(in)) for b).
struct Linear : Module {
  Tensor weight, bias;
  Linear(int64_t in, int64_t out, bool with_bias = true, Generator* gen = nullptr) {
    double bound = in > 0 ? 1.0 / std::sqrt(static_cast<double>(in)) : 0.0;
    weight = Tensor::empty({out, in});
    uniform_(weight, -bound, bound, gen);
    weight.set_requires_grad(true);
    if (with_bias) {
      bias = Tensor::empty({out});
      uniform_(bias, -bound, bound, gen);
      bias.set_requires_grad(true);
    }
  }
  Tensor forward(const Tensor& x) override {
    return linear(x, weight, bias.defined() ? std::optional<Tensor>(bias) : std::nullopt);
  }
  std::vector<Tensor> parameters() override {
    return bias.defined() ? std::vector<Tensor>{weight, bias} : std::vector<Tensor>{weight};
  }
};

// A parameter-free layer from a function (rb::tanh, rb::relu, rb::sigmoid, ...).
struct Lambda : Module {
  std::function<Tensor(const Tensor&)> fn;
  explicit Lambda(std::function<Tensor(const Tensor&)> f) : fn(std::move(f)) {}
  Tensor forward(const Tensor& x) override { return fn(x); }
};

struct Sequential : Module {
  std::vector<std::shared_ptr<Module>> layers;
  Sequential& add(std::shared_ptr<Module> m) {
    layers.push_back(std::move(m));
    return *this;
  }
  Tensor forward(const Tensor& x) override {
    Tensor h = x;
    for (auto& l : layers) h = l->forward(h);
    return h;
  }
  std::vector<Tensor> parameters() override {
    std::vector<Tensor> ps;
    for (auto& l : layers)
      for (Tensor& p : l->parameters()) ps.push_back(p);
    return ps;
  }
};

}  // namespace rb::nn

namespace rb::optim {

// Plain SGD with optional momentum, through the fused kernel torch.optim.SGD's numbers match.
struct SGD {
  std::vector<Tensor> params, buffers;
  double lr, momentum;
  bool first = true;
  SGD(std::vector<Tensor> ps, double lr_, double momentum_ = 0.0)
      : params(std::move(ps)), lr(lr_), momentum(momentum_) {
    for (Tensor& p : params) buffers.push_back(momentum > 0 ? zeros_like(p) : Tensor());
  }
  void zero_grad() {
    for (Tensor& p : params) p.set_grad(Tensor());
  }
  void step() {
    for (size_t i = 0; i < params.size(); ++i)
      if (params[i].grad().defined())
        sgd_step(params[i], params[i].grad(), buffers[i], lr, momentum, 0.0, 0.0, false, false, first);
    first = false;
  }
};

}  // namespace rb::optim

namespace rb {
// loss.backward(): gradients of a one-element tensor into the leaves' .grad.
inline void backward(const Tensor& loss, bool retain_graph = false) { run_backward({loss}, {Tensor()}, retain_graph); }
}  // namespace rb
