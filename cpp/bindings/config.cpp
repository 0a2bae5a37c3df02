// Bindings of build and runtime configuration: thread count, BLAS name, compiled features.
#include "bind.h"

#include <cstdlib>
#include <cstring>

#include "../kernels/cpu/blas.h"
#include "../kernels/cpu/capability.h"
#include "../kernels/cpu/loops.h"

namespace rb::bind {

void config(py::module_& m) {
  m.def(
      "set_num_threads",
      [](int n) {
        RB_CHECK(n > 0, ValueError, "set_num_threads expects a positive integer, got ", n);
        cpu::set_num_threads(n);
      },
      py::arg("num"));
  m.def("get_num_threads", &cpu::num_threads);
  // rb.use_deterministic_algorithms: the kernels read it once per call (cpu::deterministic).
  m.def("_set_deterministic", &cpu::set_deterministic, py::arg("mode"));
  // The instruction set of the kernels in use (rb.backends.cpu); setting it is for tests.
  m.def("_get_cpu_capability", [] { return cpu::capability_name(cpu::capability()); });
  m.def("_max_cpu_capability", [] { return cpu::capability_name(cpu::max_capability()); });
  m.def("_kernels_compiled_for", &cpu::compiled_capability);  // the copy in use, by its compiler flags
  m.def(
      "_set_cpu_capability", [](const std::string& name) { cpu::set_capability(cpu::parse_capability(name)); },
      py::arg("name"));
  // Docstrings of bound functions live in Python (rosenblatt/_docs) and are attached at import, as PyTorch's
  // add_docstr does: __doc__ of a builtin function is read-only, so the text replaces its PyMethodDef's ml_doc.
  // pybind11 allocates ml_doc with strdup and frees it when the function goes, so the old text is freed and the
  // new one strdup'ed. Only pybind11 functions qualify (their self is pybind11's function record).
  m.def(
      "_add_docstr",
      [](py::object fn, const std::string& text) {
        PyObject* f = fn.ptr();
        if (PyInstanceMethod_Check(f)) f = PyInstanceMethod_GET_FUNCTION(f);
        RB_CHECK(PyCFunction_Check(f) && py::detail::is_function_record_PyObject(PyCFunction_GET_SELF(f)), TypeError,
                 "_add_docstr expects a function bound by pybind11, got ",
                 std::string(py::str(py::type::of(fn).attr("__name__"))));
        auto* def = reinterpret_cast<PyCFunctionObject*>(f)->m_ml;
        char* doc = strdup(text.c_str());
        RB_CHECK(doc != nullptr, Error, "_add_docstr: out of memory");
        std::free(const_cast<char*>(def->ml_doc));
        def->ml_doc = doc;
        return fn;
      },
      py::arg("obj"), py::arg("text"));
  py::dict info;
  info["blas"] = cpu::blas_name();
#ifdef RB_OPENMP
  info["openmp"] = true;
#else
  info["openmp"] = false;
#endif
  info["cuda"] = false;
  info["compiler"] = __VERSION__;
  // the capabilities the hot kernels were compiled for (one copy: RB_NATIVE, or not x86-64)
  py::list dispatch;
#ifdef RB_CPU_MULTI
  for (auto c : {cpu::Capability::Default, cpu::Capability::AVX2, cpu::Capability::AVX512})
    dispatch.append(cpu::capability_name(c));
#else
  dispatch.append(cpu::capability_name(cpu::max_capability()));
#endif
  info["cpu_dispatch"] = dispatch;
  m.attr("_build_info") = info;
}

}  // namespace rb::bind
