// The C++ training API for programs that embed the core: the nn modules (rosenblatt/nn/*.h) with
// PyTorch's names and state_dict keys, the optimizers (rosenblatt/optim.h) and rb::backward.
#pragma once
#include "rosenblatt/nn/activation.h"
#include "rosenblatt/nn/container.h"
#include "rosenblatt/nn/conv.h"
#include "rosenblatt/nn/linear.h"
#include "rosenblatt/nn/loss.h"
#include "rosenblatt/nn/module.h"
#include "rosenblatt/nn/norm.h"
#include "rosenblatt/nn/pool.h"
#include "rosenblatt/nn/recurrent.h"
#include "rosenblatt/optim.h"

namespace rb {
// loss.backward(): gradients of a one-element tensor into the leaves' .grad.
inline void backward(const Tensor& loss, bool retain_graph = false) { run_backward({loss}, {Tensor()}, retain_graph); }
}  // namespace rb
