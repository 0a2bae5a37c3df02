// Losses with reduction none/mean/sum. Softmax+cross-entropy and sigmoid+BCE are fused for stability.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {}  // namespace rb
