// Ops that move or mask elements by position. tril/triu, flip and roll call their kernels and are
// linear, so each backward is the same op (tril again, flip again, roll back) and differentiates to
// any order; repeat, tile and repeat_interleave are copies built from expand and index_select.
#include <algorithm>
#include <numeric>

#include "rosenblatt/ops.h"

#include "columns.h"
#include "op_common.h"

#include "../kernels/transform.h"

namespace rb {
namespace {

struct TriangleBackward : Node {
  int64_t diagonal = 0;
  bool upper = false;
  std::string name() const override { return upper ? "TriuBackward0" : "TrilBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    return {upper ? triu(g[0], diagonal) : tril(g[0], diagonal)};
  }
};

Tensor triangle(const Tensor& x, int64_t diagonal, bool upper) {
  const char* op = upper ? "triu" : "tril";
  const auto& k = kernels<TransformKernels>(op, x);
  RB_CHECK(x.dim() >= 2, Error, op, ": input tensor must have at least 2 dimensions (got shape ", x.shape(), ")");
  // x as B matrices of (M, N): (outer, R, inner) around dim -2.
  Tensor c = contiguous_nograd(x), out = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (out.numel() > 0)
    k.triangle(scan_geom(x.shape(), x.dim() - 2, x.dtype()), c.raw_data(), diagonal, upper, out.raw_data());
  if (needs_grad(x)) {
    auto node = std::make_shared<TriangleBackward>();
    node->diagonal = diagonal, node->upper = upper;
    record(node, {&x}, {&out});
  }
  return out;
}

struct FlipBackward : Node {
  std::vector<int64_t> dims;
  std::string name() const override { return "FlipBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {flip(g[0], dims)}; }
};

struct RollBackward : Node {
  std::vector<int64_t> shifts, dims;  // the forward's, negated when applied
  std::string name() const override { return "RollBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    std::vector<int64_t> back(shifts.size());
    for (size_t i = 0; i < shifts.size(); ++i) back[i] = -shifts[i];
    return {roll(g[0], back, dims)};
  }
};

// The element counts of an int64 repeats tensor (0-d or 1-d), read on the host; one count stands for each of
// `slices` when given (ATen expands it first, so a count for no slices is never checked). Checked non-negative.
std::vector<int64_t> repeat_counts(const Tensor& repeats, std::optional<int64_t> slices = std::nullopt) {
  RB_CHECK(repeats.dtype() == DType::Int64, NotImplementedError, "\"repeat_interleave\" not implemented for '",
           dtype_name(repeats.dtype()), "' repeats: expected an int64 tensor");
  Tensor r = contiguous_nograd(repeats);
  const int64_t* p = static_cast<const int64_t*>(r.raw_data());
  std::vector<int64_t> counts(p, p + r.numel());
  if (slices && counts.size() == 1) counts.assign(*slices, counts[0]);
  for (int64_t c : counts) RB_CHECK(c >= 0, Error, "repeats can not be negative");
  return counts;
}

// [0]*counts[0] + [1]*counts[1] + ...: the index that repeat_interleave selects, built on the host
// and copied to `device`.
Tensor index_of_counts(const std::vector<int64_t>& counts, std::optional<int64_t> output_size, Device device) {
  const int64_t total = std::accumulate(counts.begin(), counts.end(), int64_t(0));
  RB_CHECK(!output_size || *output_size == total, Error,
           "repeat_interleave: allocated size does not match required size (output_size=", output_size.value_or(0),
           ", repeats sum to ", total, ")");
  Tensor idx = Tensor::empty({total}, DType::Int64);
  int64_t* pi = static_cast<int64_t*>(idx.raw_data());
  for (int64_t i = 0, n = static_cast<int64_t>(counts.size()); i < n; ++i) pi = std::fill_n(pi, counts[i], i);
  if (device == idx.device()) return idx;
  Tensor moved = Tensor::empty({total}, DType::Int64, device);
  copy_values(idx, moved);
  return moved;
}

}  // namespace

Tensor tril(const Tensor& x, int64_t diagonal) { return triangle(x, diagonal, false); }
Tensor triu(const Tensor& x, int64_t diagonal) { return triangle(x, diagonal, true); }
Tensor& tril_(Tensor& x, int64_t diagonal) {
  check_inplace(x);
  return write_back(x, tril(x, diagonal));
}
Tensor& triu_(Tensor& x, int64_t diagonal) {
  check_inplace(x);
  return write_back(x, triu(x, diagonal));
}

Tensor flip(const Tensor& x, const std::vector<int64_t>& dims_in) {
  const auto& k = kernels<TransformKernels>("flip", x);
  std::vector<bool> flipped(std::max<int64_t>(x.dim(), 1), false);
  for (int64_t d : dims_in) {
    int64_t w = wrap_dim(d, x.dim());
    RB_CHECK(!flipped[w], Error, "dim ", w, " appears multiple times in the list of dims");
    flipped[w] = true;
  }
  Tensor cur = contiguous_nograd(x);
  bool copied = false;
  // Adjacent flipped dims reverse together as one block (reversing (i, j) in row-major order is
  // reversing the merged index), so each run of them costs one pass.
  for (int64_t b = 0; b < x.dim();) {
    if (!flipped[b]) {
      ++b;
      continue;
    }
    int64_t e = b;
    while (e < x.dim() && flipped[e]) ++e;
    Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
    k.flip(scan_geom(x.shape(), b, e, x.dtype()), cur.raw_data(), out.raw_data());
    cur = out, copied = true, b = e;
  }
  if (!copied) {
    NoGradGuard ng;
    cur = clone(x);
  }
  if (needs_grad(x)) {
    auto node = std::make_shared<FlipBackward>();
    node->dims = dims_in;
    record(node, {&x}, {&cur});
  }
  return cur;
}

Tensor roll(const Tensor& x, const std::vector<int64_t>& shifts, const std::vector<int64_t>& dims) {
  const auto& k = kernels<TransformKernels>("roll", x);
  RB_CHECK(!shifts.empty(), Error, "`shifts` required");
  if (dims.empty()) {
    RB_CHECK(shifts.size() == 1, Error, "shifts and dimensions must align. shifts: ", shifts.size(), ", dims:0");
    return reshape(roll(flatten(x), shifts, {0}), x.shape());
  }
  RB_CHECK(shifts.size() == dims.size(), Error, "shifts and dimensions must align. shifts: ", shifts.size(),
           ", dims:", dims.size());
  Tensor cur = contiguous_nograd(x);
  bool copied = false;
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = wrap_dim(dims[i], x.dim());
    const int64_t R = x.dim() == 0 ? 1 : x.size(d);
    if (R == 0) continue;
    Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
    k.roll(scan_geom(x.shape(), d, x.dtype()), cur.raw_data(), ((shifts[i] % R) + R) % R, out.raw_data());
    cur = out, copied = true;
  }
  if (!copied) {
    NoGradGuard ng;
    cur = clone(x);
  }
  if (needs_grad(x)) {
    auto node = std::make_shared<RollBackward>();
    node->shifts = shifts, node->dims = dims;
    record(node, {&x}, {&cur});
  }
  return cur;
}

Tensor repeat(const Tensor& x, const std::vector<int64_t>& repeats) {
  const int64_t n = static_cast<int64_t>(repeats.size()), lead = n - x.dim();
  RB_CHECK(lead >= 0, Error,
           "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor (repeats ",
           Shape(repeats), " for a tensor of shape ", x.shape(), ")");
  // x as (1, s0, 1, s1, ...), expanded to (r0, s0, r1, s1, ...), copied and merged to (r0*s0, r1*s1, ...).
  Shape pairs, expanded, out_shape;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s = i < lead ? 1 : x.shape()[i - lead];
    pairs.push_back(1), pairs.push_back(s);
    expanded.push_back(repeats[i]), expanded.push_back(s);
    out_shape.push_back(repeats[i] * s);
  }
  for (int64_t i = 0; i < n; ++i)
    RB_CHECK(repeats[i] >= 0, Error, "Trying to create tensor with negative dimension ", out_shape[i], ": ", out_shape);
  return reshape(clone(expand(reshape(x, pairs), expanded)), out_shape);
}

Tensor tile(const Tensor& x, const std::vector<int64_t>& reps) {
  std::vector<int64_t> padded(std::max<int64_t>(x.dim() - static_cast<int64_t>(reps.size()), 0), 1);
  padded.insert(padded.end(), reps.begin(), reps.end());
  return repeat(x, padded);
}

Tensor repeat_interleave(const Tensor& x, int64_t repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  RB_CHECK(repeats >= 0, Error, "Repeats must be non-negative");
  Tensor src = dim ? x : flatten(x);
  const int64_t d = dim ? wrap_dim(*dim, x.dim()) : 0;
  if (src.dim() == 0) src = reshape(src, {1});
  const int64_t size = src.size(d) * repeats;
  RB_CHECK(!output_size || *output_size == size, Error, "repeat_interleave: Invalid output_size, expected ", size,
           " but got ", *output_size);
  // (..., S, ...) -> (..., S, 1, ...) expanded to (..., S, repeats, ...), copied and merged.
  Shape expanded = src.shape(), out_shape = src.shape();
  expanded.insert(expanded.begin() + d + 1, repeats);
  out_shape[d] = size;
  return reshape(clone(expand(unsqueeze(src, d + 1), expanded)), out_shape);
}

Tensor repeat_interleave(const Tensor& x, const Tensor& repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  RB_CHECK(repeats.dim() <= 1, Error, "repeats must be 0-dim or 1-dim tensor (got shape ", repeats.shape(), ")");
  Tensor src = dim ? x : flatten(x);
  const int64_t d = dim ? wrap_dim(*dim, x.dim()) : 0;
  if (src.dim() == 0) src = reshape(src, {1});
  std::vector<int64_t> counts = repeat_counts(repeats, src.size(d));
  RB_CHECK(static_cast<int64_t>(counts.size()) == src.size(d), Error,
           "repeats must have the same size as input along dim, but got repeats.size(0) = ", counts.size(),
           " and input.size(", d, ") = ", src.size(d));
  return index_select(src, d, index_of_counts(counts, output_size, x.device()));
}

Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size) {
  RB_CHECK(repeats.dim() == 1, Error, "repeat_interleave only accept 1D vector as repeat (got shape ", repeats.shape(),
           ")");
  return index_of_counts(repeat_counts(repeats), output_size, repeats.device());
}

}  // namespace rb
