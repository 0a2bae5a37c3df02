// Bindings of the optim family.
#include "bind.h"

namespace rb::bind {

void optim(py::module_& m, TensorClass& cls) {
  (void)m;
  (void)cls;
}

}  // namespace rb::bind
