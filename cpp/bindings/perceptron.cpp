// Bindings of the perceptron rule: private functions (_perceptron_*) that rosenblatt.Perceptron
// (python/rosenblatt/perceptron.py) wraps. The fit loop releases the GIL.
#include "bind.h"

namespace rb::bind {

void perceptron(py::module_& m, TensorClass& cls) {
  (void)cls;
  m.def(
      "_perceptron_fit",
      [](const Tensor& w, const Tensor& b, const Tensor& X, const Tensor& y, double lr, int64_t max_epochs) {
        PerceptronFit r;
        {
          py::gil_scoped_release nogil;
          r = perceptron_fit(w, b, X, y, lr, max_epochs);
        }
        return py::make_tuple(r.converged, r.n_epochs, r.errors, r.lo, r.hi);
      },
      py::arg("weight"), py::arg("bias"), py::arg("X"), py::arg("y"), py::arg("lr"), py::arg("max_epochs"));
  m.def("_perceptron_predict", &perceptron_predict, py::arg("weight"), py::arg("bias"), py::arg("X"), py::arg("lo"),
        py::arg("hi"));
  m.def("_perceptron_update", &perceptron_update, py::arg("weight"), py::arg("bias"), py::arg("x"), py::arg("target"),
        py::arg("prediction"), py::arg("lr"));
}

}  // namespace rb::bind
