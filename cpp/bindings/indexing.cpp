// Bindings of the indexing family.
#include "bind.h"

namespace rb::bind {

void indexing(py::module_& m, TensorClass& cls) {
  (void)m;
  (void)cls;
}

}  // namespace rb::bind
