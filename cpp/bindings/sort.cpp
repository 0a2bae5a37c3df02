// Bindings of the sort family (ops/sort.h): sort, argsort, topk and kthvalue as functions and Tensor
// methods; all but argsort return named tuples (values, indices), as torch.return_types.
#include "bind.h"

namespace rb::bind {

void sort(py::module_& m, TensorClass& cls) {
  py::module_ types = py::module_::import("rosenblatt.return_types");
  py::object sort_t = types.attr("sort"), topk_t = types.attr("topk"), kth_t = types.attr("kthvalue");

  auto sort_fn = [sort_t](const Tensor& x, int64_t dim, bool descending, bool stable) {
    ValuesIndices r = sort(x, dim, descending, stable);
    return sort_t(py::cast(r.values), py::cast(r.indices));
  };
  m.def("sort", sort_fn, py::arg("input"), py::arg("dim") = -1, py::arg("descending") = false, py::kw_only(),
        py::arg("stable") = false);
  cls.def("sort", sort_fn, py::arg("dim") = -1, py::arg("descending") = false, py::kw_only(),
          py::arg("stable") = false);
  auto argsort_fn = [](const Tensor& x, int64_t dim, bool descending, bool stable) {
    return argsort(x, dim, descending, stable);
  };
  m.def("argsort", argsort_fn, py::arg("input"), py::arg("dim") = -1, py::arg("descending") = false, py::kw_only(),
        py::arg("stable") = false);
  cls.def("argsort", argsort_fn, py::arg("dim") = -1, py::arg("descending") = false, py::kw_only(),
          py::arg("stable") = false);
  auto topk_fn = [topk_t](const Tensor& x, int64_t k, int64_t dim, bool largest, bool sorted) {
    ValuesIndices r = topk(x, k, dim, largest, sorted);
    return topk_t(py::cast(r.values), py::cast(r.indices));
  };
  m.def("topk", topk_fn, py::arg("input"), py::arg("k"), py::arg("dim") = -1, py::arg("largest") = true,
        py::arg("sorted") = true);
  cls.def("topk", topk_fn, py::arg("k"), py::arg("dim") = -1, py::arg("largest") = true, py::arg("sorted") = true);
  auto kth_fn = [kth_t](const Tensor& x, int64_t k, int64_t dim, bool keepdim) {
    ValuesIndices r = kthvalue(x, k, dim, keepdim);
    return kth_t(py::cast(r.values), py::cast(r.indices));
  };
  m.def("kthvalue", kth_fn, py::arg("input"), py::arg("k"), py::arg("dim") = -1, py::arg("keepdim") = false);
  cls.def("kthvalue", kth_fn, py::arg("k"), py::arg("dim") = -1, py::arg("keepdim") = false);
}

}  // namespace rb::bind
