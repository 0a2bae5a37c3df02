// Bindings of the nn family.
#include "bind.h"

namespace rb::bind {

void nn(py::module_& m, TensorClass& cls) {
  (void)m;
  (void)cls;
}

}  // namespace rb::bind
