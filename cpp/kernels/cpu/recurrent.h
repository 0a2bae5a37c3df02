// CPU kernels of one recurrent layer in one direction (RNN tanh/relu, LSTM with optional projection,
// GRU): the forward over the whole sequence and its backward through time from saved gate activations.
#pragma once
#include <cstdint>

#include "../recurrent.h"
#include "capability.h"

namespace rb::cpu {
template <>
const RecurrentKernels<float>& kernels<RecurrentKernels<float>>();
template <>
const RecurrentKernels<double>& kernels<RecurrentKernels<double>>();
}  // namespace rb::cpu
