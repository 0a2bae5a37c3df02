// Strided N-d loops shared by the CPU kernels: operands broadcast to one shape through stride-0
// dims, dims merged where memory allows, and a parallel_for that stays serial for small work
// (an OpenMP region costs microseconds, which is the whole budget of a small model's op).
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>

#include "../geometry.h"
#include "capability.h"
#include "rosenblatt/tensor.h"
#ifdef RB_OPENMP
#include <omp.h>
#else
inline int omp_in_parallel() { return 0; }
inline int omp_get_thread_num() { return 0; }
inline int omp_get_num_threads() { return 1; }
#endif

namespace rb::cpu {
int num_threads();  // the library's thread count (rb.set_num_threads)
void set_num_threads(int n);
// rb.use_deterministic_algorithms: kernels whose result would depend on the thread count take a path
// that does not (a plain global read, once per kernel call).
bool deterministic();
void set_deterministic(bool on);
}  // namespace rb::cpu

RB_CPU_NAMESPACE_BEGIN

constexpr int64_t kGrain = 32768;  // elementwise work below this runs on one thread

// The parallel_for grain for items that cost `per_item` elements each: at least kGrain elements
// of work per thread, so small work stays single-threaded.
inline int64_t grain_for(int64_t per_item) { return std::max<int64_t>(1, kGrain / std::max<int64_t>(per_item, 1)); }

// The accumulator of sums and products over T: float32 adds up in double, as PyTorch's CPU
// reductions and scans do, so long sums match it closely; bool counts in int64.
template <class T>
struct Acc {
  using type = T;
};
template <>
struct Acc<float> {
  using type = double;
};
template <>
struct Acc<bool> {
  using type = int64_t;
};

inline int thread_index() {
#ifdef RB_OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

// Calls f(begin, end) over [0, n) split into one contiguous chunk per thread.
template <class F>
void parallel_for(int64_t n, int64_t grain, const F& f) {
#ifdef RB_OPENMP
  int nt = num_threads();
  if (n > grain && nt > 1 && !omp_in_parallel()) {
    int64_t tasks = std::min<int64_t>(nt, (n + grain - 1) / grain);
    // clang-format off
#pragma omp parallel num_threads(static_cast<int>(tasks))
    // clang-format on
    {
      int64_t t = omp_get_thread_num(), T = omp_get_num_threads();
      int64_t chunk = (n + T - 1) / T, b = t * chunk, e = std::min(n, b + chunk);
      if (b < e) f(b, e);
    }
    return;
  }
#endif
  if (n > 0) f(0, n);
}

// Partial results over [0, n) kept per chunk and added in chunk order are the same at any thread count
// when the chunks depend on n and the grain alone: num_chunks gives that count (at most kMaxChunks, so
// combining them costs nothing), parallel_chunks calls f(chunk, begin, end) for each, across the threads.
constexpr int64_t kMaxChunks = 64;
inline int64_t num_chunks(int64_t n, int64_t grain) {
  return std::clamp<int64_t>((n + grain - 1) / std::max<int64_t>(grain, 1), 1, kMaxChunks);
}
template <class F>
void parallel_chunks(int64_t n, int64_t chunks, const F& f) {
  const int64_t size = (n + chunks - 1) / chunks;
  parallel_for(chunks, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c)
      if (c * size < n) f(c, c * size, std::min(n, (c + 1) * size));
  });
}

// N operands (operand 0 is usually the output) walking one shape.
template <int N>
struct StridedLoop {
  int ndim = 0;
  int64_t numel = 1;
  int64_t shape[kMaxDims];
  int64_t strides[N][kMaxDims];

  StridedLoop(const Shape& sh, const std::array<Shape, N>& st) {
    init(static_cast<int>(sh.size()), sh.data(), [&](int k, int d) { return st[k][d]; });
  }
  // The elementwise kernels' form: no vector built per call.
  explicit StridedLoop(const LoopGeom<N>& g) {
    init(g.ndim, g.shape, [&](int k, int d) { return g.strides[k][d]; });
  }

  // st(k, d): operand k's stride along dim d of sh[0, nd).
  template <class Stride>
  void init(int nd, const int64_t* sh, const Stride& st) {
    // Drop size-1 dims, then merge neighbours that are contiguous with each other in every operand.
    for (int d = 0; d < nd; ++d) {
      numel *= sh[d];
      if (sh[d] == 1) continue;
      if (ndim > 0) {
        bool merge = true;
        for (int k = 0; k < N; ++k)
          if (strides[k][ndim - 1] != st(k, d) * sh[d]) merge = false;
        if (merge) {
          shape[ndim - 1] *= sh[d];
          for (int k = 0; k < N; ++k) strides[k][ndim - 1] = st(k, d);
          continue;
        }
      }
      shape[ndim] = sh[d];
      for (int k = 0; k < N; ++k) strides[k][ndim] = st(k, d);
      ++ndim;
    }
    if (ndim == 0) {  // a single element
      shape[0] = 1;
      for (int k = 0; k < N; ++k) strides[k][0] = 1;
      ndim = 1;
    }
  }

  // Calls row(offsets[N], n, inner_strides[N]) for each run of the innermost dim in [begin, end).
  template <class F>
  void run(int64_t begin, int64_t end, const F& row) const {
    int64_t idx[kMaxDims];
    int64_t off[N] = {};
    int64_t rem = begin;
    for (int d = ndim - 1; d >= 0; --d) {
      idx[d] = rem % shape[d];
      rem /= shape[d];
      for (int k = 0; k < N; ++k) off[k] += idx[d] * strides[k][d];
    }
    int64_t inner[N];
    for (int k = 0; k < N; ++k) inner[k] = strides[k][ndim - 1];
    int64_t pos = begin;
    while (pos < end) {
      int64_t n = std::min(shape[ndim - 1] - idx[ndim - 1], end - pos);
      row(off, n, inner);
      pos += n;
      // advance the multi-index by n (the innermost dim wraps to 0, carry outward)
      for (int k = 0; k < N; ++k) off[k] += n * inner[k];
      idx[ndim - 1] += n;
      for (int d = ndim - 1; d > 0 && idx[d] == shape[d]; --d) {
        for (int k = 0; k < N; ++k) off[k] += strides[k][d - 1] - shape[d] * strides[k][d];
        idx[d] = 0;
        ++idx[d - 1];
      }
    }
  }

  template <class F>
  void parallel_run(const F& row) const {
    parallel_for(numel, kGrain, [&](int64_t b, int64_t e) { run(b, e, row); });
  }
};

RB_CPU_NAMESPACE_END
