// Bindings of the distance family (ops/distance.h) into module _C._nn, with torch.nn.functional's
// argument names and defaults.
#include "bind.h"

namespace rb::bind {

void distance(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  for (py::module_* mod : {&m, &nn}) {  // torch.cosine_similarity is torch.nn.functional.cosine_similarity
    mod->def("cosine_similarity", &cosine_similarity, py::arg("x1"), py::arg("x2"), py::arg("dim") = 1,
             py::arg("eps") = 1e-8);
    mod->def("pairwise_distance", &pairwise_distance, py::arg("x1"), py::arg("x2"), py::arg("p") = 2.0,
             py::arg("eps") = 1e-6, py::arg("keepdim") = false);
  }
  nn.def("normalize", &normalize, py::arg("input"), py::arg("p") = 2.0, py::arg("dim") = 1, py::arg("eps") = 1e-12);
}

}  // namespace rb::bind
