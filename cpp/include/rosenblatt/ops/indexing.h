// Indexing: basic (int, slice, None, Ellipsis) and advanced (int64 and bool tensors) reads and
// writes, cat/stack/split/chunk, gather, index_select, the view ops select/narrow/unbind, masked_fill.
#pragma once
#include <optional>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

// One element of an index expression, x[a, b, ...]: the core's form of what Python passes to
// __getitem__/__setitem__ (the bindings parse Python objects into these).
struct TensorIndex {
  enum class Kind : uint8_t { Int, Slice, None, Ellipsis, Tensor };
  Kind kind = Kind::None;
  int64_t i = 0;                       // Int
  std::optional<int64_t> start, stop;  // Slice (nullopt: the default end)
  int64_t step = 1;                    // Slice
  Tensor t;                            // Tensor: int64 or int32 (positions), bool or uint8 (mask)

  static TensorIndex integer(int64_t v) {
    TensorIndex r;
    r.kind = Kind::Int;
    r.i = v;
    return r;
  }
  static TensorIndex slice(std::optional<int64_t> a, std::optional<int64_t> b, int64_t s) {
    TensorIndex r;
    r.kind = Kind::Slice;
    r.start = a;
    r.stop = b;
    r.step = s;
    return r;
  }
  static TensorIndex none() { return TensorIndex(); }
  static TensorIndex ellipsis() {
    TensorIndex r;
    r.kind = Kind::Ellipsis;
    return r;
  }
  static TensorIndex tensor(Tensor v) {
    TensorIndex r;
    r.kind = Kind::Tensor;
    r.t = std::move(v);
    return r;
  }
};
using IndexList = std::vector<TensorIndex>;

// x[idx]: a view when idx holds no tensors, otherwise a gathered copy (PyTorch's dim order rules).
Tensor index(const Tensor& x, const IndexList& idx);
// x[idx] = value (broadcast to the indexed shape, converted to x's dtype), in place; with
// accumulate, x[idx] += value where repeated indices all add.
Tensor& index_put_(Tensor& x, const IndexList& idx, const Tensor& value, bool accumulate = false);
Tensor index_put(const Tensor& x, const IndexList& idx, const Tensor& value, bool accumulate = false);
Tensor& index_put_(Tensor& x, const IndexList& idx, Scalar value);
// The mask a put of value at idx goes through masked_fill with, as ATen's index_put_ dispatches: one bool or uint8
// tensor index and no other, a one-element value on the CPU, no accumulate. Null for any other put.
const Tensor* put_mask(const IndexList& idx, const Tensor& value, bool accumulate);

// View ops.
Tensor select(const Tensor& x, int64_t dim, int64_t index);
Tensor slice(const Tensor& x, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> stop, int64_t step = 1);
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length);
std::vector<Tensor> unbind(const Tensor& x, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split_with_sizes(const Tensor& x, const std::vector<int64_t>& sizes, int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim = 0);

// Joining and gathering (copies).
Tensor cat(const std::vector<Tensor>& xs, int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& xs, int64_t dim = 0);
Tensor gather(const Tensor& x, int64_t dim, const Tensor& index);
Tensor scatter_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);  // src may be 0-d (a value)
Tensor& scatter_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);
Tensor masked_select(const Tensor& x, const Tensor& mask);  // 1-D, mask and x broadcast together
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
Tensor nonzero(const Tensor& x);  // (n, x.dim()) int64 positions of the non-zero elements
Tensor masked_fill(const Tensor& x, const Tensor& mask, const Tensor& value);  // value: 0-d
Tensor masked_fill(const Tensor& x, const Tensor& mask, Scalar value);
Tensor& masked_fill_(Tensor& x, const Tensor& mask, Scalar value);

}  // namespace rb
