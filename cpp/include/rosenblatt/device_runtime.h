// What a device other than the CPU must provide beyond its kernel tables (kernels/registry.h): its
// memory and the copies between it and the host. The CUDA module (rosenblatt._cuda) registers one
// when it is loaded; a build without it has none, and asking for its memory raises.
#pragma once
#include <cstddef>

#include "rosenblatt/device.h"

namespace rb {

struct DeviceRuntime {
  // The device index a Device with index -1 means (the current device of the calling thread).
  int (*current_device)();
  // nbytes of device memory, from the device's caching allocator; raises (OutOfMemoryError message)
  // when the device has none left even after emptying its cache.
  void* (*allocate)(size_t nbytes, int index);
  // Gives a block from allocate back to the cache; never raises (called from destructors).
  void (*release)(void* p, size_t nbytes, int index);
  // nbytes from src to dst, one side of which may be the host (Device with type CPU). Ordered
  // after the kernels queued before it; returns once the host may read (to the host) or reuse
  // (from the host) its buffer unless non_blocking.
  void (*copy)(void* dst, Device dst_device, const void* src, Device src_device, size_t nbytes, bool non_blocking);
};

// Installs (nullptr: removes) the runtime of device type t.
void register_device_runtime(DeviceType t, const DeviceRuntime* runtime);
// The runtime of t, or RuntimeError naming the device when no module provides one.
const DeviceRuntime& device_runtime(const Device& d);
// d with its index resolved (-1 -> the current device); the CPU stays as it is.
Device concrete_device(const Device& d);

}  // namespace rb
