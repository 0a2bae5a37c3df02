// torch-level composites real scripts call: norms, the addmm family, pointwise extras, nan-aware and paired
// reductions, shape helpers, padding modes and im2col (cpp/ops/composite_math.cpp, composite_shape.cpp, pad.cpp).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rosenblatt/ops/reduce.h"
#include "rosenblatt/tensor.h"

namespace rb {

// ---- norms (dims {} = every dim) ----
// p may be 0 (count of non-zeros), +-inf (max / min of |x|) or any real; floating inputs only.
Tensor linalg_vector_norm(const Tensor& x, double ord = 2, const Dims& dims = {}, bool keepdim = false);
// ord "fro", "nuc" or a number (1, -1, 2, -2, inf, -inf); 2, -2 and "nuc" through the singular values.
Tensor linalg_matrix_norm(const Tensor& x, const std::string& ord, Dims dims = {-2, -1}, bool keepdim = false);
Tensor linalg_matrix_norm(const Tensor& x, double ord, Dims dims = {-2, -1}, bool keepdim = false);
// a, b: (..., 3) along dim, broadcast together.
Tensor cross(const Tensor& a, const Tensor& b, int64_t dim = -1);

// ---- the addmm family: beta * input + alpha * (product); beta == 0 ignores input's values (nan included) ----
Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, Scalar beta = 1, Scalar alpha = 1);
Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, Scalar beta = 1, Scalar alpha = 1);
Tensor addbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, Scalar beta = 1, Scalar alpha = 1);
Tensor baddbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, Scalar beta = 1, Scalar alpha = 1);
Tensor addcmul(const Tensor& input, const Tensor& t1, const Tensor& t2, Scalar value = 1);
Tensor addcdiv(const Tensor& input, const Tensor& t1, const Tensor& t2, Scalar value = 1);
// x1: (..., P, M), x2: (..., R, M) -> (..., P, R). compute_mode as torch.cdist's.
Tensor cdist(const Tensor& x1, const Tensor& x2, double p = 2.0,
             const std::string& compute_mode = "use_mm_for_euclid_dist_if_necessary");

// ---- pointwise ----
Tensor logaddexp(const Tensor& a, const Tensor& b);
Tensor logaddexp2(const Tensor& a, const Tensor& b);
Tensor hypot(const Tensor& a, const Tensor& b);
Tensor copysign(const Tensor& a, const Tensor& b);
Tensor signbit(const Tensor& x);  // bool; -0.0 has its sign bit set
Tensor xlogy(const Tensor& x, const Tensor& y);
Tensor special_entr(const Tensor& x);
Tensor sinc(const Tensor& x);
Tensor heaviside(const Tensor& x, const Tensor& values);  // not differentiable, as in PyTorch
Tensor nan_to_num(const Tensor& x, std::optional<double> nan = {}, std::optional<double> posinf = {},
                  std::optional<double> neginf = {});
Tensor gcd(const Tensor& a, const Tensor& b);  // integer dtypes only
Tensor lcm(const Tensor& a, const Tensor& b);

// ---- reductions ----
Tensor count_nonzero(const Tensor& x, const Dims& dims = {});  // int64
Tensor nansum(const Tensor& x, const Dims& dims = {}, bool keepdim = false, std::optional<DType> dtype = {});
Tensor nanmean(const Tensor& x, const Dims& dims = {}, bool keepdim = false);
std::pair<Tensor, Tensor> var_mean(const Tensor& x, const Dims& dims = {}, double correction = 1, bool keepdim = false);
std::pair<Tensor, Tensor> std_mean(const Tensor& x, const Dims& dims = {}, double correction = 1, bool keepdim = false);
std::pair<Tensor, Tensor> aminmax(const Tensor& x, std::optional<int64_t> dim = {}, bool keepdim = false);
Tensor renorm(const Tensor& x, double p, int64_t dim, double maxnorm);

// ---- shape ----
Tensor diff(const Tensor& x, int64_t n = 1, int64_t dim = -1, const std::optional<Tensor>& prepend = {},
            const std::optional<Tensor>& append = {});
std::vector<Tensor> meshgrid(const std::vector<Tensor>& xs, const std::string& indexing = "ij");
std::vector<Tensor> broadcast_tensors(const std::vector<Tensor>& xs);
Tensor cartesian_prod(const std::vector<Tensor>& xs);
Tensor block_diag(const std::vector<Tensor>& xs);
Tensor kron(const Tensor& a, const Tensor& b);
Tensor tensordot(const Tensor& a, const Tensor& b, const std::vector<int64_t>& dims_a,
                 const std::vector<int64_t>& dims_b);
Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims = 2);
Tensor tril_indices(int64_t row, int64_t col, int64_t offset = 0, DType dtype = DType::Int64, Device device = {});
Tensor triu_indices(int64_t row, int64_t col, int64_t offset = 0, DType dtype = DType::Int64, Device device = {});
Tensor vander(const Tensor& x, std::optional<int64_t> N = {}, bool increasing = false);
Tensor rot90(const Tensor& x, int64_t k = 1, const std::vector<int64_t>& dims = {0, 1});
std::vector<Tensor> tensor_split(const Tensor& x, int64_t sections, int64_t dim = 0);
std::vector<Tensor> tensor_split(const Tensor& x, const std::vector<int64_t>& indices, int64_t dim = 0);
Tensor narrow_copy(const Tensor& x, int64_t dim, int64_t start, int64_t length);
Tensor channel_shuffle(const Tensor& x, int64_t groups);
// ---- spatial transformers (composites: gradients for theta, input and grid, to any order) ----
// theta: (N, 2, 3) for size (N, C, H, W) -> grid (N, H, W, 2), or (N, 3, 4) for (N, C, D, H, W) -> (N, D, H, W, 3):
// the affine images of the output pixels' normalized coordinates in [-1, 1] (x first).
// warn, when given, receives torch's UserWarning for a unit-size grid with align_corners.
Tensor affine_grid(const Tensor& theta, const std::vector<int64_t>& size, bool align_corners,
                   const std::function<void(const std::string&)>& warn = {});
// input: (N, C, H, W), grid: (N, Ho, Wo, 2) of (x, y) in [-1, 1] -> (N, C, Ho, Wo), or input (N, C, D, H, W),
// grid (N, Do, Ho, Wo, 3) of (x, y, z) -> (N, C, Do, Ho, Wo); mode "bilinear" (trilinear for 5-D), "nearest" or
// "bicubic" (4-D only), padding_mode "zeros", "border" or "reflection", as torch's grid_sample.
Tensor grid_sample(const Tensor& input, const Tensor& grid, const std::string& mode, const std::string& padding_mode,
                   bool align_corners);
// x: (N, C, *) -> x / (k + alpha * mean of x^2 over the `size` channels around each one)^beta, the window
// zero-padded by size/2 before and (size-1)/2 after (torch's composite of avg_pool). Differentiable.
Tensor local_response_norm(const Tensor& x, int64_t size, double alpha = 1e-4, double beta = 0.75, double k = 1.0);

// ---- padding modes and im2col ----
// mode "reflect", "replicate" or "circular"; pad as F.pad's (last dim first), 1 to 3 padded dims.
Tensor pad_mode(const Tensor& x, const std::vector<int64_t>& pad, const std::string& mode);
// x: (N, C, H, W) or (C, H, W) -> (N, C*kh*kw, L).
Tensor im2col(const Tensor& x, const std::vector<int64_t>& kernel_size, const std::vector<int64_t>& dilation,
              const std::vector<int64_t>& padding, const std::vector<int64_t>& stride);
// x: (N, C*kh*kw, L) or (C*kh*kw, L) -> (N, C, H, W): the adjoint of im2col (overlaps sum).
Tensor col2im(const Tensor& x, const std::vector<int64_t>& output_size, const std::vector<int64_t>& kernel_size,
              const std::vector<int64_t>& dilation, const std::vector<int64_t>& padding,
              const std::vector<int64_t>& stride);

}  // namespace rb
