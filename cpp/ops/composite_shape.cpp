// Shape-level composites of torch: diff, meshgrid, broadcast_tensors, cartesian_prod, block_diag, kron,
// tensordot, tril/triu_indices, vander, rot90, tensor_split, narrow_copy, channel_shuffle; views and joins only.
#include <algorithm>
#include <numeric>

#include "op_common.h"
#include "rosenblatt/ops.h"
#include "rosenblatt/ops/composite.h"

namespace rb {

Tensor diff(const Tensor& x, int64_t n, int64_t dim, const std::optional<Tensor>& prepend,
            const std::optional<Tensor>& append) {
  RB_CHECK(x.dim() >= 1, Error, "diff expects input to be at least one-dimensional");
  RB_CHECK(n >= 0, Error, "order must be non-negative but got ", n);
  int64_t d = wrap_dim(dim, x.dim());
  Tensor t = x;
  if (prepend || append) {
    std::vector<Tensor> parts;
    if (prepend) parts.push_back(*prepend);
    parts.push_back(x);
    if (append) parts.push_back(*append);
    t = cat(parts, d);
  }
  for (int64_t i = 0; i < n && t.size(d) > 0; ++i) {
    int64_t len = t.size(d) - 1;
    Tensor hi = narrow(t, d, 1, len), lo = narrow(t, d, 0, len);
    t = t.dtype() == DType::Bool ? logical(LogicalOp::Xor, hi, lo) : sub(hi, lo);
  }
  return t;
}

std::vector<Tensor> broadcast_tensors(const std::vector<Tensor>& xs) {
  Shape s;
  for (const Tensor& x : xs) s = broadcast_shapes(s, x.shape());
  std::vector<Tensor> out;
  out.reserve(xs.size());
  for (const Tensor& x : xs) out.push_back(expand(x, s));
  return out;
}

std::vector<Tensor> meshgrid(const std::vector<Tensor>& xs, const std::string& indexing) {
  RB_CHECK(indexing == "ij" || indexing == "xy", Error,
           "torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: ", indexing);
  RB_CHECK(!xs.empty(), Error, "meshgrid expects a non-empty TensorList");
  for (const Tensor& x : xs) {
    RB_CHECK(x.dim() <= 1, Error, "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ", x.dim(),
             "-D tensor");
    RB_CHECK(x.dtype() == xs[0].dtype(), Error, "torch.meshgrid: expects all tensors to have the same dtype");
    RB_CHECK(x.device() == xs[0].device(), Error, "torch.meshgrid: expects all tensors to have the same device");
  }
  const size_t k = xs.size();
  // 'xy' swaps the roles of the first two inputs in the output's layout (numpy's Cartesian indexing).
  const bool swap = indexing == "xy" && k >= 2;
  std::vector<size_t> pos(k);
  std::iota(pos.begin(), pos.end(), 0);
  if (swap) std::swap(pos[0], pos[1]);
  Shape grid(k);
  for (size_t i = 0; i < k; ++i) grid[pos[i]] = xs[i].numel();
  std::vector<Tensor> out;
  for (size_t i = 0; i < k; ++i) {
    Shape v(k, 1);
    v[pos[i]] = -1;
    out.push_back(expand(reshape(xs[i], v), grid));
  }
  return out;
}

Tensor cartesian_prod(const std::vector<Tensor>& xs) {
  for (const Tensor& x : xs) RB_CHECK(x.dim() == 1, Error, "Expect a 1D vector, but got shape ", x.shape());
  if (xs.size() == 1) return xs[0];
  std::vector<Tensor> grid = meshgrid(xs, "ij"), cols;
  for (const Tensor& g : grid) cols.push_back(flatten(g));
  return stack(cols, 1);
}

Tensor block_diag(const std::vector<Tensor>& xs) {
  std::vector<Tensor> mats;
  int64_t cols = 0;
  DType dt = xs.empty() ? DType::Float32 : xs[0].dtype();
  for (size_t i = 0; i < xs.size(); ++i) {
    const Tensor& x = xs[i];
    RB_CHECK(x.dim() <= 2, Error, "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ", i, " has ",
             x.dim(), " dimensions");
    mats.push_back(x.dim() == 2 ? x : reshape(x, {1, x.numel()}));
    cols += mats.back().size(1);
  }
  if (mats.empty()) return zeros({1, 0}, DType::Float32);
  for (const Tensor& m : mats) dt = promote(dt, m.dtype());
  // Each block padded with zeros left and right to the full width, then the rows joined.
  std::vector<Tensor> rows;
  int64_t left = 0;
  for (const Tensor& m : mats) {
    int64_t w = m.size(1);
    rows.push_back(constant_pad_nd(cast(m, dt), {left, cols - left - w}, 0.0));
    left += w;
  }
  return cat(rows, 0);
}

Tensor kron(const Tensor& a, const Tensor& b) {
  const int64_t nd = std::max(a.dim(), b.dim());
  Shape sa(nd - a.dim(), 1), sb(nd - b.dim(), 1);
  sa.insert(sa.end(), a.shape().begin(), a.shape().end());
  sb.insert(sb.end(), b.shape().begin(), b.shape().end());
  // a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), then each pair of dims merged.
  Shape va, vb, out;
  for (int64_t i = 0; i < nd; ++i) {
    va.push_back(sa[i]), va.push_back(1);
    vb.push_back(1), vb.push_back(sb[i]);
    out.push_back(sa[i] * sb[i]);
  }
  return reshape(mul(reshape(a, va), reshape(b, vb)), out);
}

Tensor tensordot(const Tensor& a, const Tensor& b, const std::vector<int64_t>& dims_a,
                 const std::vector<int64_t>& dims_b) {
  RB_CHECK(dims_a.size() == dims_b.size(), Error, "both dimension lists should have same length");
  std::vector<bool> ca(a.dim(), false), cb(b.dim(), false);
  std::vector<int64_t> pa, pb;
  int64_t k = 1;
  for (size_t i = 0; i < dims_a.size(); ++i) {
    int64_t da = wrap_dim(dims_a[i], a.dim()), db = wrap_dim(dims_b[i], b.dim());
    RB_CHECK(a.size(da) == b.size(db), Error, "contracted dimensions need to match, but first has size ", a.size(da),
             " in dim ", dims_a[i], " and second has size ", b.size(db), " in dim ", dims_b[i]);
    ca[da] = cb[db] = true;
    pa.push_back(da), pb.push_back(db);
    k *= a.size(da);
  }
  // a's free dims first then the contracted ones; b's contracted dims first: one matmul.
  Shape out;
  std::vector<int64_t> perm_a, perm_b = pb;
  int64_t m = 1, n = 1;
  for (int64_t i = 0; i < a.dim(); ++i)
    if (!ca[i]) perm_a.push_back(i), out.push_back(a.size(i)), m *= a.size(i);
  perm_a.insert(perm_a.end(), pa.begin(), pa.end());
  for (int64_t i = 0; i < b.dim(); ++i)
    if (!cb[i]) perm_b.push_back(i), out.push_back(b.size(i)), n *= b.size(i);
  Tensor am = reshape(permute(a, perm_a), {m, k}), bm = reshape(permute(b, perm_b), {k, n});
  return reshape(mm(am, bm), out);
}

Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims) {
  RB_CHECK(dims >= 0, Error, "tensordot expects dims >= 0, but got dims=", dims);
  RB_CHECK(dims <= a.dim() && dims <= b.dim(), Error, "tensordot expects dims < ndim_a or ndim_b, but got dims=", dims);
  std::vector<int64_t> da, db;
  for (int64_t i = 0; i < dims; ++i) da.push_back(a.dim() - dims + i), db.push_back(i);
  return tensordot(a, b, da, db);
}

namespace {
// The (row, col) pairs of the lower (lower = true) or upper triangle, row-major, as a (2, n) tensor: the
// non-zeros of a triangular mask, made on the device itself.
Tensor tri_indices(int64_t row, int64_t col, int64_t offset, bool lower, DType dtype, Device device, const char* op) {
  RB_CHECK(row >= 0, Error, "row must be non-negative, got", row);
  RB_CHECK(col >= 0, Error, "col must be non-negative, got", col);
  RB_CHECK(dtype == DType::Int64 || dtype == DType::Int32, Error, op, ": dtype must be an integer type");
  Tensor ones_mask = ones({row, col}, DType::Int64, device);
  Tensor mask = lower ? tril(ones_mask, offset) : triu(ones_mask, offset);
  return cast(clone(transpose(nonzero(mask), 0, 1)), dtype);
}
}  // namespace

Tensor tril_indices(int64_t row, int64_t col, int64_t offset, DType dtype, Device device) {
  return tri_indices(row, col, offset, true, dtype, device, "tril_indices");
}

Tensor triu_indices(int64_t row, int64_t col, int64_t offset, DType dtype, Device device) {
  return tri_indices(row, col, offset, false, dtype, device, "triu_indices");
}

Tensor vander(const Tensor& x, std::optional<int64_t> N, bool increasing) {
  RB_CHECK(x.dim() == 1, Error, "x must be a one-dimensional tensor.");
  int64_t n = N.value_or(x.size(0));
  RB_CHECK(n >= 0, Error, "N must be non-negative.");
  DType dt = is_floating(x.dtype()) ? x.dtype() : DType::Int64;
  Tensor xv = cast(x, dt);
  // Powers by repeated products: x^0 = 1 carries no gradient, unlike pow's n * x^(n-1) at x = 0.
  std::vector<Tensor> cols;
  if (n > 0) cols.push_back(ones_like(xv));
  for (int64_t i = 1; i < n; ++i) cols.push_back(mul(cols.back(), xv));
  if (!increasing) std::reverse(cols.begin(), cols.end());
  if (cols.empty()) return zeros({x.size(0), 0}, dt, x.device());
  return stack(cols, 1);
}

Tensor rot90(const Tensor& x, int64_t k, const std::vector<int64_t>& dims) {
  RB_CHECK(dims.size() == 2, Error, "expected total rotation dims == 2, but got dims = ", dims.size());
  RB_CHECK(x.dim() >= 2, Error, "expected total dims >= 2, but got total dims = ", x.dim());
  int64_t d0 = wrap_dim(dims[0], x.dim()), d1 = wrap_dim(dims[1], x.dim());
  RB_CHECK(d0 != d1, Error, "expected rotation dims to be different, but got dim0 = ", d0, " and dim1 = ", d1);
  k = ((k % 4) + 4) % 4;
  if (k == 1) return transpose(flip(x, {d1}), d0, d1);
  if (k == 2) return flip(x, {d0, d1});
  if (k == 3) return transpose(flip(x, {d0}), d0, d1);
  return clone(x);
}

std::vector<Tensor> tensor_split(const Tensor& x, int64_t sections, int64_t dim) {
  RB_CHECK(x.dim() > 0, Error, "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims");
  RB_CHECK(sections > 0, Error, "number of sections must be larger than 0, got ", sections);
  int64_t d = wrap_dim(dim, x.dim()), n = x.size(d);
  std::vector<Tensor> out;
  int64_t start = 0;
  for (int64_t i = 0; i < sections; ++i) {
    int64_t len = n / sections + (i < n % sections ? 1 : 0);
    out.push_back(slice(x, d, start, start + len));
    start += len;
  }
  return out;
}

std::vector<Tensor> tensor_split(const Tensor& x, const std::vector<int64_t>& indices, int64_t dim) {
  RB_CHECK(x.dim() > 0, Error, "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims");
  int64_t d = wrap_dim(dim, x.dim());
  std::vector<Tensor> out;
  int64_t start = 0;
  for (int64_t idx : indices) {
    out.push_back(slice(x, d, start, std::max(start, idx)));
    start = idx;
  }
  out.push_back(slice(x, d, start, std::nullopt));
  return out;
}

Tensor narrow_copy(const Tensor& x, int64_t dim, int64_t start, int64_t length) {
  return clone(narrow(x, dim, start, length));
}

Tensor channel_shuffle(const Tensor& x, int64_t groups) {
  RB_CHECK(x.dim() > 2, Error, "channel_shuffle expects input to have at least 3 dimensions, but got input with sizes ",
           x.shape());
  RB_CHECK(groups > 0, Error, "Number of groups to divide channels in must be positive. Value of groups:", groups);
  const int64_t c = x.size(1);
  RB_CHECK(c % groups == 0, Error, "Number of channels must be divisible by groups. Got ", c, " channels and ", groups,
           " groups.");
  Shape s = x.shape();
  Tensor t = unflatten(x, 1, {groups, c / groups});
  return reshape(transpose(t, 1, 2), s);
}

}  // namespace rb
