// CPU tril/triu, flip and roll. Each is a copy by position, so they work on bytes of the element
// size and need no dtype dispatch; threads split the rows (tril/triu) or the outer blocks.
// Compiled once, as baseline code: the loops are memcpy and memset.
#include "transform.h"

#include <algorithm>
#include <cstring>

#include "loops.h"

namespace rb::cpu {
namespace {

// x, out: (B, M, N) = (g.outer, g.R, g.inner).
void triangle(const ScanGeom& g, const void* x, int64_t diagonal, bool upper, void* out) {
  const int64_t B = g.outer, M = g.R, N = g.inner;
  const size_t sz = itemsize(g.dtype);
  const char* px = static_cast<const char*>(x);
  char* po = static_cast<char*>(out);
  parallel_for(B * M, grain_for(N), [&](int64_t b, int64_t e) {
    for (int64_t row = b; row < e; ++row) {
      const int64_t i = row % M;
      // Row i keeps columns [0, i + diagonal] (lower) or [i + diagonal, N) (upper); the split
      // point is clamped to the row, so a diagonal beyond the matrix keeps all or nothing.
      const int64_t split = std::clamp<int64_t>(upper ? i + diagonal : i + diagonal + 1, 0, N);
      const char* src = px + row * N * sz;
      char* dst = po + row * N * sz;
      // Zero bytes are the value 0 of every dtype here (IEEE +0.0, integer 0, false).
      if (upper) {
        std::memset(dst, 0, split * sz);
        std::memcpy(dst + split * sz, src + split * sz, (N - split) * sz);
      } else {
        std::memcpy(dst, src, split * sz);
        std::memset(dst + split * sz, 0, (N - split) * sz);
      }
    }
  });
}

// Calls f(o) for every outer block o of R * inner elements, threads splitting the blocks.
template <class F>
void for_outer(int64_t outer, int64_t R, int64_t inner, const F& f) {
  parallel_for(outer, grain_for(R * inner), [&](int64_t b, int64_t e) {
    for (int64_t o = b; o < e; ++o) f(o);
  });
}

// x, out: (outer, R, inner).
void flip(const ScanGeom& g, const void* x, void* out) {
  const int64_t outer = g.outer, R = g.R, inner = g.inner;
  const size_t block = static_cast<size_t>(inner) * itemsize(g.dtype);
  if (inner == 1) {  // reversing single elements: typed, so the loop is not a memcpy per element
    RB_DISPATCH_MOVABLE(g.dtype, "flip", [&] {
      const scalar_t* s = static_cast<const scalar_t*>(x);
      scalar_t* d = static_cast<scalar_t*>(out);
      for_outer(outer, R, 1, [&](int64_t o) { std::reverse_copy(s + o * R, s + (o + 1) * R, d + o * R); });
    });
    return;
  }
  const char* px = static_cast<const char*>(x);
  char* po = static_cast<char*>(out);
  for_outer(outer, R, inner, [&](int64_t o) {
    for (int64_t r = 0; r < R; ++r) std::memcpy(po + (o * R + r) * block, px + (o * R + R - 1 - r) * block, block);
  });
}

// x, out: (outer, R, inner).
void roll(const ScanGeom& g, const void* x, int64_t shift, void* out) {
  const int64_t outer = g.outer, R = g.R, inner = g.inner;
  const size_t block = static_cast<size_t>(inner) * itemsize(g.dtype);
  const char* px = static_cast<const char*>(x);
  char* po = static_cast<char*>(out);
  // Rows [0, R - shift) move to [shift, R); rows [R - shift, R) wrap around to [0, shift).
  for_outer(outer, R, inner, [&](int64_t o) {
    const char* s = px + o * R * block;
    char* d = po + o * R * block;
    std::memcpy(d + shift * block, s, (R - shift) * block);
    std::memcpy(d, s + (R - shift) * block, shift * block);
  });
}

}  // namespace

template <>
const TransformKernels& kernels<TransformKernels>() {
  static const TransformKernels table = {&triangle, &flip, &roll};
  return table;
}

}  // namespace rb::cpu
