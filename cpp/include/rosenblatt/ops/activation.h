// Activations (sigmoid, tanh, relu, leaky_relu, elu, softmax, log_softmax, step) and dropout.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {}  // namespace rb
