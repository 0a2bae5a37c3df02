// The seam between ops and kernels: for each kernel family, one table of kernels per device type.
// kernels/cpu fills the CPU slots; a CUDA module fills the CUDA slots when it is imported.
#pragma once
#include "rosenblatt/device.h"

namespace rb {

// A family's table for one device comes from a function, not a fixed pointer: on the CPU it
// returns the copy compiled for the instruction set in use (kernels/cpu/capability.h), which
// rb.backends.cpu can switch at run time.
template <class Table>
using TableGetter = const Table& (*)();

constexpr int kNumDeviceTypes = 2;  // DeviceType::CPU, DeviceType::CUDA

template <class Table>
inline TableGetter<Table> g_kernel_tables[kNumDeviceTypes] = {};

// Installs (or, with nullptr, removes) the table of family `Table` for device type `d`.
template <class Table>
void register_kernels(DeviceType d, TableGetter<Table> get) {
  g_kernel_tables<Table>[static_cast<int>(d)] = get;
}

// The one device refusal of the op layer: NotImplementedError
// "<op>: no kernel for device cuda:0 in this build".
[[noreturn]] void throw_no_kernel(const char* op, const Device& d);
// Fills the CPU slots of every family, once (kernels/cpu/register.cpp).
void register_builtin_kernels();

// The kernels of family `Table` for tensors on `d`; `op` names the caller in the error.
template <class Table>
const Table& kernels_for(const char* op, const Device& d) {
  TableGetter<Table> get = g_kernel_tables<Table>[static_cast<int>(d.type)];
  if (get == nullptr) [[unlikely]] {
    register_builtin_kernels();
    get = g_kernel_tables<Table>[static_cast<int>(d.type)];
    if (get == nullptr) throw_no_kernel(op, d);
  }
  return get();
}

// Whether family `Table` has kernels for tensors on `d`: for an op that takes another path (its composite of
// other ops) where it has none.
template <class Table>
bool has_kernels(const Device& d) {
  if (g_kernel_tables<Table>[static_cast<int>(d.type)] == nullptr) register_builtin_kernels();
  return g_kernel_tables<Table>[static_cast<int>(d.type)] != nullptr;
}

}  // namespace rb
