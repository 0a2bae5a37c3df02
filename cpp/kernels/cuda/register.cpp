// Fills the CUDA slots of the kernel seam (kernels/registry.h) and installs the CUDA runtime
// (rosenblatt/device_runtime.h). rosenblatt._cuda calls it when Python imports it; a C++ program
// linking rosenblatt_cuda calls it itself. Families without a CUDA table yet keep an empty slot, so
// their ops raise "<op>: no kernel for device cuda:0 in this build".
#include "register.h"

#include "../registry.h"
#include "elementwise.h"
#include "reduce.h"
#include "runtime.h"

namespace rb::cuda {

void register_kernels() {
  register_device_runtime(DeviceType::CUDA, &device_runtime());
  rb::register_kernels<ElementwiseKernels>(DeviceType::CUDA, &elementwise_kernels);
  rb::register_kernels<ReduceKernels>(DeviceType::CUDA, &reduce_kernels);
}

}  // namespace rb::cuda
