// CPU embedding: the lookup copies rows (threads over looked-up rows); the backward walks every
// index once per column block, each thread adding into its own columns of dweight, so the result
// does not depend on the thread count; renorm scales each distinct row named at most once. Bags:
// the forward goes bag by bag (threads over bags), the backward by column blocks as the lookup's.
// Compiled once, as baseline code: the lookup is memcpy, and std::sort's instantiation would carry
// AVX code out of a per-capability copy (tools/check_isa.py).
#include "embedding.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "loops.h"

namespace rb::cpu {
namespace {

// weight: (V, D), idx: (n) -> out: (n, D).
void embedding_forward(const EmbeddingGeom& g, const void* weight, const int64_t* pi, void* out) {
  const int64_t n = g.n, D = g.D;
  const size_t row_bytes = static_cast<size_t>(D) * itemsize(g.dtype);
  const char* pw = static_cast<const char*>(weight);
  char* po = static_cast<char*>(out);
  parallel_for(n, grain_for(D), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) std::memcpy(po + i * row_bytes, pw + pi[i] * row_bytes, row_bytes);
  });
}

// dout: (n, D), idx: (n) -> dweight: (V, D).
void embedding_backward(const EmbeddingGeom& g, const void* dout, const int64_t* pi, void* dweight) {
  const int64_t n = g.n, V = g.V, D = g.D, padding_idx = g.padding_idx;
  const bool scale_grad_by_freq = g.scale_grad_by_freq;
  std::vector<int64_t> count;
  if (scale_grad_by_freq) {
    count.assign(V, 0);
    for (int64_t i = 0; i < n; ++i) ++count[pi[i]];
  }
  RB_DISPATCH_FLOATING(g.dtype, "embedding_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout);
    T* pd = static_cast<T*>(dweight);
    std::fill(pd, pd + V * D, T(0));
    constexpr int64_t kBlock = 64;
    parallel_for((D + kBlock - 1) / kBlock, grain_for(n * kBlock), [&](int64_t b, int64_t e) {
      for (int64_t blk = b; blk < e; ++blk) {
        const int64_t j0 = blk * kBlock, nb = std::min(kBlock, D - j0);
        for (int64_t i = 0; i < n; ++i) {
          const int64_t v = pi[i];
          if (v == padding_idx) continue;
          const T s = scale_grad_by_freq ? T(1) / static_cast<T>(count[v]) : T(1);
          const T* gr = pg + i * D + j0;
          T* dr = pd + v * D + j0;
          for (int64_t j = 0; j < nb; ++j) dr[j] += gr[j] * s;
        }
      }
    });
  });
}

// weight: (V, D), idx: (n).
void embedding_renorm(const EmbeddingGeom& g, void* weight, const int64_t* pi, double max_norm, double norm_type) {
  const int64_t n = g.n, D = g.D;
  std::vector<int64_t> rows(pi, pi + n);
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  RB_DISPATCH_FLOATING(g.dtype, "embedding_renorm_", [&] {
    using T = scalar_t;
    T* pw = static_cast<T*>(weight);
    parallel_for(static_cast<int64_t>(rows.size()), grain_for(D), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        T* row = pw + rows[r] * D;
        double norm = 0;
        if (std::isinf(norm_type)) {
          for (int64_t j = 0; j < D; ++j) norm = std::max(norm, std::abs(static_cast<double>(row[j])));
        } else if (norm_type == 1) {
          for (int64_t j = 0; j < D; ++j) norm += std::abs(static_cast<double>(row[j]));
        } else if (norm_type == 2) {
          for (int64_t j = 0; j < D; ++j) norm += static_cast<double>(row[j]) * row[j];
          norm = std::sqrt(norm);
        } else {
          for (int64_t j = 0; j < D; ++j) norm += std::pow(std::abs(static_cast<double>(row[j])), norm_type);
          norm = std::pow(norm, 1.0 / norm_type);
        }
        if (norm > max_norm) {
          const T s = static_cast<T>(max_norm / (norm + 1e-7));
          for (int64_t j = 0; j < D; ++j) row[j] *= s;
        }
      }
    });
  });
}

// weight: (V, D), idx: (n), bounds: (B + 1), psw: (n) or null -> out: (B, D), argmax: (B, D) or null.
void embedding_bag_forward(const EmbeddingGeom& g, const void* weight, const int64_t* pi, const int64_t* pbd,
                           const void* psw, void* out, int64_t* pa) {
  const int64_t B = g.B, D = g.D, mode = g.mode, padding_idx = g.padding_idx;
  RB_DISPATCH_FLOATING(g.dtype, "embedding_bag", [&] {
    using T = scalar_t;
    const T* pw = static_cast<const T*>(weight);
    const T* ps = static_cast<const T*>(psw);
    T* po = static_cast<T*>(out);
    parallel_for(B, grain_for(D * 8), [&](int64_t b, int64_t e) {
      for (int64_t bag = b; bag < e; ++bag) {
        T* orow = po + bag * D;
        int64_t* arow = pa ? pa + bag * D : nullptr;
        std::fill(orow, orow + D, T(0));
        if (arow) std::fill(arow, arow + D, int64_t(-1));
        int64_t count = 0;
        for (int64_t i = pbd[bag]; i < pbd[bag + 1]; ++i) {
          const int64_t v = pi[i];
          if (v == padding_idx) continue;
          const T* wr = pw + v * D;
          if (mode == 2) {
            for (int64_t j = 0; j < D; ++j)
              if (count == 0 || wr[j] > orow[j]) orow[j] = wr[j], arow[j] = v;
          } else if (ps) {
            const T s = ps[i];
            for (int64_t j = 0; j < D; ++j) orow[j] += wr[j] * s;
          } else {
            for (int64_t j = 0; j < D; ++j) orow[j] += wr[j];
          }
          ++count;
        }
        if (mode == 1 && count > 1) {
          const T inv = T(1) / static_cast<T>(count);
          for (int64_t j = 0; j < D; ++j) orow[j] *= inv;
        }
      }
    });
  });
}

// dout: (B, D), idx: (n), bounds: (B + 1), psw: (n) or null, argmax: (B, D) (mode 2) -> dweight: (V, D).
void embedding_bag_backward(const EmbeddingGeom& g, const void* dout, const int64_t* pi, const int64_t* pbd,
                            const void* psw, const int64_t* pa, void* dweight) {
  const int64_t B = g.B, V = g.V, D = g.D, n = g.n, mode = g.mode, padding_idx = g.padding_idx;
  const bool scale_grad_by_freq = g.scale_grad_by_freq;
  std::vector<int64_t> freq;
  if (scale_grad_by_freq) {
    freq.assign(V, 0);
    for (int64_t i = 0; i < n; ++i) ++freq[pi[i]];
  }
  RB_DISPATCH_FLOATING(g.dtype, "embedding_bag_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout);
    const T* ps = static_cast<const T*>(psw);
    T* pd = static_cast<T*>(dweight);
    std::fill(pd, pd + V * D, T(0));
    if (mode == 2) {
      parallel_for(D, grain_for(B), [&](int64_t j0, int64_t j1) {
        for (int64_t bag = 0; bag < B; ++bag)
          for (int64_t j = j0; j < j1; ++j) {
            const int64_t v = pa[bag * D + j];
            if (v >= 0) pd[v * D + j] += pg[bag * D + j];
          }
      });
      return;
    }
    // Each bag's factor for mode 1: 1 / its entries other than padding_idx.
    std::vector<T> inv(B, T(1));
    if (mode == 1)
      for (int64_t bag = 0; bag < B; ++bag) {
        int64_t c = 0;
        for (int64_t i = pbd[bag]; i < pbd[bag + 1]; ++i) c += pi[i] != padding_idx;
        if (c > 0) inv[bag] = T(1) / static_cast<T>(c);
      }
    constexpr int64_t kBlock = 64;
    parallel_for((D + kBlock - 1) / kBlock, grain_for(n * kBlock), [&](int64_t b, int64_t e) {
      for (int64_t blk = b; blk < e; ++blk) {
        const int64_t j0 = blk * kBlock, nb = std::min(kBlock, D - j0);
        for (int64_t bag = 0; bag < B; ++bag) {
          const T* gr = pg + bag * D + j0;
          for (int64_t i = pbd[bag]; i < pbd[bag + 1]; ++i) {
            const int64_t v = pi[i];
            if (v == padding_idx) continue;
            T s = ps ? ps[i] : inv[bag];
            if (scale_grad_by_freq) s /= static_cast<T>(freq[v]);
            T* dr = pd + v * D + j0;
            for (int64_t j = 0; j < nb; ++j) dr[j] += gr[j] * s;
          }
        }
      }
    });
  });
}

}  // namespace

template <>
const EmbeddingKernels& kernels<EmbeddingKernels>() {
  static const EmbeddingKernels table = {&embedding_forward, &embedding_backward, &embedding_renorm,
                                         &embedding_bag_forward, &embedding_bag_backward};
  return table;
}

}  // namespace rb::cpu
