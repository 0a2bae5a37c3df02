// The CUDA runtime of rosenblatt._cuda: errors, devices, the stream kernels run on, and the caching
// allocator behind rb::DeviceRuntime (rosenblatt/device_runtime.h). Host code only (compiled by the
// C++ compiler); kernels include it for check() and current_stream().
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "rosenblatt/device_runtime.h"

namespace rb::cuda {

// Raises rb::Error "CUDA error: <cudaGetErrorString> (<what>)" unless e is cudaSuccess.
void check(cudaError_t e, const char* what);

// The number of GPUs; 0 where there is no GPU or no driver (nothing raises: is_available() is False).
int device_count();
// Raises PyTorch's RuntimeError where CUDA cannot be used: no driver, or no GPU.
void lazy_init();
int current_device();
void set_device(int index);
void synchronize(int index);  // index -1: the current device
// The stream every kernel and copy of the current device is queued on (the legacy default stream:
// one stream per device, so the caching allocator may reuse a block as soon as it is freed).
cudaStream_t current_stream();

// The caching allocator's counters for device `index` (-1: the current one), in bytes, as torch.cuda's.
int64_t memory_allocated(int index);
int64_t max_memory_allocated(int index);
int64_t memory_reserved(int index);
void reset_peak_memory_stats(int index);
void empty_cache();

// The DeviceRuntime rosenblatt._cuda registers for DeviceType::CUDA.
const DeviceRuntime& device_runtime();

}  // namespace rb::cuda
