// CPU batch normalization: each channel is a set of N runs of L contiguous values. Statistics and
// the backward reductions go channel by channel (threads over channels); normalization goes plane
// by plane (threads over N*C), so both stay parallel when C is small.
#include "norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "loops.h"

RB_CPU_NAMESPACE_BEGIN

void batch_norm_stats(const Tensor& x, int64_t N, int64_t C, int64_t L, double* mean, double* var) {
  RB_DISPATCH_FLOATING(x.dtype(), "batch_norm", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    const double M = static_cast<double>(N * L);
    parallel_for(C, grain_for(N * L), [&](int64_t b, int64_t e) {
      for (int64_t c = b; c < e; ++c) {
        double s = 0, ss = 0;
        for (int64_t n = 0; n < N; ++n) {
          const T* row = px + (n * C + c) * L;
          for (int64_t l = 0; l < L; ++l) {
            double v = row[l];
            s += v;
            ss += v * v;
          }
        }
        double m = s / M;
        mean[c] = m;
        var[c] = std::max(0.0, ss / M - m * m);
      }
    });
  });
}

void batch_norm_forward(const Tensor& x, int64_t N, int64_t C, int64_t L, const double* mean, const double* invstd,
                        const Tensor& weight, const Tensor& bias, Tensor& y) {
  RB_DISPATCH_FLOATING(x.dtype(), "batch_norm", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    const T* pw = weight.defined() ? static_cast<const T*>(weight.raw_data()) : nullptr;
    const T* pb = bias.defined() ? static_cast<const T*>(bias.raw_data()) : nullptr;
    T* py = static_cast<T*>(y.raw_data());
    parallel_for(N * C, grain_for(L), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        int64_t c = p % C;
        // y = x * a + k, with a and k folded per channel.
        T a = static_cast<T>(invstd[c] * (pw ? static_cast<double>(pw[c]) : 1.0));
        T k = static_cast<T>((pb ? static_cast<double>(pb[c]) : 0.0) - mean[c] * static_cast<double>(a));
        const T* xr = px + p * L;
        T* yr = py + p * L;
        for (int64_t l = 0; l < L; ++l) yr[l] = xr[l] * a + k;
      }
    });
  });
}

void batch_norm_backward(const Tensor& dy, const Tensor& x, int64_t N, int64_t C, int64_t L, const double* mean,
                         const double* invstd, const Tensor& weight, bool training, Tensor* dx, Tensor* dweight,
                         Tensor* dbias) {
  RB_DISPATCH_FLOATING(x.dtype(), "batch_norm_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dy.raw_data());
    const T* px = static_cast<const T*>(x.raw_data());
    const T* pw = weight.defined() ? static_cast<const T*>(weight.raw_data()) : nullptr;
    // Per channel: sum(dy) and sum(dy * (x - mean)).
    std::vector<double> sg(C), sgx(C);
    parallel_for(C, grain_for(N * L), [&](int64_t b, int64_t e) {
      for (int64_t c = b; c < e; ++c) {
        double s = 0, sx = 0, m = mean[c];
        for (int64_t n = 0; n < N; ++n) {
          const T* gr = pg + (n * C + c) * L;
          const T* xr = px + (n * C + c) * L;
          for (int64_t l = 0; l < L; ++l) {
            double g = gr[l];
            s += g;
            sx += g * (static_cast<double>(xr[l]) - m);
          }
        }
        sg[c] = s, sgx[c] = sx;
      }
    });
    if (dweight) {
      T* p = static_cast<T*>(dweight->raw_data());
      for (int64_t c = 0; c < C; ++c) p[c] = static_cast<T>(sgx[c] * invstd[c]);
    }
    if (dbias) {
      T* p = static_cast<T*>(dbias->raw_data());
      for (int64_t c = 0; c < C; ++c) p[c] = static_cast<T>(sg[c]);
    }
    if (!dx) return;
    T* pd = static_cast<T*>(dx->raw_data());
    const double M = static_cast<double>(N * L);
    parallel_for(N * C, grain_for(L), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        int64_t c = p % C;
        double w = pw ? static_cast<double>(pw[c]) : 1.0, is = invstd[c];
        const T* gr = pg + p * L;
        T* dr = pd + p * L;
        if (!training) {
          T a = static_cast<T>(w * is);
          for (int64_t l = 0; l < L; ++l) dr[l] = gr[l] * a;
          continue;
        }
        // dx = a * dy + k1 * x + k0, the closed form with xhat = (x - mean) * invstd expanded.
        const T* xr = px + p * L;
        double a = w * is, gm = sg[c] / M, proj = sgx[c] / M * is * is;
        T ta = static_cast<T>(a), k1 = static_cast<T>(-a * proj), k0 = static_cast<T>(a * (proj * mean[c] - gm));
        for (int64_t l = 0; l < L; ++l) dr[l] = gr[l] * ta + xr[l] * k1 + k0;
      }
    });
  });
}

extern const NormKernels norm_kernels = {&batch_norm_stats, &batch_norm_forward, &batch_norm_backward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(NormKernels, norm_kernels)
