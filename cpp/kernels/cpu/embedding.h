// CPU embedding kernels: row copies for the lookup, the gradient summed into rows by column blocks
// (each thread owns its columns, so repeated indices never race), renormalization row by row.
#pragma once
#include "../embedding.h"
#include "capability.h"

namespace rb::cpu {
template <>
const EmbeddingKernels& kernels<EmbeddingKernels>();
}  // namespace rb::cpu
