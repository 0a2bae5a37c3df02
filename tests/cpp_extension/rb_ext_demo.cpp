// An outside extension using rosenblatt tensors: ops whose autograd graph Python differentiates,
// a view that shares memory with its argument, the identity of what it was handed, and the C++
// modules' state_dict keys and optimizer steps for Python to compare with its own.
#include <pybind11/stl.h>
#include <rosenblatt/pybind11.h>
#include <rosenblatt/rosenblatt.h>

namespace py = pybind11;

PYBIND11_MODULE(rb_ext_demo, m) {
  m.def("scaled_tanh", [](const rb::Tensor& x, double s) { return rb::tanh(rb::mul(x, s)); });
  m.def("first_row", [](const rb::Tensor& x) { return rb::select(x, 0, 0); });
  m.def("data_address", [](const rb::Tensor& x) { return reinterpret_cast<uintptr_t>(x.raw_data()); });
  m.def("identity", [](const rb::Tensor& x) { return x; });
  m.def("linear_layer_out", [](const rb::Tensor& x) {
    rb::default_generator().manual_seed(0);
    rb::nn::Linear lin(x.size(-1), 2);
    return lin(x);
  });
  m.def("state_dict_keys", [](const std::string& which) {
    namespace nn = rb::nn;
    std::shared_ptr<nn::Module> m;
    if (which == "lstm") m = std::make_shared<nn::LSTM>(3, 5, 2, true, false, 0.0, true);
    if (which == "gru") m = std::make_shared<nn::GRU>(3, 5, 1, false);
    if (which == "cnn")
      m = std::make_shared<nn::Sequential>(std::initializer_list<std::shared_ptr<nn::Module>>{
          std::make_shared<nn::Conv2d>(1, 4, 3), std::make_shared<nn::BatchNorm2d>(4), std::make_shared<nn::ReLU>(),
          std::make_shared<nn::ConvTranspose2d>(4, 2, 2), std::make_shared<nn::Flatten>(),
          std::make_shared<nn::LayerNorm>(std::vector<int64_t>{8}), std::make_shared<nn::Embedding>(5, 8)});
    std::vector<std::pair<std::string, std::vector<int64_t>>> out;
    for (const auto& [k, t] : m->state_dict()) out.emplace_back(k, t.shape());
    return out;
  });
  // Runs `steps` optimizer steps on param with the constant gradient grad, in C++.
  m.def("optimize", [](rb::Tensor param, const rb::Tensor& grad, const std::string& which, int steps) {
    std::unique_ptr<rb::optim::Optimizer> opt;
    if (which == "sgd_nesterov")
      opt = std::make_unique<rb::optim::SGD>(std::vector<rb::Tensor>{param}, 0.1, 0.9, 0.0, 0.01, true);
    if (which == "adam") opt = std::make_unique<rb::optim::Adam>(std::vector<rb::Tensor>{param}, 0.01);
    if (which == "adamw") opt = std::make_unique<rb::optim::AdamW>(std::vector<rb::Tensor>{param}, 0.01);
    if (which == "rmsprop")
      opt = std::make_unique<rb::optim::RMSprop>(std::vector<rb::Tensor>{param}, 0.01, 0.99, 1e-8, 0.0, 0.5, true);
    for (int i = 0; i < steps; ++i) {
      param.set_grad(rb::clone(grad));
      opt->step();
    }
  });
}
