// Bindings of the recurrent family into module _C._nn: the one-layer, one-direction sequence op
// behind nn.RNN/LSTM/GRU and the single-step cells (as torch.rnn_tanh_cell, lstm_cell, gru_cell).
#include "bind.h"

namespace rb::bind {
void recurrent(py::module_& m, TensorClass&) {
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  nn.def(
      "rnn_layer",
      [](const std::string& mode, const Tensor& x, std::optional<Tensor> hx, std::optional<Tensor> cx,
         const Tensor& w_ih, const Tensor& w_hh, std::optional<Tensor> b_ih, std::optional<Tensor> b_hh,
         std::optional<Tensor> w_hr, std::optional<Tensor> lengths, bool reverse) {
        py::gil_scoped_release nogil;
        auto r =
            rnn_layer(mode, x, opt(hx), opt(cx), w_ih, w_hh, opt(b_ih), opt(b_hh), opt(w_hr), opt(lengths), reverse);
        return std::make_tuple(r[0], r[1], r[2].defined() ? std::optional<Tensor>(r[2]) : std::nullopt);
      },
      py::arg("mode"), py::arg("input"), py::arg("hx"), py::arg("cx"), py::arg("w_ih"), py::arg("w_hh"),
      py::arg("b_ih") = py::none(), py::arg("b_hh") = py::none(), py::arg("w_hr") = py::none(),
      py::arg("lengths") = py::none(), py::arg("reverse") = false);
  auto cell = [&](const char* name, Tensor (*f)(const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                                const Tensor&, const Tensor&)) {
    nn.def(
        name,
        [f](const Tensor& x, std::optional<Tensor> hx, const Tensor& w_ih, const Tensor& w_hh,
            std::optional<Tensor> b_ih, std::optional<Tensor> b_hh) {
          py::gil_scoped_release nogil;
          return f(x, opt(hx), w_ih, w_hh, opt(b_ih), opt(b_hh));
        },
        py::arg("input"), py::arg("hx"), py::arg("w_ih"), py::arg("w_hh"), py::arg("b_ih") = py::none(),
        py::arg("b_hh") = py::none());
  };
  cell("rnn_tanh_cell", &rnn_tanh_cell);
  cell("rnn_relu_cell", &rnn_relu_cell);
  cell("gru_cell", &gru_cell);
  nn.def(
      "lstm_cell",
      [](const Tensor& x, std::optional<Tensor> hx, std::optional<Tensor> cx, const Tensor& w_ih, const Tensor& w_hh,
         std::optional<Tensor> b_ih, std::optional<Tensor> b_hh) {
        py::gil_scoped_release nogil;
        auto r = lstm_cell(x, opt(hx), opt(cx), w_ih, w_hh, opt(b_ih), opt(b_hh));
        return std::make_tuple(r[0], r[1]);
      },
      py::arg("input"), py::arg("hx"), py::arg("cx"), py::arg("w_ih"), py::arg("w_hh"), py::arg("b_ih") = py::none(),
      py::arg("b_hh") = py::none());
}

}  // namespace rb::bind
