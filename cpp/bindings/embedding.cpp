// Bindings of the embedding family (ops/embedding.h): torch.embedding and embedding_renorm_ at top
// level, F.embedding (padding_idx wrapping, max_norm), F.one_hot and the bag reduction behind
// F.embedding_bag (_embedding_bag: 1-D indices and offsets, mode 0 sum, 1 mean, 2 max) in module _C._nn.
#include "bind.h"

namespace rb::bind {

void embedding(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  auto no_sparse = [](bool sparse) {
    if (sparse)
      throw NotImplementedError(
          "embedding: sparse=True (sparse gradients) is not supported in rosenblatt; "
          "use sparse=False, whose dense gradient is the same values");
  };
  m.def(
      "embedding",
      [no_sparse](const Tensor& weight, const Tensor& indices, int64_t padding_idx, bool scale, bool sparse) {
        no_sparse(sparse);
        return embedding(weight, indices, padding_idx, scale);
      },
      py::arg("weight"), py::arg("indices"), py::arg("padding_idx") = -1, py::arg("scale_grad_by_freq") = false,
      py::arg("sparse") = false);
  m.def(
      "embedding_renorm_",
      [](py::object weight, const Tensor& indices, double max_norm, double norm_type) {
        embedding_renorm_(weight.cast<Tensor&>(), indices, max_norm, norm_type);
        return weight;
      },
      py::arg("input"), py::arg("indices"), py::arg("max_norm"), py::arg("norm_type"));

  // torch.nn.functional.embedding: a negative padding_idx counts from the end; max_norm renormalizes
  // the rows looked up, in place and unrecorded, before the lookup.
  nn.def(
      "embedding",
      [no_sparse](const Tensor& input, py::object weight_obj, std::optional<int64_t> padding_idx,
                  std::optional<double> max_norm, double norm_type, bool scale, bool sparse) {
        Tensor& weight = weight_obj.cast<Tensor&>();
        no_sparse(sparse);
        int64_t pad = -1;
        if (padding_idx) {
          const int64_t V = weight.dim() > 0 ? weight.size(0) : 0;
          if (*padding_idx < -V || *padding_idx >= std::max<int64_t>(V, 1)) {
            PyErr_SetString(PyExc_AssertionError, "Padding_idx must be within num_embeddings");
            throw py::error_already_set();
          }
          pad = *padding_idx < 0 ? *padding_idx + V : *padding_idx;
        }
        py::gil_scoped_release nogil;
        if (max_norm) {
          NoGradGuard ng;
          embedding_renorm_(weight, input, *max_norm, norm_type);
        }
        return embedding(weight, input, pad, scale);
      },
      py::arg("input"), py::arg("weight"), py::arg("padding_idx") = py::none(), py::arg("max_norm") = py::none(),
      py::arg("norm_type") = 2.0, py::arg("scale_grad_by_freq") = false, py::arg("sparse") = false);
  nn.def(
      "_embedding_bag",
      [](const Tensor& weight, const Tensor& indices, const Tensor& offsets, bool scale, int64_t mode,
         std::optional<Tensor> psw, bool include_last_offset, std::optional<int64_t> padding_idx,
         std::optional<double> max_norm, double norm_type) {
        py::gil_scoped_release nogil;
        return embedding_bag(weight, indices, offsets, scale, mode, psw, include_last_offset, padding_idx, max_norm,
                             norm_type);
      },
      py::arg("weight"), py::arg("indices"), py::arg("offsets"), py::arg("scale_grad_by_freq") = false,
      py::arg("mode") = 0, py::arg("per_sample_weights") = py::none(), py::arg("include_last_offset") = false,
      py::arg("padding_idx") = py::none(), py::arg("max_norm") = py::none(), py::arg("norm_type") = 2.0);
  nn.def("one_hot", &one_hot, py::arg("tensor"), py::arg("num_classes") = -1);
}

}  // namespace rb::bind
