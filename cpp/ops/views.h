// The view helpers that the view, join and indexing ops share (cpp/ops/views.cpp): raw select and
// slice views, and the autograd records that make a view differentiable.
#pragma once
#include <cstdint>
#include <optional>

#include "rosenblatt/tensor.h"

namespace rb::views {

// x's index i along dim d, and x[start : start + len*step : step] along d: views, no checks, no autograd.
Tensor select_raw(const Tensor& x, int64_t d, int64_t i);
Tensor slice_raw(const Tensor& x, int64_t d, int64_t start, int64_t len, int64_t step);
// A view of all of x that autograd sees as a view (getitem with nothing to index).
Tensor alias(const Tensor& x);
// out, a select (sel) or slice view of x, recorded so the gradient flows back into x's shape.
Tensor record_view(const Tensor& x, Tensor out, int64_t dim, int64_t start, int64_t len, int64_t step, bool sel);
// select with the bounds check; getitem words the error as x[i] does, naming dimension report_dim.
Tensor select_checked(const Tensor& x, int64_t dim, int64_t index, bool getitem, int64_t report_dim = -1);
// Python's slice rules: a/b default to the ends, negatives count from the end, both clamp to [0, size].
void normalize_slice(int64_t size, std::optional<int64_t> a, std::optional<int64_t> b, int64_t& start, int64_t& stop);

}  // namespace rb::views

namespace rb {
// Tensor.view(dtype): x's bytes read as another dtype, sharing storage; a different element size
// rescales the last dimension. Not differentiable, as in PyTorch. Declared here rather than in
// ops/shape.h so that adding it did not rebuild every file including ops.h.
Tensor view_dtype(const Tensor& x, DType dtype);
}  // namespace rb
