// CPU kernels of the perceptron rule: one epoch of sequential updates, prediction, one update.
// Sequential by nature (each update depends on the previous one), so they run single-threaded.
#pragma once
#include "../perceptron.h"
#include "capability.h"

namespace rb::cpu {
template <>
const PerceptronKernels& kernels<PerceptronKernels>();
}  // namespace rb::cpu
