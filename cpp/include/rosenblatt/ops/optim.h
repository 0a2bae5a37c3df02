// Fused optimizer updates: one pass over a parameter, its gradient and its state per call.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {}  // namespace rb
