// CPU grid_sample kernels: every output point's taps and weights computed once and applied to all channels.
#pragma once
#include "../grid_sample.h"
#include "capability.h"

namespace rb::cpu {

// x: (N, C, ID, IH, IW), grid: (N, OD, OH, OW, dims) -> y: (N, C, OD, OH, OW).
void grid_sample_forward(const GridSampleGeom& g, const void* x, const void* grid, void* y);
// dy: y's shape -> dx: x's shape, dgrid: grid's shape (each overwritten where not nullptr).
void grid_sample_backward(const GridSampleGeom& g, const void* dy, const void* x, const void* grid, void* dx,
                          void* dgrid);

template <>
const GridSampleKernels& kernels<GridSampleKernels>();

}  // namespace rb::cpu
