// The CUDA backend's entry point (register.cpp).
#pragma once

namespace rb::cuda {

// Installs the CUDA runtime and every CUDA kernel table; idempotent, touches no GPU.
void register_kernels();

}  // namespace rb::cuda
