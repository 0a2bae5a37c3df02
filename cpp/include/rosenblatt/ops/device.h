// Moving a tensor between devices (cpp/ops/device.cpp): Tensor.to(device), .cuda(), .cpu().
#pragma once
#include "rosenblatt/device.h"
#include "rosenblatt/tensor.h"

namespace rb {

// x on `device` (index -1: the current one): x itself when it is already there, else a contiguous
// copy, differentiable (the gradient goes back to x's device). non_blocking: a copy to the device
// may return before it finishes, as PyTorch's; a copy to the host always waits.
Tensor to_device(const Tensor& x, const Device& device, bool non_blocking = false);

}  // namespace rb
