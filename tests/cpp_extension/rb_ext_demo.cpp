// An outside extension using rosenblatt tensors: ops whose autograd graph Python differentiates,
// a view that shares memory with its argument, and the identity of what it was handed.
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
}
