// The extension module rosenblatt._C: exception translation, then each family's bindings.
#include "bind.h"

#include "../kernels/cpu/blas.h"
#include "../kernels/cpu/capability.h"

namespace rb::bind {

void device(py::module_& m, TensorClass& cls);     // Tensor._to_device: copies between devices (bindings/device.cpp)
void composite(py::module_& m, TensorClass& cls);  // torch-level composites (cpp/bindings/composite.cpp)
// searchsorted, unique, bincount, scatter_reduce, median, quantile, cummax ... (bindings/search.cpp)
void search(py::module_& m, TensorClass& cls);
// torch.linalg's factorizations and the older inverse/det/svd/qr (bindings/linalg_decomp.cpp)
void linalg_decomp(py::module_& m, TensorClass& cls);

Shape shape_from_object(py::handle h) {
  if (PyLong_Check(h.ptr())) return {h.cast<int64_t>()};
  RB_CHECK(py::isinstance<py::sequence>(h), TypeError, "expected a sequence of integers or a single integer, got ",
           std::string(py::str(py::type::of(h).attr("__name__"))));
  Shape s;
  for (py::handle v : h) {
    RB_CHECK(PyLong_Check(v.ptr()) || py::hasattr(v, "__index__"), TypeError,
             "expected a sequence of integers, but found element of type ",
             std::string(py::str(py::type::of(v).attr("__name__"))));
    s.push_back(v.cast<int64_t>());
  }
  return s;
}

Shape shape_from_args(const py::args& args) {
  if (args.size() == 1 && !PyLong_Check(args[0].ptr())) return shape_from_object(args[0]);
  Shape s;
  for (py::handle v : args) {
    RB_CHECK(PyLong_Check(v.ptr()) || py::hasattr(v, "__index__"), TypeError,
             "expected integers for a size, but found element of type ",
             std::string(py::str(py::type::of(v).attr("__name__"))));
    s.push_back(v.cast<int64_t>());
  }
  return s;
}

std::vector<int64_t> dims_from_object(py::handle h) {
  if (h.is_none()) return {};
  return shape_from_object(h);
}

}  // namespace rb::bind

PYBIND11_MODULE(_C, m) {
  m.doc() = "rosenblatt core: tensors, autograd and kernels";
  rb::cpu::blas_init();
  rb::cpu::init_capability();  // a bad RB_CPU_CAPABILITY: the import fails (ImportError) naming it
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const rb::TypeError& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    } catch (const rb::NotImplementedError& e) {
      PyErr_SetString(PyExc_NotImplementedError, e.what());
    }
  });
  TensorClass cls(m, "Tensor");
  rb::bind::tensor(m, cls);
  rb::bind::factory(m, cls);
  rb::bind::device(m, cls);
  rb::bind::elementwise(m, cls);
  rb::bind::reduce(m, cls);
  rb::bind::shape(m, cls);
  rb::bind::indexing(m, cls);
  rb::bind::linalg(m, cls);
  rb::bind::activation(m, cls);
  rb::bind::loss(m, cls);
  rb::bind::ctc(m, cls);
  rb::bind::embedding(m, cls);
  rb::bind::attention(m, cls);
  rb::bind::conv(m, cls);
  rb::bind::optim(m, cls);
  rb::bind::config(m);
  rb::bind::perceptron(m, cls);
  rb::bind::pool(m, cls);
  rb::bind::norm(m, cls);
  rb::bind::resize(m, cls);
  rb::bind::recurrent(m, cls);
  rb::bind::distance(m, cls);
  rb::bind::scan(m, cls);
  rb::bind::numeric(m, cls);
  rb::bind::sort(m, cls);
  rb::bind::transform(m, cls);
  rb::bind::toolbox(m, cls);
  rb::bind::storage(m, cls);
  rb::bind::composite(m, cls);
  rb::bind::search(m, cls);
  rb::bind::linalg_decomp(m, cls);
}
