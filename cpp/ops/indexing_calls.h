// The op layer's calls into the indexing kernels, each building the kernel's geometry from tensors:
// shared by the indexing ops and the backward of sort, max/min and the scatter_reduce checks.
#pragma once
#include <optional>

#include "rosenblatt/tensor.h"

#include "../kernels/indexing.h"

namespace rb {

// The walk of a scatter along dim into x: every position of the index, src read at its strides
// (broadcast to the index's shape), x at its own with the dim's stride moved to dim_stride; x's dtype.
StridedGeom scatter_geom(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);

// x[.., index[i], ..] = src[i] along dim, or += with accumulate; index: int64, in range, x's ndim;
// src: x's dtype, broadcast to the index's shape. x is written in place.
void scatter_into(const char* op, Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, bool accumulate);
// out[i] = x[.., index[i], ..] along dim; out: the index's shape, x's dtype.
void gather_into(const char* op, const Tensor& x, int64_t dim, const Tensor& index, Tensor& out);
// The first value of index (int64, any strides) outside [-size, size) ([0, size) without
// allow_neg), or nullopt.
std::optional<int64_t> index_out_of_range(const char* op, const Tensor& index, int64_t size, bool allow_neg);

}  // namespace rb
