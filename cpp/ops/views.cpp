// View ops: select, slice and narrow share storage with their input; their backward places the
// gradient into zeros of the input's shape. The helpers here serve join.cpp and indexing.cpp too.
#include <algorithm>

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"
#include "views.h"

namespace rb {
namespace views {

Tensor select_raw(const Tensor& x, int64_t d, int64_t i) {
  Shape sizes = x.shape(), strides = x.strides();
  int64_t off = x.offset() + i * strides[d];
  sizes.erase(sizes.begin() + d);
  strides.erase(strides.begin() + d);
  return Tensor::make_view(x, sizes, strides, off);
}

Tensor slice_raw(const Tensor& x, int64_t d, int64_t start, int64_t len, int64_t step) {
  Shape sizes = x.shape(), strides = x.strides();
  int64_t off = x.offset() + (len > 0 ? start * strides[d] : 0);
  sizes[d] = len;
  strides[d] *= step;
  return Tensor::make_view(x, sizes, strides, off);
}

void normalize_slice(int64_t size, std::optional<int64_t> a, std::optional<int64_t> b, int64_t& start, int64_t& stop) {
  start = a ? *a : 0;
  stop = b ? *b : size;
  if (start < 0) start = std::max<int64_t>(start + size, 0);
  if (stop < 0) stop = std::max<int64_t>(stop + size, 0);
  start = std::min(start, size);
  stop = std::min(std::max(stop, start), size);
}

}  // namespace views

using namespace views;

namespace {

// The gradient of a select/slice view: the incoming gradient placed into zeros of the input shape.
struct ViewSliceBackward : Node {
  bool is_view() const override { return true; }
  Shape in_shape;
  int64_t dim = 0, start = 0, len = 0, step = 1;
  bool is_select = false;
  std::string name() const override { return is_select ? "SelectBackward" : "SliceBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor gi = zeros(in_shape, g[0].dtype(), g[0].device());
    Tensor v = is_select ? select_raw(gi, dim, start) : slice_raw(gi, dim, start, len, step);
    copy_values(g[0], v);
    record_adjoint(is_select ? "Select" : "Slice", g[0], gi,
                   [sel = is_select, d = dim, a = start, n = len, st = step](const Tensor& gg) {
                     return sel ? select(gg, d, a) : slice(gg, d, a, n ? a + (n - 1) * st + 1 : a, st);
                   });
    return {gi};
  }
};

struct AliasBackward : Node {
  bool is_view() const override { return true; }
  std::string name() const override { return "AliasBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {g[0]}; }
};

}  // namespace

namespace views {

Tensor alias(const Tensor& x) {
  Tensor out = Tensor::make_view(x, x.shape(), x.strides(), x.offset());
  if (needs_grad(x)) record(std::make_shared<AliasBackward>(), {&x}, {&out});
  return out;
}

Tensor record_view(const Tensor& x, Tensor out, int64_t dim, int64_t start, int64_t len, int64_t step, bool sel) {
  if (needs_grad(x)) {
    auto node = std::make_shared<ViewSliceBackward>();
    node->in_shape = x.shape();
    node->dim = dim, node->start = start, node->len = len, node->step = step, node->is_select = sel;
    record(node, {&x}, {&out});
  }
  return out;
}

// select with getitem's message ("index 5 is out of bounds for dimension 0 with size 3", naming the
// dim of the indexed tensor, report_dim, rather than of the partly indexed view).
Tensor select_checked(const Tensor& x, int64_t dim, int64_t index, bool getitem, int64_t report_dim) {
  RB_CHECK(x.dim() > 0, IndexError, "select() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, x.dim()), n = x.shape()[d];
  if (index < -n || index >= n) {
    if (getitem)
      throw IndexError(
          str("index ", index, " is out of bounds for dimension ", report_dim < 0 ? d : report_dim, " with size ", n));
    throw IndexError(
        str("select(): index ", index, " out of range for tensor of size ", x.shape(), " at dimension ", d));
  }
  if (index < 0) index += n;
  return record_view(x, select_raw(x, d, index), d, index, 0, 1, true);
}

}  // namespace views

// ---- public ops --------------------------------------------------------------------------------

Tensor select(const Tensor& x, int64_t dim, int64_t index) { return select_checked(x, dim, index, false); }

Tensor slice(const Tensor& x, int64_t dim, std::optional<int64_t> a, std::optional<int64_t> b, int64_t step) {
  RB_CHECK(step > 0, ValueError, "step must be greater than zero");
  RB_CHECK(x.dim() > 0, IndexError, "slice() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, x.dim()), start, stop;
  normalize_slice(x.shape()[d], a, b, start, stop);
  int64_t len = (stop - start + step - 1) / step;
  return record_view(x, slice_raw(x, d, start, len, step), d, start, len, step, false);
}

Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length) {
  RB_CHECK(x.dim() > 0, Error, "narrow() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, x.dim()), n = x.shape()[d];
  RB_CHECK(length >= 0, Error, "narrow(): length must be non-negative.");
  RB_CHECK(start >= -n && start <= n, IndexError, "start out of range (expected to be in range of [", -n, ", ", n,
           "], but got ", start, ")");
  if (start < 0) start += n;
  RB_CHECK(start + length <= n, Error, "start (", start, ") + length (", length, ") exceeds dimension size (", n, ").");
  return record_view(x, slice_raw(x, d, start, length, 1), d, start, length, 1, false);
}

// ATen's view_dtype, checks in its order and words: the byte offset and every byte stride must stay
// whole in the new element size, and the last dimension must be dense to split or merge elements.
Tensor view_dtype(const Tensor& x, DType dtype) {
  int64_t from = static_cast<int64_t>(x.itemsize()), to = static_cast<int64_t>(itemsize(dtype));
  Shape sizes = x.shape(), strides = x.strides();
  int64_t off = x.offset(), last = x.dim() - 1;
  std::string what = str(" to view ", aten_name(x.dtype()), " as ", aten_name(dtype), " (different element sizes)");
  if (from != to) {
    RB_CHECK(x.dim() > 0, Error, "self.dim() cannot be 0", what);
    int64_t ratio = from > to ? from / to : to / from;
    if (from < to) {
      RB_CHECK(sizes[last] % ratio == 0, Error, "self.size(-1) must be divisible by ", ratio, what, ", but got ",
               sizes[last]);
      RB_CHECK(off % ratio == 0, Error, "self.storage_offset() must be divisible by ", ratio, what, ", but got ", off);
    }
    RB_CHECK(strides[last] == 1, Error, "self.stride(-1) must be 1", what, ", but got ", strides[last]);
    for (int64_t d = 0; d < last; ++d) {
      if (from > to) {
        strides[d] *= ratio;
        continue;
      }
      RB_CHECK(strides[d] % ratio == 0, Error, "self.stride(", d, ") must be divisible by ", ratio, what, ", but got ",
               strides[d]);
      strides[d] /= ratio;
    }
    sizes[last] = from > to ? sizes[last] * ratio : sizes[last] / ratio;
    off = from > to ? off * ratio : off / ratio;
  }
  Tensor out = Tensor::make_view(x, sizes, strides, off);
  out.impl()->dtype = dtype;
  return out;
}

}  // namespace rb
