// The capsule exchange of rosenblatt/python.h: Tensor._rb_capsule() and _C._rb_from_capsule(), through
// which other extensions take and return tensors sharing their TensorImpl (memory and autograd).
#include "bind.h"
#include "rosenblatt/python.h"

namespace rb::bind {

void embed(py::module_& m, TensorClass& cls) {
  cls.def("_rb_capsule", [](const Tensor& t) {
    auto* held = new std::shared_ptr<TensorImpl>(t.impl_ptr());
    return py::capsule(held, python::kCapsuleName, [](PyObject* c) {
      delete static_cast<std::shared_ptr<TensorImpl>*>(PyCapsule_GetPointer(c, python::kCapsuleName));
    });
  });
  m.def("_rb_from_capsule", [](const py::capsule& c) {
    RB_CHECK(c.name() != nullptr && std::string(c.name()) == python::kCapsuleName, TypeError,
             "_rb_from_capsule: expected a capsule named ", python::kCapsuleName);
    return Tensor(*c.get_pointer<std::shared_ptr<TensorImpl>>());
  });
}

}  // namespace rb::bind
