// The device refusal of the kernel seam (registry.h), written once for every op.
#include "registry.h"

namespace rb {

void throw_no_kernel(const char* op, const Device& d) {
  Device shown = d;
  if (shown.is_cuda() && shown.index < 0) shown.index = 0;  // name the device as PyTorch prints it
  throw NotImplementedError(str(op, ": no kernel for device ", shown.name(), " in this build"));
}

}  // namespace rb
