// grid_sample: torch's checks, the fused CPU kernels (float32, float64) and their node, GridSampler2DBackward0 /
// GridSampler3DBackward0, whose create_graph backward differentiates the composite (composite_grid.cpp), as do
// the dtypes and devices the kernels do not take.
#include <string>

#include "rosenblatt/ops.h"
#include "rosenblatt/ops/composite.h"

#include "aten_names.h"
#include "grid_sample.h"
#include "op_common.h"

#include "../kernels/grid_sample.h"

namespace rb {
namespace {

struct GridSamplerBackward : Node {
  GridSampleGeom g{};
  std::string mode, padding_mode;
  SavedTensor input, grid;
  bool input_grad = false, grid_grad = false;  // ATen's output_mask
  std::string name() const override { return g.dims == 2 ? "GridSampler2DBackward0" : "GridSampler3DBackward0"; }
  void release_saved() override { input.reset(), grid.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor x = input.unpack(*this), gr = grid.unpack(*this);
    if (GradMode::enabled()) {  // create_graph: the composite's graph, differentiable again
      auto f = [&](const std::vector<Tensor>& in) {
        return std::vector<Tensor>{grid_sample_graph(in[0], in[1], mode, padding_mode, g.align_corners)};
      };
      return grad_of_recomputed(f, {x, gr}, {grads[0]});
    }
    Tensor dy = grads[0].contiguous();
    Tensor dx = input_grad ? Tensor::empty(x.shape(), x.dtype(), x.device()) : Tensor();
    Tensor dgrid = grid_grad ? Tensor::empty(gr.shape(), gr.dtype(), gr.device()) : Tensor();
    kernels<GridSampleKernels>("grid_sampler_backward", dy)
        .grid_sample_backward(g, dy.raw_data(), x.raw_data(), gr.raw_data(), dx.defined() ? dx.raw_data() : nullptr,
                              dgrid.defined() ? dgrid.raw_data() : nullptr);
    return {dx, dgrid};
  }
};

// The fused kernels take float32 and float64 on a device that has them, and a non-empty problem.
bool takes_fused(const Tensor& input, const Tensor& grid) {
  return (input.dtype() == DType::Float32 || input.dtype() == DType::Float64) && input.numel() > 0 &&
         grid.numel() > 0 && has_kernels<GridSampleKernels>(input.device());
}

Tensor grid_sample_fused(const Tensor& input, const Tensor& grid, const std::string& mode,
                         const std::string& padding_mode, bool align_corners, const Shape& out_shape) {
  const Tensor x = contiguous_nograd(input), gr = contiguous_nograd(grid);
  const bool two_d = input.dim() == 4;
  GridSampleGeom g{};
  g.N = x.size(0), g.C = x.size(1);
  g.ID = two_d ? 1 : x.size(2), g.IH = x.size(-2), g.IW = x.size(-1);
  g.OD = two_d ? 1 : gr.size(1), g.OH = gr.size(-3), g.OW = gr.size(-2);
  g.dims = two_d ? 2 : 3;
  g.mode = mode == "bilinear"  ? GridSampleMode::Bilinear
           : mode == "nearest" ? GridSampleMode::Nearest
                               : GridSampleMode::Bicubic;
  g.padding = padding_mode == "zeros"    ? GridSamplePadding::Zeros
              : padding_mode == "border" ? GridSamplePadding::Border
                                         : GridSamplePadding::Reflection;
  g.align_corners = align_corners;
  g.dtype = x.dtype();
  Tensor out = Tensor::empty(out_shape, x.dtype(), x.device());
  kernels<GridSampleKernels>("grid_sampler", x).grid_sample_forward(g, x.raw_data(), gr.raw_data(), out.raw_data());
  if (any_requires_grad({&input, &grid})) {
    auto node = std::make_shared<GridSamplerBackward>();
    node->g = g, node->mode = mode, node->padding_mode = padding_mode;
    node->input = SavedTensor(input), node->grid = SavedTensor(grid);
    node->input_grad = input.requires_grad(), node->grid_grad = grid.requires_grad();
    record(node, {&input, &grid}, {&out});
  }
  return out;
}

}  // namespace

Tensor grid_sample(const Tensor& input, const Tensor& grid, const std::string& mode, const std::string& padding_mode,
                   bool align_corners) {
  RB_CHECK(mode == "bilinear" || mode == "nearest" || mode == "bicubic", ValueError,
           "nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '", mode,
           "'");
  RB_CHECK(padding_mode == "zeros" || padding_mode == "border" || padding_mode == "reflection", ValueError,
           "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '",
           padding_mode, "'");
  // ATen's checks in its order: the common ones (device, batch, last dim, non-empty spatial dims), then the
  // 2-d or 3-d kernel's.
  check_same_device(input, grid, "grid_sampler()");
  const int64_t dims = input.dim();
  RB_CHECK(dims > 0 && grid.dim() > 0, IndexError, "Dimension specified as 0 but tensor has no dimensions");
  RB_CHECK(input.size(0) == grid.size(0), Error,
           "grid_sampler(): expected grid and input to have same batch size, but got input with sizes ", input.shape(),
           " and grid with sizes ", grid.shape());
  RB_CHECK(grid.size(-1) == dims - 2, Error, "grid_sampler(): expected grid to have size ", dims - 2,
           " in last dimension, but got grid with sizes ", grid.shape());
  for (int64_t d = 2; d < dims; ++d)
    RB_CHECK(input.size(d) > 0, Error,
             "grid_sampler(): expected input to have non-empty spatial dimensions, but input ", "has sizes ",
             input.shape(), " with dimension ", d, " being empty");
  const bool two_d = dims == 4;
  RB_CHECK((two_d || dims == 5) && grid.dim() == dims, Error, "grid_sampler(): expected ", two_d ? 4 : 5,
           "D input and grid with same number of dimensions, but got input with sizes ", input.shape(),
           " and grid with sizes ", grid.shape());
  RB_CHECK(two_d || mode != "bicubic", Error, "grid_sampler(): bicubic interpolation only supports 4D input");

  const int64_t N = input.size(0), C = input.size(1);
  Shape out_shape{N, C};
  out_shape.insert(out_shape.end(), grid.shape().begin() + 1, grid.shape().end() - 1);
  const bool empty = input.numel() == 0 || grid.numel() == 0;
  // ATen's 3-d kernel checks the dtype first; its 2-d one returns an empty result first.
  RB_CHECK(is_floating(input.dtype()) || (two_d && empty), NotImplementedError, "\"",
           two_d ? "grid_sampler_2d_cpu_kernel_impl" : "grid_sampler3d_cpu", "\" not implemented for '",
           aten_name(input.dtype()), "'");
  if (empty && (!is_floating(input.dtype()) || grid.dtype() != input.dtype()))
    return Tensor::empty(out_shape, input.dtype(), input.device());
  RB_CHECK(input.dtype() == grid.dtype(), Error, "expected scalar type ", aten_name(input.dtype()), " but found ",
           aten_name(grid.dtype()));

  if (takes_fused(input, grid)) return grid_sample_fused(input, grid, mode, padding_mode, align_corners, out_shape);
  return grid_sample_graph(input, grid, mode, padding_mode, align_corners);
}

}  // namespace rb
