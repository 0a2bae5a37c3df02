// Host-side layout arithmetic shared by the kernels of every device and the ops that prepare their
// arguments (geometry.h).
#include "geometry.h"

namespace rb {

std::vector<int64_t> offset_table(const Shape& shape, const Shape& strides) {
  int64_t n = numel_of(shape);
  std::vector<int64_t> out(static_cast<size_t>(n));
  if (n == 0) return out;
  int64_t nd = static_cast<int64_t>(shape.size());
  std::vector<int64_t> idx(nd, 0);
  int64_t off = 0;
  for (int64_t k = 0; k < n; ++k) {
    out[k] = off;
    for (int64_t d = nd - 1; d >= 0; --d) {
      if (++idx[d] < shape[d]) {
        off += strides[d];
        break;
      }
      off -= (shape[d] - 1) * strides[d];
      idx[d] = 0;
    }
  }
  return out;
}

}  // namespace rb
