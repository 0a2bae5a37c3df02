// CPU embedding: the lookup copies rows (threads over looked-up rows); the backward walks every
// index once per column block, each thread adding into its own columns of dweight, so the result
// does not depend on the thread count; renorm scales each distinct row named at most once.
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

void embedding_forward(const Tensor& weight, const Tensor& idx, Tensor& out) {
  const int64_t n = idx.numel(), D = weight.size(1);
  const size_t row_bytes = static_cast<size_t>(D) * weight.itemsize();
  const char* pw = static_cast<const char*>(weight.raw_data());
  const int64_t* pi = static_cast<const int64_t*>(idx.raw_data());
  char* po = static_cast<char*>(out.raw_data());
  parallel_for(n, grain_for(D), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) std::memcpy(po + i * row_bytes, pw + pi[i] * row_bytes, row_bytes);
  });
}

void embedding_backward(const Tensor& dout, const Tensor& idx, int64_t padding_idx, bool scale_grad_by_freq,
                        Tensor& dweight) {
  const int64_t n = idx.numel(), V = dweight.size(0), D = dweight.size(1);
  const int64_t* pi = static_cast<const int64_t*>(idx.raw_data());
  std::vector<int64_t> count;
  if (scale_grad_by_freq) {
    count.assign(V, 0);
    for (int64_t i = 0; i < n; ++i) ++count[pi[i]];
  }
  RB_DISPATCH_FLOATING(dweight.dtype(), "embedding_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout.raw_data());
    T* pd = static_cast<T*>(dweight.raw_data());
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

void embedding_renorm(Tensor& weight, const Tensor& idx, double max_norm, double norm_type) {
  const int64_t n = idx.numel(), D = weight.size(1);
  const int64_t* pi = static_cast<const int64_t*>(idx.raw_data());
  std::vector<int64_t> rows(pi, pi + n);
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  RB_DISPATCH_FLOATING(weight.dtype(), "embedding_renorm_", [&] {
    using T = scalar_t;
    T* pw = static_cast<T*>(weight.raw_data());
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

}  // namespace

template <>
const EmbeddingKernels& kernels<EmbeddingKernels>() {
  static const EmbeddingKernels table = {&embedding_forward, &embedding_backward, &embedding_renorm};
  return table;
}

}  // namespace rb::cpu
