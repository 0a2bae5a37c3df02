// Indexing ops: getitem/setitem resolve an index expression into basic views (select, slice,
// unsqueeze) and at most one advanced gather/scatter; gather/scatter, index_select, masked ops.
#include <algorithm>

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "indexing_calls.h"
#include "op_common.h"
#include "scalar_range.h"
#include "views.h"

#include "../kernels/elementwise.h"
#include "../kernels/indexing.h"

namespace rb {

using namespace views;

namespace {

// ---- advanced indexing -------------------------------------------------------------------------

// A tensor laid out as (pre dims [0, s), B, post dims): offsets of each part.
IndexOffsets layout_offsets(const Shape& shape, const Shape& strides, int64_t s, int64_t nb) {
  IndexOffsets o;
  auto part = [&](int64_t a, int64_t b) {
    return offset_table(Shape(shape.begin() + a, shape.begin() + b), Shape(strides.begin() + a, strides.begin() + b));
  };
  int64_t n = static_cast<int64_t>(shape.size());
  o.pre = part(0, s), o.mid = part(s, s + nb), o.post = part(s + nb, n);
  return o;
}

// t's dims [s, s+K) indexed by idx (int64, in range, broadcast to B): offsets of each part.
IndexOffsets indexed_offsets(const Tensor& t, int64_t s, const std::vector<Tensor>& idx, const Shape& B) {
  const Shape& sh = t.shape();
  const Shape& st = t.strides();
  int64_t K = static_cast<int64_t>(idx.size());
  IndexOffsets o;
  o.pre = offset_table(Shape(sh.begin(), sh.begin() + s), Shape(st.begin(), st.begin() + s));
  o.post = offset_table(Shape(sh.begin() + s + K, sh.end()), Shape(st.begin() + s + K, st.end()));
  o.mid.assign(static_cast<size_t>(numel_of(B)), 0);
  for (int64_t k = 0; k < K; ++k) {
    const Tensor& ix = idx[k];
    const int64_t* p = static_cast<const int64_t*>(ix.raw_data());
    const int64_t size = sh[s + k], stride = st[s + k];
    std::vector<int64_t> at = offset_table(B, broadcast_strides(ix, B));
    for (size_t b = 0; b < at.size(); ++b) {
      int64_t v = p[at[b]];
      o.mid[b] += (v < 0 ? v + size : v) * stride;
    }
  }
  return o;
}

Shape advanced_shape(const Shape& in, int64_t s, int64_t K, const Shape& B) {
  Shape out(in.begin(), in.begin() + s);
  out.insert(out.end(), B.begin(), B.end());
  out.insert(out.end(), in.begin() + s + K, in.end());
  return out;
}

Tensor advanced_gather(const Tensor& t, int64_t s, const std::vector<Tensor>& idx, const Shape& B);

struct IndexBackward : Node {
  Shape in_shape, B;
  int64_t s = 0;
  std::vector<SavedTensor> idx;
  std::string name() const override { return "IndexBackward"; }
  void release_saved() override { idx.clear(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    std::vector<Tensor> ix;
    for (auto& t : idx) ix.push_back(t.unpack(*this));
    Tensor gi = zeros(in_shape, g[0].dtype(), g[0].device());
    IndexCopyGeom geo{layout_offsets(g[0].shape(), g[0].strides(), s, static_cast<int64_t>(B.size())),
                      indexed_offsets(gi, s, ix, B), gi.dtype()};
    kernels<IndexingKernels>("index_backward", gi).index_copy(geo, g[0].raw_data(), gi.raw_data(), true);
    record_adjoint("Index", g[0], gi, [ix, s = s, B = B](const Tensor& gg) { return advanced_gather(gg, s, ix, B); });
    return {gi};
  }
};

// out = t[pre..., idx..., post...] with the indexed dims [s, s+K) replaced by B.
Tensor advanced_gather(const Tensor& t, int64_t s, const std::vector<Tensor>& idx, const Shape& B) {
  Tensor out = Tensor::empty(advanced_shape(t.shape(), s, static_cast<int64_t>(idx.size()), B), t.dtype(), t.device());
  IndexCopyGeom geo{indexed_offsets(t, s, idx, B),
                    layout_offsets(out.shape(), out.strides(), s, static_cast<int64_t>(B.size())), t.dtype()};
  kernels<IndexingKernels>("index", t).index_copy(geo, t.raw_data(), out.raw_data(), false);
  if (needs_grad(t)) {
    auto node = std::make_shared<IndexBackward>();
    node->in_shape = t.shape(), node->B = B, node->s = s;
    for (auto& i : idx) node->idx.emplace_back(i);
    record(node, {&t}, {&out});
  }
  return out;
}

// uint8 index tensors are masks, as bool ones: deprecated in PyTorch (its bindings warn, ours too) but still read.
bool is_mask(const Tensor& t) { return t.dtype() == DType::Bool || t.dtype() == DType::UInt8; }

void check_index_dtype(const Tensor& t) {
  RB_CHECK(t.dtype() == DType::Int64 || t.dtype() == DType::Int32 || is_mask(t), IndexError,
           "tensors used as indices must be long, int, byte or bool tensors");
}

// The index expression applied: `view` is the result of the basic part (recorded for autograd
// when grad mode is on); with `idx` non-empty, its dims [s, s+K) are gathered by idx over B.
struct Resolved {
  Tensor view;
  int64_t s = 0;
  std::vector<Tensor> idx;
  Shape B;
  bool applied = false;       // some basic op made `view` (otherwise view is the input itself)
  std::string out_of_bounds;  // with defer_bounds: the IndexError of the first index out of range, or empty
};

// defer_bounds: an index out of range is reported in out_of_bounds rather than raised. A put checks its value's
// shape first, as PyTorch's index_put_ does (its kernel checks each index only as it writes).
Resolved resolve(const Tensor& x, const IndexList& index, bool defer_bounds = false) {
  int64_t consumed = 0, ellipses = 0;
  for (const TensorIndex& e : index) {
    switch (e.kind) {
      case TensorIndex::Kind::Int:
      case TensorIndex::Kind::Slice: ++consumed; break;
      case TensorIndex::Kind::Tensor:
        check_index_dtype(e.t);
        consumed += is_mask(e.t) ? e.t.dim() : 1;
        break;
      case TensorIndex::Kind::Ellipsis: ++ellipses; break;
      case TensorIndex::Kind::None: break;
    }
  }
  RB_CHECK(ellipses <= 1, IndexError, "an index can only have a single ellipsis ('...')");
  RB_CHECK(consumed <= x.dim(), IndexError, "too many indices for tensor of dimension ", x.dim(), " (got ", consumed,
           " indices for shape ", x.shape(), ")");
  Resolved r;
  r.view = x;
  std::vector<int64_t> dims;
  int64_t dim = 0, orig = 0;  // orig: the dim of x the next element indexes
  for (const TensorIndex& e : index) {
    switch (e.kind) {
      case TensorIndex::Kind::Int:
        r.view = select_checked(r.view, dim, e.i, true, orig), r.applied = true;
        ++orig;
        break;
      case TensorIndex::Kind::Slice:
        if (e.start || e.stop || e.step != 1) r.view = slice(r.view, dim, e.start, e.stop, e.step), r.applied = true;
        ++dim, ++orig;
        break;
      case TensorIndex::Kind::None:
        r.view = unsqueeze(r.view, dim), r.applied = true;
        ++dim;
        break;
      case TensorIndex::Kind::Ellipsis: dim += x.dim() - consumed, orig += x.dim() - consumed; break;
      case TensorIndex::Kind::Tensor: {
        const Tensor& t = e.t;
        RB_CHECK(t.device() == x.device(), Error,
                 "indices should be either on cpu or on the same device as the indexed tensor (", x.device().name(),
                 ")");
        orig += is_mask(t) ? t.dim() : 1;
        if (t.dtype() == DType::Int64 || t.dtype() == DType::Int32) {  // int32 indices read as int64, as ATen's
          dims.push_back(dim++);
          r.idx.push_back(cast(t, DType::Int64));
        } else if (t.dim() == 0) {  // x[True] adds a dim of size 1, x[False] one of size 0
          r.view = unsqueeze(r.view, dim), r.applied = true;
          r.idx.push_back(t.item<int64_t>() != 0 ? zeros({1}, DType::Int64) : zeros({0}, DType::Int64));
          dims.push_back(dim++);
        } else {
          for (int64_t j = 0; j < t.dim(); ++j)
            RB_CHECK(t.shape()[j] == r.view.shape()[dim + j], IndexError, "The shape of the mask ", t.shape(),
                     " at index ", j, " does not match the shape of the indexed tensor ", r.view.shape(), " at index ",
                     dim + j);
          Tensor nz = nonzero(t);
          for (int64_t j = 0; j < t.dim(); ++j) {
            r.idx.push_back(select_raw(nz, 1, j));
            dims.push_back(dim++);
          }
        }
        break;
      }
    }
  }
  if (r.idx.empty()) return r;

  // Broadcast the index tensors together and check their values against the indexed sizes.
  Shape B = r.idx[0].shape();
  for (size_t k = 1; k < r.idx.size(); ++k) {
    bool ok = true;
    try {
      B = broadcast_shapes(B, r.idx[k].shape());
    } catch (const Error&) {
      ok = false;
    }
    if (!ok) {
      std::string shapes;
      for (size_t j = 0; j < r.idx.size(); ++j) shapes += (j ? ", " : "") + str(r.idx[j].shape());
      throw IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes " + shapes);
    }
  }
  // Indices into a dim of size 0 raise before anything else when their broadcast shape is not empty, whatever
  // the other dims make of the result (ATen's AdvancedIndex checks the broadcast "replacement shape" when it
  // builds the indexing, before a put's value is looked at): x[zeros(0, 3), full(3, 2)] of a (3, 0, 5) x is empty.
  for (size_t k = 0; k < r.idx.size(); ++k)
    RB_CHECK(r.view.shape()[dims[k]] > 0 || numel_of(B) == 0, IndexError,
             "index is out of bounds for dimension with size 0");
  // An empty result reads no index: PyTorch's kernel checks each index as it reads it, so none is checked then.
  int64_t result_numel = numel_of(B);
  for (int64_t d = 0; d < r.view.dim(); ++d)
    if (std::find(dims.begin(), dims.end(), d) == dims.end()) result_numel *= r.view.shape()[d];
  for (size_t k = 0; k < r.idx.size() && result_numel > 0 && r.out_of_bounds.empty(); ++k) {
    int64_t size = r.view.shape()[dims[k]];
    if (auto bad = index_out_of_range("index", r.idx[k], size, true))
      r.out_of_bounds = str("index ", *bad, " is out of bounds for dimension ", dims[k], " with size ", size);
  }
  if (!defer_bounds && !r.out_of_bounds.empty()) throw IndexError(r.out_of_bounds);
  r.B = B;
  bool adjacent = true;
  for (size_t k = 1; k < dims.size(); ++k) adjacent = adjacent && dims[k] == dims[0] + static_cast<int64_t>(k);
  if (adjacent) {
    r.s = dims[0];
  } else {
    // Separated advanced indices put the broadcast dims first (as numpy and PyTorch do).
    std::vector<int64_t> perm(dims.begin(), dims.end());
    for (int64_t d = 0; d < r.view.dim(); ++d)
      if (std::find(dims.begin(), dims.end(), d) == dims.end()) perm.push_back(d);
    r.view = permute(r.view, perm), r.applied = true;
    r.s = 0;
  }
  return r;
}

// Writes value (dst's dtype) into dst[index]; no autograd.
// PyTorch's index_put converts no dtype (x[i] = v of another dtype raises), except where it dispatches to
// masked_fill: one bool mask and a one-element value, which is taken as a number.
void check_put_dtype(const Tensor& dst, const IndexList& index, const Tensor& value, bool accumulate) {
  if (value.dtype() == dst.dtype()) return;
  RB_CHECK(put_mask(index, value, accumulate), Error,
           "Index put requires the source and destination dtypes match, got ", aten_name(dst.dtype()),
           " for the destination and ", aten_name(value.dtype()), " for the source.");
}

void put_into(Tensor& dst, const IndexList& index, const Tensor& value, bool accumulate = false) {
  NoGradGuard ng;
  Resolved r = resolve(dst, index, true);
  Shape target =
      r.idx.empty() ? r.view.shape() : advanced_shape(r.view.shape(), r.s, static_cast<int64_t>(r.idx.size()), r.B);
  // Leading size-1 dims of the value beyond the target's rank are dropped, as PyTorch does. A value
  // that aliases dst (x[1:] = x[:-1]) is copied first, or the write would read what it just wrote.
  Tensor v = value.storage() == dst.storage() ? clone(value) : value;
  while (v.dim() > static_cast<int64_t>(target.size()) && v.shape()[0] == 1) v = select_raw(v, 0, 0);
  bool fits = v.dim() <= static_cast<int64_t>(target.size());
  if (fits) {
    for (int64_t i = 0; i < v.dim(); ++i) {
      int64_t have = v.shape()[i], want = target[target.size() - v.dim() + i];
      fits = fits && (have == want || have == 1);
    }
  }
  RB_CHECK(fits, Error, "shape mismatch: value tensor of shape ", value.shape(),
           " cannot be broadcast to indexing result of shape ", target);
  if (!r.out_of_bounds.empty()) throw IndexError(r.out_of_bounds);
  // ATen's masked_fill_, where such a put goes, takes bool masks only (after the mask's shape check, in resolve).
  const Tensor* mask = put_mask(index, value, accumulate);
  RB_CHECK(!mask || mask->dtype() == DType::Bool, Error,
           "masked_fill_ only supports boolean masks, but got mask with dtype unsigned char");
  if (r.idx.empty() && !accumulate) {
    copy_values(v, r.view);
    return;
  }
  if (!r.idx.empty()) check_put_dtype(dst, index, v, accumulate);
  Tensor vc = v.dtype() == dst.dtype() ? v : to_dtype(v, dst.dtype());
  if (r.idx.empty()) {
    kernels<ElementwiseKernels>("index_put_", vc)
        .binary_forward(BinaryOp::Add, loop_geom(r.view, r.view, vc), r.view.raw_data(), vc.raw_data(),
                        r.view.raw_data());
    return;
  }
  IndexCopyGeom geo{layout_offsets(target, broadcast_strides(vc, target), r.s, static_cast<int64_t>(r.B.size())),
                    indexed_offsets(r.view, r.s, r.idx, r.B), vc.dtype()};
  kernels<IndexingKernels>("index_put_", vc).index_copy(geo, vc.raw_data(), r.view.raw_data(), accumulate);
}

struct IndexPutBackward : Node {
  IndexList index;
  Shape value_shape;
  bool need_x = false, need_v = false, accumulate = false;
  std::string name() const override { return "IndexPutBackward"; }
  void release_saved() override { index.clear(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor gx, gv;
    if (need_x && accumulate) gx = g[0];
    if (need_x && !accumulate) gx = index_put(g[0], index, scalar_tensor(Scalar(0.0), g[0].dtype(), g[0].device()));
    if (need_v) {
      Tensor sel = rb::index(g[0], index);
      // The value was broadcast (after dropping leading 1s) to the selection: sum back.
      Shape vs = value_shape;
      while (vs.size() > static_cast<size_t>(sel.dim()) && vs[0] == 1) vs.erase(vs.begin());
      gv = reshape(sum_to(sel, vs), value_shape);
    }
    return {gx, gv};
  }
};

}  // namespace

Tensor index_put(const Tensor& x, const IndexList& index, const Tensor& value, bool accumulate) {
  check_put_dtype(x, index, value, accumulate);
  Tensor v = cast(value, x.dtype());
  Tensor out = clone(x.detach());
  put_into(out, index, v.detach(), accumulate);
  if (needs_grad(x, v)) {
    auto node = std::make_shared<IndexPutBackward>();
    node->index = index;
    for (TensorIndex& e : node->index)  // as bool: the backward's put of a zero must not go to masked_fill's refusal
      if (e.kind == TensorIndex::Kind::Tensor && e.t.dtype() == DType::UInt8) e.t = cast(e.t, DType::Bool);
    node->value_shape = v.shape();
    node->need_x = x.requires_grad(), node->need_v = v.requires_grad(), node->accumulate = accumulate;
    record(node, {&x, &v}, {&out});
  }
  return out;
}

namespace {

struct GatherBackward : Node {
  Shape in_shape;
  int64_t dim = 0;
  SavedTensor index;
  std::string name() const override { return "GatherBackward"; }
  void release_saved() override { index.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor gi = zeros(in_shape, g[0].dtype(), g[0].device()), ix = index.unpack(*this);
    if (ix.numel() > 0) scatter_into("gather_backward", gi, dim, ix, g[0], true);
    record_adjoint("Gather", g[0], gi, [ix, d = dim](const Tensor& gg) { return gather(gg, d, ix); });
    return {gi};
  }
};

// The gradient of a scattered src: g gathered at the index, zero-padded at the end of each dim
// to src's shape (the index may be smaller than src). From differentiable ops, for create_graph.
Tensor gathered_to(const Tensor& g, int64_t dim, const Tensor& ix, const Shape& src_shape) {
  Tensor part = gather(g, dim, ix);
  if (part.shape() == src_shape) return part;
  std::vector<int64_t> pad;
  for (int64_t d = part.dim() - 1; d >= 0; --d) pad.push_back(0), pad.push_back(src_shape[d] - part.shape()[d]);
  return constant_pad_nd(part, pad, 0.0);
}

struct ScatterAddBackward : Node {
  int64_t dim = 0;
  SavedTensor index;
  Shape src_shape;
  bool need_src = false;
  std::string name() const override { return "ScatterAddBackward"; }
  void release_saved() override { index.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor gs;
    if (index.unpack(*this).numel() == 0)  // nothing was added (the index may not even have src's dims)
      return {g[0], need_src ? zeros(src_shape, g[0].dtype(), g[0].device()) : gs};
    if (need_src && GradMode::enabled()) return {g[0], gathered_to(g[0], dim, index.unpack(*this), src_shape)};
    if (need_src) {
      Tensor ix = index.unpack(*this);
      gs = zeros(src_shape, g[0].dtype(), g[0].device());
      Tensor region = gs;
      for (int64_t d = 0; d < gs.dim(); ++d) region = slice_raw(region, d, 0, ix.shape()[d], 1);
      Tensor part = Tensor::empty(ix.shape(), g[0].dtype(), g[0].device());
      gather_into("scatter_backward", g[0], dim, ix, part);
      copy_values(part, region);
    }
    return {g[0], gs};
  }
};

struct ScatterBackward : Node {  // x with src written over it: x's gradient loses those places
  int64_t dim = 0;
  SavedTensor index;
  Shape src_shape;
  bool need_x = false, need_src = false, src_scalar = false;
  std::string name() const override { return "ScatterBackward"; }
  void release_saved() override { index.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor ix = index.unpack(*this), gx, gs;
    if (ix.numel() == 0) {  // nothing was written (the index may not even have src's dims)
      if (need_src)
        gs = src_scalar ? zeros({}, g[0].dtype(), g[0].device()) : zeros(src_shape, g[0].dtype(), g[0].device());
      return {need_x ? g[0] : gx, gs};
    }
    if (GradMode::enabled()) {  // create_graph: the same from differentiable ops
      if (need_x) gx = scatter(g[0], dim, ix, zeros({}, g[0].dtype(), g[0].device()));
      if (need_src) gs = src_scalar ? sum(gather(g[0], dim, ix)) : gathered_to(g[0], dim, ix, src_shape);
      return {gx, gs};
    }
    if (need_x) {
      gx = clone(g[0]);
      scatter_into("scatter_backward", gx, dim, ix, zeros({}, gx.dtype(), gx.device()), false);
    }
    if (need_src) {
      Tensor part = Tensor::empty(ix.shape(), g[0].dtype(), g[0].device());
      gather_into("scatter_backward", g[0], dim, ix, part);
      if (src_scalar) {
        gs = sum(part);
      } else {
        gs = zeros(src_shape, g[0].dtype(), g[0].device());
        Tensor region = gs;
        for (int64_t d = 0; d < gs.dim(); ++d) region = slice_raw(region, d, 0, ix.shape()[d], 1);
        copy_values(part, region);
      }
    }
    return {gx, gs};
  }
};

void check_gather_args(const char* op, const Tensor& x, int64_t dim, const Tensor& index, bool check_sizes) {
  RB_CHECK(index.dtype() == DType::Int64, Error, op, "(): Expected dtype int64 for index");
  if (index.numel() == 0) return;  // nothing is read or written: PyTorch checks no shapes then
  RB_CHECK(index.dim() == x.dim(), Error,
           "Index tensor must have the same number of dimensions as input tensor (index ", index.shape(), ", input ",
           x.shape(), ")");
  if (check_sizes)
    for (int64_t d = 0; d < x.dim(); ++d)
      RB_CHECK(d == dim || index.shape()[d] <= x.shape()[d], Error, "Size does not match at dimension ", d,
               " expected index ", index.shape(), " to be no larger than self ", x.shape(), " apart from dimension ",
               dim);
  if (auto bad = index_out_of_range(op, index, x.shape()[dim], false))
    throw Error(str("index ", *bad, " is out of bounds for dimension ", dim, " with size ", x.shape()[dim]));
}

// src covers the index (an empty index reads nothing, so PyTorch checks nothing then).
void check_scatter_src(const Tensor& x, int64_t d, const Tensor& index, const Tensor& src) {
  if (index.numel() == 0) return;
  RB_CHECK(src.dim() == index.dim(), Error, "Index tensor must have the same number of dimensions as src tensor");
  for (int64_t k = 0; k < index.dim(); ++k)
    RB_CHECK(index.shape()[k] <= src.shape()[k], Error, "Expected index ", index.shape(), " to be smaller than self ",
             x.shape(), " apart from dimension ", d, " and to be smaller size than src ", src.shape());
}

// A 0-d operand is a 1-element 1-D one, as in PyTorch (its 0-d x has no dim to index otherwise).
Tensor as_1d(const Tensor& t) { return t.dim() == 0 ? reshape(t, {1}) : t; }

}  // namespace

// ---- public ops --------------------------------------------------------------------------------

const Tensor* put_mask(const IndexList& idx, const Tensor& value, bool accumulate) {
  if (accumulate || value.numel() != 1 || !value.device().is_cpu()) return nullptr;
  const Tensor* mask = nullptr;
  for (const TensorIndex& e : idx) {
    if (e.kind != TensorIndex::Kind::Tensor) continue;
    if (mask || !is_mask(e.t)) return nullptr;
    mask = &e.t;
  }
  return mask;
}

Tensor index(const Tensor& x, const IndexList& idx) {
  Resolved r = resolve(x, idx);
  if (r.idx.empty()) return r.applied ? r.view : alias(x);
  return advanced_gather(r.view, r.s, r.idx, r.B);
}

Tensor& index_put_(Tensor& x, const IndexList& idx, const Tensor& value, bool accumulate) {
  check_inplace(x);
  RB_CHECK(value.device() == x.device(), Error, "index_put_: expected value on ", x.device().name(), ", got ",
           value.device().name());
  if (needs_grad(x, value) && (is_floating(x.dtype()))) {
    Tensor r = index_put(x, idx, value, accumulate);
    return write_back(x, r);
  }
  put_into(x, idx, value, accumulate);
  x.bump_version();
  return x;
}

Tensor& index_put_(Tensor& x, const IndexList& idx, Scalar value) {
  return index_put_(x, idx, scalar_tensor(value, x.dtype(), x.device()));
}

Tensor gather(const Tensor& x, int64_t dim, const Tensor& index) {
  int64_t d = wrap_dim(dim, x.dim());
  Tensor xv = as_1d(x), iv = as_1d(index);
  check_gather_args("gather", xv, d, iv, true);
  Tensor out = Tensor::empty(iv.shape(), x.dtype(), x.device());
  if (out.numel() > 0) gather_into("gather", xv, d, iv, out);
  if (needs_grad(xv)) {
    auto node = std::make_shared<GatherBackward>();
    node->in_shape = xv.shape(), node->dim = d, node->index = SavedTensor(iv);
    record(node, {&xv}, {&out});
  }
  return index.dim() == 0 ? reshape(out, {}) : out;
}

Tensor scatter_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  if (x.dim() == 0) return reshape(scatter_add(as_1d(x), dim, as_1d(index), as_1d(src)), {});
  if (is_floating(x.dtype()) && !is_compute_dtype(x.dtype()))  // float16/bfloat16: summed in float32, rounded once
    return cast(scatter_add(widen(x), dim, index, widen(cast(src, x.dtype()))), x.dtype());
  int64_t d = wrap_dim(dim, x.dim());
  check_gather_args("scatter_add", x, d, index, true);
  check_scatter_src(x, d, index, src);
  Tensor s = cast(src, x.dtype());
  Tensor out = clone(x.detach());
  if (index.numel() > 0) scatter_into("scatter_add", out, d, index, s, true);
  if (needs_grad(x, s)) {
    auto node = std::make_shared<ScatterAddBackward>();
    node->dim = d, node->index = SavedTensor(index), node->src_shape = s.shape(), node->need_src = s.requires_grad();
    record(node, {&x, &s}, {&out});
  }
  return out;
}

Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  if (x.dim() == 0) return reshape(scatter(as_1d(x), dim, as_1d(index), src), {});  // a 0-d src is one value
  int64_t d = wrap_dim(dim, x.dim());
  check_gather_args("scatter", x, d, index, true);
  if (src.dim() > 0) check_scatter_src(x, d, index, src);
  Tensor s = cast(src, x.dtype());
  Tensor out = clone(x.detach());
  if (index.numel() > 0) scatter_into("scatter", out, d, index, s, false);
  if (needs_grad(x, s) && is_floating(x.dtype())) {
    auto node = std::make_shared<ScatterBackward>();
    node->dim = d, node->index = SavedTensor(index), node->src_shape = s.shape();
    node->need_x = x.requires_grad(), node->need_src = s.requires_grad(), node->src_scalar = s.dim() == 0;
    record(node, {&x, &s}, {&out});
  }
  return out;
}

Tensor& scatter_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  check_inplace(x);
  if (needs_grad(x, src) && is_floating(x.dtype())) {
    Tensor r = scatter(x, dim, index, src);
    return write_back(x, r);
  }
  NoGradGuard ng;
  Tensor r = scatter(x, dim, index, src);  // checks everything before x is touched
  copy_values(r, x);
  x.bump_version();
  return x;
}

Tensor masked_select(const Tensor& x, const Tensor& mask) {
  RB_CHECK(mask.dtype() == DType::Bool, Error, "masked_select: expected BoolTensor for mask (got ",
           dtype_name(mask.dtype()), ")");
  Shape s = broadcast_shapes(x.shape(), mask.shape());
  Tensor xe = expand(x, s);
  if (s.empty()) xe = reshape(xe, {1});
  return index(xe, {TensorIndex::tensor(s.empty() ? reshape(mask, {1}) : expand(mask, s))});
}

Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) {
  RB_CHECK(index.dtype() == DType::Int64, Error, "index_select(): Expected dtype int64 for index");
  RB_CHECK(index.dim() <= 1, IndexError, "index_select(): Index is supposed to be a vector");
  Tensor xv = as_1d(x), iv = as_1d(index);
  int64_t d = wrap_dim(dim, xv.dim());
  if (auto bad = index_out_of_range("index_select", iv, xv.shape()[d], false))
    throw IndexError(
        str("index out of range in self (index ", *bad, " for dimension ", d, " with size ", xv.shape()[d], ")"));
  Tensor out = advanced_gather(xv, d, {iv}, iv.shape());
  return x.dim() == 0 ? reshape(out, {}) : out;
}

namespace {
// x's layout for the strided kernels; the indexed dim's stride moves to dim_stride (a 0-d x has none).
StridedGeom strided_geom(const Tensor& x, int64_t dim = -1) {
  StridedGeom g;
  g.shape = x.shape(), g.x_strides = x.strides(), g.dtype = x.dtype();
  if (dim >= 0 && dim < x.dim()) g.dim_stride = g.x_strides[dim], g.x_strides[dim] = 0;
  return g;
}
}  // namespace

StridedGeom scatter_geom(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  StridedGeom g = strided_geom(x, dim);
  g.shape = index.shape(), g.index_strides = index.strides(), g.other_strides = broadcast_strides(src, index.shape());
  return g;
}

void scatter_into(const char* op, Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, bool accumulate) {
  const StridedGeom g = scatter_geom(x, dim, index, src);
  kernels<IndexingKernels>(op, x).scatter(g, x.raw_data(), index.data<int64_t>(), src.raw_data(), accumulate);
}

void gather_into(const char* op, const Tensor& x, int64_t dim, const Tensor& index, Tensor& out) {
  StridedGeom g = strided_geom(x, dim);
  g.shape = index.shape(), g.index_strides = index.strides(), g.other_strides = out.strides();
  kernels<IndexingKernels>(op, out).gather_forward(g, x.raw_data(), index.data<int64_t>(), out.raw_data());
}

std::optional<int64_t> index_out_of_range(const char* op, const Tensor& index, int64_t size, bool allow_neg) {
  StridedGeom g;
  g.shape = index.shape(), g.index_strides = index.strides();
  return kernels<IndexingKernels>(op, index).find_out_of_range(g, index.data<int64_t>(), size, allow_neg);
}

Tensor nonzero(const Tensor& x) {
  const auto& k = kernels<IndexingKernels>("nonzero", x);
  const StridedGeom g = strided_geom(x);
  Tensor out = Tensor::empty({k.count_nonzero(g, x.raw_data()), x.dim()}, DType::Int64, x.device());
  k.nonzero(g, x.raw_data(), out.data<int64_t>());
  return out;
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, const Tensor& value) {
  RB_CHECK(mask.dtype() == DType::Bool, Error, "masked_fill_ only supports boolean masks, but got mask with dtype ",
           dtype_name(mask.dtype()));
  RB_CHECK(value.dim() == 0, Error, "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
           value.dim(), " dimension(s).");
  Shape b = broadcast_shapes(x.shape(), mask.shape());
  RB_CHECK(b == x.shape(), Error, "masked_fill: the mask of shape ", mask.shape(),
           " must be broadcastable to the input of shape ", x.shape());
  return where(mask, cast(value, x.dtype()), x);
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, Scalar value) {
  check_scalar_range(value, x.dtype());  // PyTorch's checked conversion: -1.0 into uint8 raises, -1 wraps
  return masked_fill(x, mask, scalar_tensor(value, x.dtype(), x.device()));
}

Tensor& masked_fill_(Tensor& x, const Tensor& mask, Scalar value) {
  check_inplace(x);
  return write_back(x, masked_fill(x, mask, value));
}

}  // namespace rb
