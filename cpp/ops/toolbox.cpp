// More of PyTorch's tensor toolbox as composites of differentiable ops (views, scatter/gather,
// mul/sum/matmul), so every gradient is itself differentiable; diagonal alone records its own view node.
#include "rosenblatt/ops.h"

#include <algorithm>
#include <map>

#include "aten_names.h"
#include "op_common.h"
#include "rosenblatt/ops.h"
#include "scalar_range.h"

namespace rb {
namespace {

std::vector<int64_t> wrap_dims(const std::vector<int64_t>& dims, int64_t n) {
  std::vector<int64_t> r;
  for (int64_t d : dims) r.push_back(wrap_dim(d, n));
  return r;
}

// (..., n) values placed on the offset diagonal of the dims d1, d2 of a zero tensor of shape
// out_shape (which has the other dims of g, in order): the adjoint of diagonal, from scatter.
Tensor diagonal_place(const Tensor& g, const Shape& out_shape, int64_t offset, int64_t d1, int64_t d2) {
  int64_t nd = static_cast<int64_t>(out_shape.size()), R = out_shape[d1], C = out_shape[d2], n = g.shape().back();
  Shape batch;
  for (int64_t d = 0; d < nd; ++d)
    if (d != d1 && d != d2) batch.push_back(out_shape[d]);
  Shape flat_shape = batch;
  flat_shape.push_back(R * C);
  Tensor flat = zeros(flat_shape, g.dtype(), g.device());
  // Scattered even when g is empty, so the result still records g's gradient function.
  int64_t start = std::max<int64_t>(-offset, 0) * C + std::max<int64_t>(offset, 0);
  Tensor pos = n > 0 ? arange(Scalar(start), Scalar(start + n * (C + 1)), Scalar(C + 1), DType::Int64, g.device())
                     : zeros({0}, DType::Int64, g.device());
  Shape ones_n(batch.size(), 1);
  ones_n.push_back(n);
  Shape idx_shape = batch;
  idx_shape.push_back(n);
  Tensor idx = expand(reshape(pos, ones_n), idx_shape).contiguous();
  flat = scatter(flat, -1, idx, g);
  Shape rc = batch;
  rc.push_back(R);
  rc.push_back(C);
  return movedim(reshape(flat, rc), {-2, -1}, {d1, d2});
}

struct DiagonalBackward : Node {
  bool is_view() const override { return true; }
  Shape in_shape;
  int64_t offset = 0, dim1 = 0, dim2 = 1;
  std::string name() const override { return "DiagonalBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    return {diagonal_place(g[0], in_shape, offset, dim1, dim2)};
  }
};

// index (0-d or 1-d, int64) reshaped to lie along dim of a tensor of `shape` and expanded to it.
Tensor index_along(const Tensor& index, int64_t dim, const Shape& shape) {
  Shape s(shape.size(), 1);
  s[dim] = index.numel();
  return expand(reshape(index, s), shape).contiguous();
}

void check_index_source(const char* op, const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source) {
  RB_CHECK(index.dim() <= 1, IndexError, op, "(): Index is supposed to be a vector, but got dim: ", index.dim(),
           " with size: ", index.shape());
  RB_CHECK(index.dtype() == DType::Int64, Error, op, "(): Expected dtype int64 for index but got: ", index.dtype());
  RB_CHECK(x.dtype() == source.dtype(), Error, op, "(): self (", x.dtype(), ") and source (", source.dtype(),
           ") must have the same scalar type");
  check_same_device(x, source, op);
  int64_t xd = std::max<int64_t>(x.dim(), 1), sd = std::max<int64_t>(source.dim(), 1);
  RB_CHECK(xd == sd, Error,
           "source tensor shape must match self tensor shape, excluding the specified dimension. Got "
           "self.shape = ",
           x.shape(), " source.shape = ", source.shape());
  Shape xs = x.dim() ? x.shape() : Shape{1}, ss = source.dim() ? source.shape() : Shape{1};
  for (int64_t d = 0; d < xd; ++d)
    RB_CHECK(d == dim || xs[d] == ss[d], Error,
             "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = ",
             x.shape(), " source.shape = ", source.shape());
  // PyTorch's index_add_ raises RuntimeError here, index_copy_ IndexError.
  std::string msg =
      str(op, "(): Number of indices (", index.numel(), ") should be equal to source.size(dim) (", ss[dim], ")");
  if (index.numel() != ss[dim]) {
    if (std::string(op) == "index_add_") throw Error(msg);
    throw IndexError(msg);
  }
}

// index_copy and index_fill raise IndexError for a position outside [0, size), as PyTorch's.
void check_index_range(const char* op, const Tensor& index, int64_t dim, int64_t size) {
  if (index.numel() == 0) return;
  NoGradGuard ng;
  Tensor flat = reshape(index, {-1});
  int64_t lo = min(flat).item<int64_t>(), hi = max(flat).item<int64_t>();
  int64_t bad = lo < 0 ? lo : hi;
  RB_CHECK(lo >= 0 && hi < size, IndexError, op, "(): index ", bad, " is out of bounds for dimension ", dim,
           " with size ", size);
}

}  // namespace

Tensor movedim(const Tensor& x, const std::vector<int64_t>& source, const std::vector<int64_t>& destination) {
  int64_t n = x.dim();
  RB_CHECK(source.size() == destination.size(), Error, "movedim: Invalid source or destination dims: source (",
           Shape(source), " dims) should contain the same number of dims as destination (", Shape(destination),
           " dims)");
  auto src = wrap_dims(source, n), dst = wrap_dims(destination, n);
  std::vector<int64_t> order(n, -1);
  std::vector<bool> used(n, false);
  for (size_t i = 0; i < src.size(); ++i) {
    RB_CHECK(!used[src[i]], Error, "movedim: repeated dim in `source` (", Shape(source), ")");
    used[src[i]] = true;
    RB_CHECK(order[dst[i]] < 0, Error, "movedim: repeated dim in `destination` (", Shape(destination), ")");
    order[dst[i]] = src[i];
  }
  int64_t next = 0;
  for (int64_t p = 0; p < n; ++p) {
    if (order[p] >= 0) continue;
    while (used[next]) ++next;
    order[p] = next++;
  }
  return permute(x, order);
}

Tensor swapaxes(const Tensor& x, int64_t dim0, int64_t dim1) { return transpose(x, dim0, dim1); }

Tensor diagonal(const Tensor& x, int64_t offset, int64_t dim1, int64_t dim2) {
  int64_t n = x.dim();
  int64_t d1 = wrap_dim(dim1, n), d2 = wrap_dim(dim2, n);
  RB_CHECK(d1 != d2, Error, "diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  int64_t s1 = x.shape()[d1], s2 = x.shape()[d2];
  int64_t len = offset >= 0 ? std::min(s1, s2 - offset) : std::min(s1 + offset, s2);
  len = std::max<int64_t>(len, 0);
  int64_t off = x.offset();
  if (len > 0) off += offset >= 0 ? offset * x.strides()[d2] : -offset * x.strides()[d1];
  Shape sizes, strides;
  for (int64_t d = 0; d < n; ++d)
    if (d != d1 && d != d2) sizes.push_back(x.shape()[d]), strides.push_back(x.strides()[d]);
  sizes.push_back(len);
  strides.push_back(x.strides()[d1] + x.strides()[d2]);
  Tensor out = Tensor::make_view(x, sizes, strides, off);
  if (needs_grad(x)) {
    auto node = std::make_shared<DiagonalBackward>();
    node->in_shape = x.shape(), node->offset = offset, node->dim1 = d1, node->dim2 = d2;
    record(node, {&x}, {&out});
  }
  return out;
}

Tensor diag_embed(const Tensor& x, int64_t offset, int64_t dim1, int64_t dim2) {
  int64_t n = x.dim() + 1;
  int64_t d1 = wrap_dim(dim1, n), d2 = wrap_dim(dim2, n);
  RB_CHECK(d1 != d2, Error, "diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  Tensor v = x.dim() == 0 ? reshape(x, {1}) : x;
  int64_t m = v.shape().back() + (offset < 0 ? -offset : offset);
  Shape out_shape;
  for (int64_t d = 0, k = 0; d < n; ++d) out_shape.push_back(d == d1 || d == d2 ? m : v.shape()[k++]);
  return diagonal_place(v, out_shape, offset, d1, d2);
}

Tensor diag(const Tensor& x, int64_t k) {
  RB_CHECK(x.dim() == 1 || x.dim() == 2, Error, "diag(): Supports 1D or 2D tensors. Got ", x.dim(), "D");
  if (x.dim() == 1) return diag_embed(x, k, 0, 1);
  return clone(diagonal(x, k, 0, 1));
}

Tensor trace(const Tensor& x) {
  RB_CHECK(x.dim() == 2, Error, "trace: expected a matrix, but got tensor with dim ", x.dim());
  RB_CHECK(x.dtype() != DType::Bool, NotImplementedError, "\"trace\" not implemented for 'Bool'");
  return sum(diagonal(x, 0, 0, 1));
}

Tensor outer(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.dim() == 1, Error, "outer: Expected 1-D argument self, but got ", a.dim(), "-D");
  RB_CHECK(b.dim() == 1, Error, "outer: Expected 1-D argument vec2, but got ", b.dim(), "-D");
  return mul(reshape(a, {a.numel(), 1}), reshape(b, {1, b.numel()}));
}

Tensor take_along_dim(const Tensor& x, const Tensor& indices, std::optional<int64_t> dim) {
  RB_CHECK(indices.dtype() == DType::Int64, Error, "torch.take_along_dim(): dtype of indices should be Long but got ",
           indices.dtype());
  if (!dim) return gather(reshape(x, {-1}), 0, reshape(indices, {-1}));
  RB_CHECK(x.dim() == indices.dim(), Error,
           "torch.take_along_dim(): input and indices should have the same number of dimensions, but got ", x.dim(),
           " dimensions for input, and ", indices.dim(), " dimensions for indices");
  if (x.dim() == 0) return gather(x, 0, indices);
  int64_t d = wrap_dim(*dim, x.dim());
  Shape xs = x.shape();
  xs[d] = indices.shape()[d];
  Shape bs = broadcast_shapes(xs, indices.shape());
  Tensor ib = expand(indices, bs).contiguous();
  bs[d] = x.shape()[d];
  return gather(expand(x, bs), d, ib);
}

Tensor index_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha) {
  int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1));
  check_index_source("index_add_", x, d, index, source);
  // PyTorch raises IndexError("index out of range in self") for an index outside [0, size) of a vector or
  // with alpha != 1, and scatter_add's RuntimeError ("index 5 is out of bounds ...") otherwise.
  if (index.numel() && (x.dim() <= 1 || alpha.f != 1.0)) {
    NoGradGuard ng;
    Tensor flat = reshape(index, {-1});
    const int64_t size = x.dim() ? x.shape()[d] : 1;
    RB_CHECK(min(flat).item<int64_t>() >= 0 && max(flat).item<int64_t>() < size, IndexError,
             "index out of range in self");
  }
  if (x.dim() == 0) return reshape(index_add(reshape(x, {1}), 0, index, reshape(source, {1}), alpha), {});
  Tensor src = source.dim() == 0 ? reshape(source, {1}) : source;
  // An integer x takes alpha truncated to its type (ATen's alpha.to<scalar_t>()): 2.5 adds twice the source.
  if (!is_floating(x.dtype()) && x.dtype() != DType::Bool) alpha = Scalar(alpha.i);
  if (alpha.f != 1.0) src = mul(src, alpha);
  return scatter_add(x, d, index_along(index, d, src.shape()), src);
}

Tensor index_copy(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source) {
  int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1));
  check_index_source("index_copy_", x, d, index, source);
  check_index_range("index_copy_", index, d, x.dim() ? x.shape()[d] : 1);
  if (x.dim() == 0) return reshape(index_copy(reshape(x, {1}), 0, index, reshape(source, {1})), {});
  Tensor src = source.dim() == 0 ? reshape(source, {1}) : source;
  return scatter(x, d, index_along(index, d, src.shape()), src);
}

Tensor index_fill(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& value) {
  RB_CHECK(index.dtype() == DType::Int64, IndexError, "index_fill_(): Expected dtype int64 for index.");
  RB_CHECK(index.dim() <= 1, IndexError, "index_fill_(): Index has to be a vector, but got dim: ", index.dim());
  RB_CHECK(value.dim() == 0, Error, "index_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
           value.dim(), " dimension(s).");
  if (x.dim() == 0) return reshape(index_fill(reshape(x, {1}), 0, index, value), {});
  int64_t d = wrap_dim(dim, x.dim());
  check_index_range("index_fill_", index, d, x.shape()[d]);
  // A position listed twice is filled once: the value's gradient sums each filled position once, as PyTorch's
  // (grad.index_select(dim, unique(index)).sum()), where a scatter of the repeats would count it twice.
  Tensor idx = needs_grad(value) ? unique(index).values : index;
  Shape s = x.shape();
  s[d] = idx.numel();
  return scatter(x, d, index_along(idx, d, s), value);
}

Tensor index_fill(const Tensor& x, int64_t dim, const Tensor& index, Scalar value) {
  check_scalar_range(value, x.dtype());
  return index_fill(x, dim, index, scalar_tensor(value, x.dtype(), x.device()));
}
Tensor& index_fill_(Tensor& x, int64_t dim, const Tensor& index, Scalar value) {
  check_scalar_range(value, x.dtype());
  return index_fill_(x, dim, index, scalar_tensor(value, x.dtype(), x.device()));
}

Tensor& index_add_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha) {
  return assign_result_(x, index_add(x, dim, index, source, alpha), "index_add_");
}
Tensor& index_copy_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& source) {
  return assign_result_(x, index_copy(x, dim, index, source), "index_copy_");
}
Tensor& index_fill_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& value) {
  return assign_result_(x, index_fill(x, dim, index, value), "index_fill_");
}

Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  RB_CHECK(a.dtype() == b.dtype(), Error, a.dtype(), " did not match ", b.dtype());
  RB_CHECK(rtol >= 0, Error, "rtol must be greater than or equal to zero, but got ", rtol);
  RB_CHECK(atol >= 0, Error, "atol must be greater than or equal to zero, but got ", atol);
  NoGradGuard ng;
  Tensor close = binary(BinaryOp::Eq, a, b);
  if (equal_nan && is_floating(a.dtype()))
    close = logical(LogicalOp::Or, close,
                    logical(LogicalOp::And, classify(FloatClass::IsNan, a), classify(FloatClass::IsNan, b)));
  if (rtol == 0 && atol == 0) return close;
  Tensor ca = a.dtype() == DType::Bool ? to_dtype(a, DType::Float32) : a;
  Tensor cb = b.dtype() == DType::Bool ? to_dtype(b, DType::Float32) : b;
  Tensor allowed = add(unary(UnaryOp::Abs, mul(cb, Scalar(rtol))), Scalar(atol));
  Tensor actual = unary(UnaryOp::Abs, sub(ca, cb));
  Tensor within = binary(BinaryOp::Le, actual, allowed);
  if (is_floating(actual.dtype())) within = logical(LogicalOp::And, within, classify(FloatClass::IsFinite, actual));
  return logical(LogicalOp::Or, close, within);
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  return all(isclose(a, b, rtol, atol, equal_nan)).item<bool>();
}

bool equal(const Tensor& a, const Tensor& b) {
  check_same_device(a, b, "equal");
  if (a.shape() != b.shape()) return false;
  NoGradGuard ng;
  return all(binary(BinaryOp::Eq, a, b)).item<bool>();
}

// ---- einsum ------------------------------------------------------------------------------------
// Labels: letters are 0..51 (A-Z then a-z, so the implicit output sorts as PyTorch's); the dims an
// ellipsis covers get labels 52.. aligned from the right across operands, as broadcasting aligns.
namespace {

constexpr int kEll = 52;

int label_of(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' : 26 + (c - 'a'); }
char char_of(int l) { return static_cast<char>(l < 26 ? 'A' + l : 'a' + (l - 26)); }

struct Term {
  std::vector<int> letters;  // in order, with -1 where the ellipsis stands
  bool ellipsis = false;
};

Term parse_term(const std::string& eq, size_t begin, size_t end, bool output) {
  Term t;
  for (size_t i = begin; i < end; ++i) {
    char c = eq[i];
    if (c == '.') {
      RB_CHECK(!t.ellipsis && i + 3 <= end && eq.compare(i, 3, "...") == 0, Error, "einsum(): found '.' for ",
               output ? "output" : "operand", " that is not part of any ellipsis");
      t.ellipsis = true;
      t.letters.push_back(-1);
      i += 2;
    } else {
      RB_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'), Error, "einsum(): invalid subscript given at index ",
               i, " in the equation string, subscripts must be in [a-zA-Z]");
      t.letters.push_back(label_of(c));
    }
  }
  return t;
}

std::string shape_str(const Shape& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}

}  // namespace

Tensor einsum(const std::string& equation_in, const std::vector<Tensor>& ops) {
  RB_CHECK(!ops.empty(), Error, "einsum(): must provide at least one operand");
  std::string eq;
  for (char c : equation_in)
    if (c != ' ') eq += c;
  size_t arrow = eq.find("->");
  std::string lhs = eq.substr(0, arrow);
  std::vector<Term> terms;
  size_t start = 0;
  for (size_t i = 0; i <= lhs.size(); ++i)
    if (i == lhs.size() || lhs[i] == ',') {
      RB_CHECK(terms.size() < ops.size(), Error,
               "einsum(): more operands were provided than specified in the equation");
      terms.push_back(parse_term(lhs, start, i, false));
      start = i + 1;
    }
  RB_CHECK(terms.size() == ops.size(), Error, "einsum(): more operands were provided than specified in the equation");
  // Map each operand's dims to labels; the ellipsis dims count from the right.
  int64_t ell = 0;
  std::vector<std::vector<int>> labels(ops.size());
  for (size_t k = 0; k < ops.size(); ++k) {
    int64_t named = static_cast<int64_t>(terms[k].letters.size()) - (terms[k].ellipsis ? 1 : 0);
    int64_t nd = ops[k].dim();
    if (terms[k].ellipsis) {
      RB_CHECK(nd >= named, Error, "einsum(): the number of subscripts in the equation (", named,
               ") is more than the number of dimensions (", nd, ") for operand ", k);
    } else {
      RB_CHECK(nd == named, Error, "einsum(): the number of subscripts in the equation (", named,
               ") does not match the number of dimensions (", nd, ") for operand ", k, " and no ellipsis was given");
    }
    ell = std::max(ell, nd - named);
  }
  for (size_t k = 0; k < ops.size(); ++k) {
    int64_t nd = ops[k].dim(),
            covered = nd - (static_cast<int64_t>(terms[k].letters.size()) - (terms[k].ellipsis ? 1 : 0));
    for (int l : terms[k].letters) {
      if (l >= 0) {
        labels[k].push_back(l);
        continue;
      }
      for (int64_t e = 0; e < covered; ++e) labels[k].push_back(kEll + static_cast<int>(ell - covered + e));
    }
  }
  // The output's labels.
  std::vector<int> out;
  std::map<int, int> count;
  for (auto& ls : labels)
    for (int l : ls) ++count[l];
  if (arrow != std::string::npos) {
    Term o = parse_term(eq, arrow + 2, eq.size(), true);
    for (int l : o.letters) {
      if (l < 0) {
        for (int64_t e = 0; e < ell; ++e) out.push_back(kEll + static_cast<int>(e));
        continue;
      }
      RB_CHECK(count.count(l), Error, "einsum(): output subscript ", char_of(l),
               " does not appear in the equation for any input operand");
      RB_CHECK(std::find(out.begin(), out.end(), l) == out.end(), Error, "einsum(): output subscript ", char_of(l),
               " appears more than once in the output");
      out.push_back(l);
    }
  } else {
    for (int64_t e = 0; e < ell; ++e) out.push_back(kEll + static_cast<int>(e));
    for (auto& [l, n] : count)
      if (l < kEll && n == 1) out.push_back(l);
  }
  // The global label order: the output's, then the summed ones.
  std::vector<int> all = out;
  for (auto& [l, n] : count)
    if (std::find(all.begin(), all.end(), l) == all.end()) all.push_back(l);
  int64_t L = static_cast<int64_t>(all.size());
  auto pos = [&](int l) { return static_cast<int64_t>(std::find(all.begin(), all.end(), l) - all.begin()); };
  // Each operand: repeated labels taken as diagonals, then permuted and unsqueezed to rank L in that order.
  std::vector<Tensor> xs;
  for (size_t k = 0; k < ops.size(); ++k) {
    Tensor x = ops[k];
    std::vector<int> ls = labels[k];
    for (bool again = true; again;) {
      again = false;
      for (size_t i = 0; i < ls.size() && !again; ++i)
        for (size_t j = i + 1; j < ls.size() && !again; ++j)
          if (ls[i] == ls[j]) {
            RB_CHECK(x.shape()[i] == x.shape()[j], Error, "einsum(): subscript ", char_of(ls[i]),
                     " is repeated for operand ", k, " but the sizes don't match, ", x.shape()[i],
                     " != ", x.shape()[j]);
            x = diagonal(x, 0, static_cast<int64_t>(i), static_cast<int64_t>(j));
            int l = ls[i];
            ls.erase(ls.begin() + static_cast<int64_t>(j));
            ls.erase(ls.begin() + static_cast<int64_t>(i));
            ls.push_back(l);
            again = true;
          }
    }
    std::vector<int64_t> order(ls.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int64_t>(i);
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return pos(ls[a]) < pos(ls[b]); });
    x = permute(x, order);
    Shape full(L, 1);
    for (size_t i = 0; i < order.size(); ++i) full[pos(ls[order[i]])] = x.shape()[i];
    xs.push_back(reshape(x, full));
  }
  // Sizes agree across operands (1 broadcasts, as PyTorch allows).
  for (int64_t d = 0; d < L; ++d) {
    int64_t size = 1;
    for (auto& x : xs) {
      int64_t s = x.shape()[d];
      if (s != 1 && size != 1 && s != size) {
        std::string msg = "einsum(): operands do not broadcast with remapped shapes (original->remapped):";
        for (size_t k = 0; k < xs.size(); ++k) msg += " " + shape_str(ops[k].shape()) + "->" + shape_str(xs[k].shape());
        throw Error(msg);
      }
      if (s != 1) size = s;
    }
  }
  int64_t n_out = static_cast<int64_t>(out.size());
  // Whether label position d is still needed after operand k (by the output or a later operand).
  auto needed_after = [&](int64_t d, size_t k) {
    if (d < n_out) return true;
    for (size_t j = k + 1; j < xs.size(); ++j)
      if (xs[j].shape()[d] != 1) return true;
    return false;
  };
  // Sums the dims of x that no later operand or the output needs (kept as size 1).
  auto reduce_unneeded = [&](Tensor x, size_t k) {
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < L; ++d)
      if (!needed_after(d, k) && x.shape()[d] != 1) dims.push_back(d);
    return dims.empty() ? x : sum(x, dims, true);
  };
  Tensor acc = xs[0];
  if (xs.size() == 1) acc = reduce_unneeded(acc, 0);
  for (size_t k = 1; k < xs.size(); ++k) {
    Tensor a = acc, b = xs[k];
    // Sum what only one side has and nothing later needs, then contract the rest with one matmul:
    // a -> (batch, m, c), b -> (batch, c, n).
    std::vector<int64_t> a_only_sum, b_only_sum;
    for (int64_t d = 0; d < L; ++d) {
      if (needed_after(d, k)) continue;
      if (a.shape()[d] != 1 && b.shape()[d] == 1) a_only_sum.push_back(d);
      if (b.shape()[d] != 1 && a.shape()[d] == 1) b_only_sum.push_back(d);
    }
    if (!a_only_sum.empty()) a = sum(a, a_only_sum, true);
    if (!b_only_sum.empty()) b = sum(b, b_only_sum, true);
    std::vector<int64_t> batch, am, bn, con;
    for (int64_t d = 0; d < L; ++d) {
      int64_t sa = a.shape()[d], sb = b.shape()[d];
      if (!needed_after(d, k)) {
        if (sa != 1 || sb != 1) con.push_back(d);
      } else if (sa != 1 && sb != 1) {
        batch.push_back(d);
      } else if (sa != 1) {
        am.push_back(d);
      } else if (sb != 1) {
        bn.push_back(d);
      }
    }
    if (!is_floating(a.dtype()) || !is_floating(b.dtype()) || a.dtype() != b.dtype()) {
      // Integer or mixed dtypes: broadcast product, then sum (no BLAS). PyTorch contracts integers with bmm,
      // which keeps their dtype and refuses two different ones (an operand summed alone above is int64 by now,
      // as PyTorch's sum makes it); a product without contraction promotes.
      const bool ints = !is_floating(a.dtype()) && !is_floating(b.dtype());
      RB_CHECK(!ints || con.empty() || a.dtype() == b.dtype(), Error, "expected scalar type ", aten_name(a.dtype()),
               " but found ", aten_name(b.dtype()));
      Tensor p = mul(a, b);
      acc = con.empty() ? p : ints ? cast(sum(p, con, true), p.dtype()) : sum(p, con, true);
      continue;
    }
    auto sizes = [&](const Tensor& t, const std::vector<int64_t>& ds) {
      int64_t n = 1;
      for (int64_t d : ds) n *= t.shape()[d];
      return n;
    };
    std::vector<int64_t> rest;  // the dims of size 1 in both, placed after the others
    std::vector<int64_t> pa = batch, pb = batch;
    pa.insert(pa.end(), am.begin(), am.end());
    pa.insert(pa.end(), con.begin(), con.end());
    pa.insert(pa.end(), bn.begin(), bn.end());
    pb.insert(pb.end(), am.begin(), am.end());
    pb.insert(pb.end(), con.begin(), con.end());
    pb.insert(pb.end(), bn.begin(), bn.end());
    for (int64_t d = 0; d < L; ++d)
      if (std::find(pa.begin(), pa.end(), d) == pa.end()) rest.push_back(d);
    pa.insert(pa.end(), rest.begin(), rest.end());
    pb.insert(pb.end(), rest.begin(), rest.end());
    Shape bshape;
    for (int64_t d : batch) bshape.push_back(a.shape()[d]);
    int64_t nb = sizes(a, batch), m = sizes(a, am), c = std::max(sizes(a, con), sizes(b, con)), n = sizes(b, bn);
    Tensor a3 = reshape(permute(a, pa), {nb, m, c});
    Tensor b3 = reshape(permute(b, pb), {nb, c, n});
    Tensor r = matmul(a3, b3);  // (nb, m, n)
    // Back to rank L in the global order: batch, am, bn sizes; contracted and rest dims size 1.
    std::vector<int64_t> placed = batch;
    placed.insert(placed.end(), am.begin(), am.end());
    placed.insert(placed.end(), bn.begin(), bn.end());
    placed.insert(placed.end(), con.begin(), con.end());
    placed.insert(placed.end(), rest.begin(), rest.end());
    Shape rs;
    for (int64_t d : batch) rs.push_back(a.shape()[d]);
    for (int64_t d : am) rs.push_back(a.shape()[d]);
    for (int64_t d : bn) rs.push_back(b.shape()[d]);
    for (size_t i = 0; i < con.size() + rest.size(); ++i) rs.push_back(1);
    std::vector<int64_t> inv(L);
    for (int64_t i = 0; i < L; ++i) inv[placed[i]] = i;
    acc = permute(reshape(r, rs), inv);
  }
  // Drop the summed positions (all size 1 now) and return the output's dims.
  Shape os(acc.shape().begin(), acc.shape().begin() + n_out);
  for (int64_t d = 0; d < n_out; ++d) {
    int64_t size = 1;  // the operands' size where not 1 (0 included: they broadcast, checked above)
    for (auto& x : xs)
      if (x.shape()[d] != 1) size = x.shape()[d];
    os[d] = size;
  }
  Tensor r = reshape(acc, Shape(acc.shape().begin(), acc.shape().begin() + n_out));
  return r.shape() == os ? r : expand(r, os).contiguous();
}

}  // namespace rb
