// CPU kernels of the fused optimizer updates (see optim.h). Each mirrors one torch.optim
// single-tensor step, operation by operation, so trajectories agree to float rounding.
// Contraction is off in this file and the fused multiply-adds are explicit, where ATen's kernels have
// them: add with alpha, lerp and addcmul (self + (value * t1) * t2) fuse; addcdiv rounds the quotient.
// Only sqrt differs: ATen's float sqrt (MKL VML) is not always correctly rounded (1 ulp).
#pragma GCC optimize("fp-contract=off")
#include "optim.h"

#include <algorithm>
#include <cmath>

#include "loops.h"

namespace rb::cpu {
namespace {

// Parameters are small next to the work of a step's ops; split only when a chunk pays for a thread.
constexpr int64_t kOptimGrain = 1 << 16;

// ATen's lerp: start + w * (end - start) for |w| < 0.5, else end + (w - 1) * (end - start), one fma.
template <class T>
inline T lerp(T start, T end, T w) {
  return std::abs(w) < T(0.5) ? std::fma(w, end - start, start) : std::fma(w - T(1), end - start, end);
}

// The gradient after maximize and (coupled) weight decay: grad.add(param, alpha=weight_decay).
template <class T>
inline T effective_grad(T g, T p, bool maximize, bool decay, T wd) {
  if (maximize) g = -g;
  return decay ? std::fma(p, wd, g) : g;
}

}  // namespace

template <class T>
void sgd_step(T* p, const T* g, T* buf, int64_t n, const SgdArgs& a) {
  const T wd = T(a.weight_decay), mom = T(a.momentum), keep = T(1 - a.dampening), neg_lr = T(-a.lr);
  const bool decay = a.weight_decay != 0, use_mom = a.momentum != 0;
  parallel_for(n, kOptimGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T d = effective_grad(g[i], p[i], a.maximize, decay, wd);
      if (use_mom) {
        T m = a.first_step ? d : std::fma(d, keep, buf[i] * mom);
        buf[i] = m;
        d = a.nesterov ? std::fma(m, mom, d) : m;
      }
      p[i] = std::fma(d, neg_lr, p[i]);
    }
  });
}

template <class T>
void adam_step(T* p, const T* g, T* m, T* v, T* vmax, int64_t n, const AdamArgs& a) {
  const T wd = T(a.weight_decay), shrink = T(1 - a.lr * a.weight_decay), w1 = T(1 - a.beta1), b2 = T(a.beta2),
          w2 = T(1 - a.beta2), eps = T(a.eps), bc2 = T(a.bias_correction2_sqrt), neg_step = T(-a.step_size);
  const bool coupled = a.weight_decay != 0 && !a.decoupled, decoupled = a.weight_decay != 0 && a.decoupled;
  parallel_for(n, kOptimGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T pi = p[i];
      T d = effective_grad(g[i], pi, a.maximize, coupled, wd);
      if (decoupled) pi = pi * shrink;
      T mi = lerp(m[i], d, w1);
      T vi = std::fma(w2 * d, d, v[i] * b2);
      m[i] = mi, v[i] = vi;
      if (a.amsgrad) {
        vi = std::max(vmax[i], vi);
        vmax[i] = vi;
      }
      T denom = std::sqrt(vi) / bc2 + eps;
      p[i] = pi + neg_step * mi / denom;
    }
  });
}

template <class T>
void adagrad_step(T* p, const T* g, T* sum, int64_t n, const AdagradArgs& a) {
  const T wd = T(a.weight_decay), eps = T(a.eps), neg_clr = T(-a.clr);
  const bool decay = a.weight_decay != 0;
  parallel_for(n, kOptimGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T d = effective_grad(g[i], p[i], a.maximize, decay, wd);
      T s = std::fma(d, d, sum[i]);
      sum[i] = s;
      p[i] = p[i] + neg_clr * d / (std::sqrt(s) + eps);
    }
  });
}

template <class T>
void adadelta_step(T* p, const T* g, T* sq, T* acc, int64_t n, const AdadeltaArgs& a) {
  const T wd = T(a.weight_decay), rho = T(a.rho), w = T(1 - a.rho), eps = T(a.eps), neg_lr = T(-a.lr);
  const bool decay = a.weight_decay != 0;
  parallel_for(n, kOptimGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T d = effective_grad(g[i], p[i], a.maximize, decay, wd);
      T s = std::fma(w * d, d, sq[i] * rho);
      sq[i] = s;
      T std_ = std::sqrt(s + eps);
      T delta = std::sqrt(acc[i] + eps) / std_ * d;
      acc[i] = std::fma(w * delta, delta, acc[i] * rho);
      p[i] = std::fma(delta, neg_lr, p[i]);
    }
  });
}

template <class T>
void rmsprop_step(T* p, const T* g, T* sq, T* gavg, T* buf, int64_t n, const RmspropArgs& a) {
  const T wd = T(a.weight_decay), alpha = T(a.alpha), w = T(1 - a.alpha), eps = T(a.eps), mom = T(a.momentum),
          neg_lr = T(-a.lr);
  const bool decay = a.weight_decay != 0, use_mom = a.momentum > 0;
  parallel_for(n, kOptimGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T d = effective_grad(g[i], p[i], a.maximize, decay, wd);
      T s = std::fma(w * d, d, sq[i] * alpha);
      sq[i] = s;
      T avg;
      if (a.centered) {
        T ga = lerp(gavg[i], d, w);
        gavg[i] = ga;
        avg = std::sqrt(std::fma(-ga, ga, s));
      } else {
        avg = std::sqrt(s);
      }
      avg = avg + eps;
      if (use_mom) {
        T bi = buf[i] * mom + T(1) * d / avg;
        buf[i] = bi;
        p[i] = std::fma(bi, neg_lr, p[i]);
      } else {
        p[i] = p[i] + neg_lr * d / avg;
      }
    }
  });
}

template <class T>
void nadam_step(T* p, const T* g, T* m, T* v, int64_t n, const NadamArgs& a) {
  const T wd = T(a.weight_decay), shrink = T(1 - a.lr * a.weight_decay), w1 = T(1 - a.beta1), b2 = T(a.beta2),
          w2 = T(1 - a.beta2), eps = T(a.eps), bc2 = T(a.bias_correction2), cg = T(a.grad_coef), cm = T(a.avg_coef);
  const bool coupled = a.weight_decay != 0 && !a.decoupled, decoupled = a.weight_decay != 0 && a.decoupled;
  parallel_for(n, kOptimGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T pi = p[i];
      T d = effective_grad(g[i], pi, a.maximize, coupled, wd);
      if (decoupled) pi = pi * shrink;
      T mi = lerp(m[i], d, w1);
      T vi = std::fma(w2 * d, d, v[i] * b2);
      m[i] = mi, v[i] = vi;
      T denom = std::sqrt(vi / bc2) + eps;
      pi = pi + cg * d / denom;
      p[i] = pi + cm * mi / denom;
    }
  });
}

#define RB_OPTIM_INSTANTIATE(T)                                                             \
  template void sgd_step<T>(T*, const T*, T*, int64_t, const SgdArgs&);                     \
  template void adam_step<T>(T*, const T*, T*, T*, T*, int64_t, const AdamArgs&);           \
  template void adagrad_step<T>(T*, const T*, T*, int64_t, const AdagradArgs&);             \
  template void adadelta_step<T>(T*, const T*, T*, T*, int64_t, const AdadeltaArgs&);       \
  template void rmsprop_step<T>(T*, const T*, T*, T*, T*, int64_t, const RmspropArgs&);     \
  template void nadam_step<T>(T*, const T*, T*, T*, int64_t, const NadamArgs&);
RB_OPTIM_INSTANTIATE(float)
RB_OPTIM_INSTANTIATE(double)
#undef RB_OPTIM_INSTANTIATE

}  // namespace rb::cpu
