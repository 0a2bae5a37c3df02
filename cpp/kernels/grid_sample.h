// The grid_sample family's kernel table: sampling (N, C, [D,] H, W) input at the points of an (N, [OD,] OH, OW,
// dims) grid of normalized coordinates, forward and the fused backward (dinput and dgrid in one pass).
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

enum class GridSampleMode { Bilinear, Nearest, Bicubic };  // bilinear is trilinear in 3-d; bicubic is 2-d only
enum class GridSamplePadding { Zeros, Border, Reflection };

// 2-d: ID = OD = 1. dtype: float32 or float64 (input and grid alike).
struct GridSampleGeom {
  int64_t N, C, ID, IH, IW, OD, OH, OW;
  int dims;  // 2 or 3: the grid's last size
  GridSampleMode mode;
  GridSamplePadding padding;
  bool align_corners;
  DType dtype = DType::Float32;
};

struct GridSampleKernels {
  // x: (N, C, ID, IH, IW), grid: (N, OD, OH, OW, dims) -> y: (N, C, OD, OH, OW).
  void (*grid_sample_forward)(const GridSampleGeom& g, const void* x, const void* grid, void* y);
  // dy: (N, C, OD, OH, OW) -> dx: x's shape (overwritten; nullptr: not wanted), dgrid: grid's shape (overwritten;
  // nullptr: not wanted), as ATen's output_mask.
  void (*grid_sample_backward)(const GridSampleGeom& g, const void* dy, const void* x, const void* grid, void* dx,
                               void* dgrid);
};

}  // namespace rb
