// CPU kernels of the fused optimizer updates (see optim.h). Each mirrors one torch.optim
// single-tensor step, operation by operation, so trajectories agree to float rounding.
// Contraction is off in this file and the fused multiply-adds are explicit, where ATen's kernels have
// them: add with alpha, lerp and addcmul (self + (value * t1) * t2) fuse; addcdiv rounds the quotient.
// Only sqrt differs: ATen's float sqrt (MKL VML) is not always correctly rounded (1 ulp).
// CMakeLists.txt compiles this file with -ffp-contract=off -fno-math-errno (sqrt then vectorizes).
#include "optim.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

// A step is a handful of flops per element: split only when a chunk pays for a thread.
constexpr int64_t kOptimGrain = 1 << 16;

// ATen's lerp with a scalar weight: start + w * (end - start) for |w| < 0.5, else
// end + (w - 1) * (end - start), each one fma. The branch depends on w only, so it is decided once.
template <class T>
struct Lerp {
  T coef;
  bool from_start;
  explicit Lerp(T w) : coef(std::abs(w) < T(0.5) ? w : w - T(1)), from_start(std::abs(w) < T(0.5)) {}
  T operator()(T start, T end) const { return std::fma(coef, end - start, from_start ? start : end); }
};

// The gradient after maximize (sign is +-1, so the product is exact) and coupled weight decay,
// grad.add(param, alpha=weight_decay), which torch skips when weight_decay == 0.
template <bool kDecay, class T>
inline T effective_grad(T g, T p, T sign, T wd) {
  g = g * sign;
  return kDecay ? std::fma(p, wd, g) : g;
}

// Calls f(std::bool_constant<b>...) so that each option combination is its own branch-free loop.
template <class F>
void with_flags(F&& f) {
  f();
}
template <class F, class... B>
void with_flags(F&& f, bool b, B... rest) {
  if (b)
    with_flags([&](auto... xs) { f(std::true_type{}, xs...); }, rest...);
  else
    with_flags([&](auto... xs) { f(std::false_type{}, xs...); }, rest...);
}

// The loops below take their constants by value and their arrays as __restrict, so nothing in the
// loop can alias what the loop writes and the compiler vectorizes it.
template <class T, bool kDecay, bool kMomentum, bool kFirst, bool kNesterov>
void sgd_range(T* __restrict p, const T* __restrict g, T* __restrict buf, int64_t b, int64_t e, SgdArgs a) {
  const T wd = T(a.weight_decay), mom = T(a.momentum), keep = T(1 - a.dampening), neg_lr = T(-a.lr),
          sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T d = effective_grad<kDecay>(g[i], p[i], sign, wd);
    if (kMomentum) {
      T m = kFirst ? d : std::fma(d, keep, buf[i] * mom);
      buf[i] = m;
      d = kNesterov ? std::fma(m, mom, d) : m;
    }
    p[i] = std::fma(d, neg_lr, p[i]);
  }
}

template <class T, bool kCoupled, bool kDecoupled, bool kAmsgrad>
void adam_range(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, T* __restrict vmax, int64_t b,
                int64_t e, AdamArgs a) {
  const T wd = T(a.weight_decay), shrink = T(1 - a.lr * a.weight_decay), b2 = T(a.beta2), w2 = T(1 - a.beta2),
          eps = T(a.eps), bc2 = T(a.bias_correction2_sqrt), neg_step = T(-a.step_size);
  const Lerp<T> lerp(T(1 - a.beta1));
  const T sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T pi = p[i];
    T d = effective_grad<kCoupled>(g[i], pi, sign, wd);
    if (kDecoupled) pi = pi * shrink;
    T mi = lerp(m[i], d);
    T vi = std::fma(w2 * d, d, v[i] * b2);
    m[i] = mi, v[i] = vi;
    if (kAmsgrad) {
      vi = std::max(vmax[i], vi);
      vmax[i] = vi;
    }
    T denom = std::sqrt(vi) / bc2 + eps;
    p[i] = pi + neg_step * mi / denom;
  }
}

template <class T, bool kDecay>
void adagrad_range(T* __restrict p, const T* __restrict g, T* __restrict sum, int64_t b, int64_t e, AdagradArgs a) {
  const T wd = T(a.weight_decay), eps = T(a.eps), neg_clr = T(-a.clr), sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T d = effective_grad<kDecay>(g[i], p[i], sign, wd);
    T s = std::fma(d, d, sum[i]);
    sum[i] = s;
    p[i] = p[i] + neg_clr * d / (std::sqrt(s) + eps);
  }
}

template <class T, bool kDecay>
void adadelta_range(T* __restrict p, const T* __restrict g, T* __restrict sq, T* __restrict acc, int64_t b, int64_t e,
                    AdadeltaArgs a) {
  const T wd = T(a.weight_decay), rho = T(a.rho), w = T(1 - a.rho), eps = T(a.eps), neg_lr = T(-a.lr),
          sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T d = effective_grad<kDecay>(g[i], p[i], sign, wd);
    T s = std::fma(w * d, d, sq[i] * rho);
    sq[i] = s;
    T delta = std::sqrt(acc[i] + eps) / std::sqrt(s + eps) * d;
    acc[i] = std::fma(w * delta, delta, acc[i] * rho);
    p[i] = std::fma(delta, neg_lr, p[i]);
  }
}

template <class T, bool kDecay, bool kCentered, bool kMomentum>
void rmsprop_range(T* __restrict p, const T* __restrict g, T* __restrict sq, T* __restrict gavg, T* __restrict buf,
                   int64_t b, int64_t e, RmspropArgs a) {
  const T wd = T(a.weight_decay), alpha = T(a.alpha), w = T(1 - a.alpha), eps = T(a.eps), mom = T(a.momentum),
          neg_lr = T(-a.lr);
  const Lerp<T> lerp(w);
  const T sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T d = effective_grad<kDecay>(g[i], p[i], sign, wd);
    T s = std::fma(w * d, d, sq[i] * alpha);
    sq[i] = s;
    T avg;
    if (kCentered) {
      T ga = lerp(gavg[i], d);
      gavg[i] = ga;
      avg = std::sqrt(std::fma(-ga, ga, s));
    } else {
      avg = std::sqrt(s);
    }
    avg = avg + eps;
    if (kMomentum) {
      T bi = buf[i] * mom + T(1) * d / avg;
      buf[i] = bi;
      p[i] = std::fma(bi, neg_lr, p[i]);
    } else {
      p[i] = p[i] + neg_lr * d / avg;
    }
  }
}

template <class T, bool kCoupled, bool kDecoupled>
void nadam_range(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, int64_t b, int64_t e,
                 NadamArgs a) {
  const T wd = T(a.weight_decay), shrink = T(1 - a.lr * a.weight_decay), b2 = T(a.beta2), w2 = T(1 - a.beta2),
          eps = T(a.eps), bc2 = T(a.bias_correction2), cg = T(a.grad_coef), cm = T(a.avg_coef);
  const Lerp<T> lerp(T(1 - a.beta1));
  const T sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T pi = p[i];
    T d = effective_grad<kCoupled>(g[i], pi, sign, wd);
    if (kDecoupled) pi = pi * shrink;
    T mi = lerp(m[i], d);
    T vi = std::fma(w2 * d, d, v[i] * b2);
    m[i] = mi, v[i] = vi;
    T denom = std::sqrt(vi / bc2) + eps;
    pi = pi + cg * d / denom;  // two addcdiv_ calls in torch: the sum is rounded in between
    p[i] = pi + cm * mi / denom;
  }
}

template <class T, bool kDecay>
void adamax_range(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict u, int64_t b, int64_t e,
                  AdamaxArgs a) {
  const T wd = T(a.weight_decay), b2 = T(a.beta2), eps = T(a.eps), neg_clr = T(-a.clr);
  const Lerp<T> lerp(T(1 - a.beta1));
  const T sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T d = effective_grad<kDecay>(g[i], p[i], sign, wd);
    T mi = lerp(m[i], d);
    // torch.maximum(exp_inf * beta2, |grad| + eps): a NaN on either side wins.
    T decayed = u[i] * b2, fresh = std::abs(d) + eps;
    T ui = (decayed > fresh || decayed != decayed) ? decayed : fresh;
    m[i] = mi, u[i] = ui;
    p[i] = p[i] + neg_clr * mi / ui;
  }
}

template <class T, bool kCoupled, bool kDecoupled, bool kRectified>
void radam_range(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, int64_t b, int64_t e,
                 RadamArgs a) {
  const T wd = T(a.weight_decay), shrink = T(1 - a.lr * a.weight_decay), b2 = T(a.beta2), w2 = T(1 - a.beta2),
          eps = T(a.eps), bc1 = T(a.bias_correction1), lr = T(a.lr), bc2 = T(a.bias_correction2_sqrt), rect = T(a.rect);
  const Lerp<T> lerp(T(1 - a.beta1));
  const T sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T pi = p[i];
    T d = effective_grad<kCoupled>(g[i], pi, sign, wd);
    if (kDecoupled) pi = pi * shrink;
    T mi = lerp(m[i], d);
    T vi = std::fma(w2 * d, d, v[i] * b2);
    m[i] = mi, v[i] = vi;
    T update = mi / bc1 * lr;
    // torch: bias_corrected_exp_avg * lr * (bc2_sqrt / (sqrt(v) + eps)) * rect, the scalar-over-tensor
    // division being reciprocal(t) * scalar.
    if (kRectified) update = update * (T(1) / (std::sqrt(vi) + eps) * bc2) * rect;
    p[i] = pi - update;
  }
}

template <class T>
void rprop_range(T* __restrict p, const T* __restrict g, T* __restrict prev, T* __restrict ss, int64_t b, int64_t e,
                 RpropArgs a) {
  const T etaminus = T(a.etaminus), etaplus = T(a.etaplus), lo = T(a.step_size_min), hi = T(a.step_size_max),
          sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T d = g[i] * sign;
    T prod = d * prev[i];
    // sign(grad * prev) mapped to etaplus / etaminus / 1 (a NaN product has sign 0).
    T factor = prod > T(0) ? etaplus : (prod < T(0) ? etaminus : T(1));
    T s = std::min(std::max(ss[i] * factor, lo), hi);  // clamp_, NaN-propagating as ATen's
    ss[i] = s;
    if (factor == etaminus) d = T(0);  // torch: grad[sign.eq(etaminus)] = 0
    T sg = T(T(0) < d) - T(d < T(0));
    p[i] = std::fma(-sg, s, p[i]);
    prev[i] = d;
  }
}

// torch's single-tensor ASGD: param.mul_(1 - lambd * eta), then param.add_(grad, alpha=-eta) (one fma), then
// ax.add_(param.sub(ax).mul_(mu)), three roundings, or ax.copy_(param) while mu is 1.
template <class T, bool kDecay, bool kAverage>
void asgd_range(T* __restrict p, const T* __restrict g, T* __restrict ax, int64_t b, int64_t e, AsgdArgs a) {
  const T wd = T(a.weight_decay), keep = T(a.keep), neg_eta = T(-a.eta), mu = T(a.mu), sign = a.maximize ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T d = effective_grad<kDecay>(g[i], p[i], sign, wd);
    T q = std::fma(d, neg_eta, p[i] * keep);
    p[i] = q;
    ax[i] = kAverage ? ax[i] + (q - ax[i]) * mu : q;
  }
}

}  // namespace

template <class T>
void sgd_step(T* p, const T* g, T* buf, int64_t n, const SgdArgs& a) {
  bool mom = a.momentum != 0;
  with_flags(
      [&](auto decay, auto momentum, auto first, auto nesterov) {
        parallel_for(n, kOptimGrain,
                     [=](int64_t b, int64_t e) { sgd_range<T, decay, momentum, first, nesterov>(p, g, buf, b, e, a); });
      },
      a.weight_decay != 0, mom, mom && a.first_step, mom && a.nesterov);
}

template <class T>
void adam_step(T* p, const T* g, T* m, T* v, T* vmax, int64_t n, const AdamArgs& a) {
  bool decay = a.weight_decay != 0;
  with_flags(
      [&](auto coupled, auto decoupled, auto amsgrad) {
        parallel_for(n, kOptimGrain, [=](int64_t b, int64_t e) {
          adam_range<T, coupled, decoupled, amsgrad>(p, g, m, v, vmax, b, e, a);
        });
      },
      decay && !a.decoupled, decay && a.decoupled, a.amsgrad);
}

template <class T>
void adagrad_step(T* p, const T* g, T* sum, int64_t n, const AdagradArgs& a) {
  with_flags(
      [&](auto decay) {
        parallel_for(n, kOptimGrain, [=](int64_t b, int64_t e) { adagrad_range<T, decay>(p, g, sum, b, e, a); });
      },
      a.weight_decay != 0);
}

template <class T>
void adadelta_step(T* p, const T* g, T* sq, T* acc, int64_t n, const AdadeltaArgs& a) {
  with_flags(
      [&](auto decay) {
        parallel_for(n, kOptimGrain, [=](int64_t b, int64_t e) { adadelta_range<T, decay>(p, g, sq, acc, b, e, a); });
      },
      a.weight_decay != 0);
}

template <class T>
void rmsprop_step(T* p, const T* g, T* sq, T* gavg, T* buf, int64_t n, const RmspropArgs& a) {
  with_flags(
      [&](auto decay, auto centered, auto momentum) {
        parallel_for(n, kOptimGrain, [=](int64_t b, int64_t e) {
          rmsprop_range<T, decay, centered, momentum>(p, g, sq, gavg, buf, b, e, a);
        });
      },
      a.weight_decay != 0, a.centered, a.momentum > 0);
}

template <class T>
void nadam_step(T* p, const T* g, T* m, T* v, int64_t n, const NadamArgs& a) {
  bool decay = a.weight_decay != 0;
  with_flags(
      [&](auto coupled, auto decoupled) {
        parallel_for(n, kOptimGrain,
                     [=](int64_t b, int64_t e) { nadam_range<T, coupled, decoupled>(p, g, m, v, b, e, a); });
      },
      decay && !a.decoupled, decay && a.decoupled);
}

template <class T>
void adamax_step(T* p, const T* g, T* m, T* u, int64_t n, const AdamaxArgs& a) {
  with_flags(
      [&](auto decay) {
        parallel_for(n, kOptimGrain, [=](int64_t b, int64_t e) { adamax_range<T, decay>(p, g, m, u, b, e, a); });
      },
      a.weight_decay != 0);
}

template <class T>
void radam_step(T* p, const T* g, T* m, T* v, int64_t n, const RadamArgs& a) {
  bool decay = a.weight_decay != 0;
  with_flags(
      [&](auto coupled, auto decoupled, auto rectified) {
        parallel_for(n, kOptimGrain,
                     [=](int64_t b, int64_t e) { radam_range<T, coupled, decoupled, rectified>(p, g, m, v, b, e, a); });
      },
      decay && !a.decoupled, decay && a.decoupled, a.rectified);
}

template <class T>
void rprop_step(T* p, const T* g, T* prev, T* ss, int64_t n, const RpropArgs& a) {
  parallel_for(n, kOptimGrain, [=](int64_t b, int64_t e) { rprop_range<T>(p, g, prev, ss, b, e, a); });
}

template <class T>
void asgd_step(T* p, const T* g, T* ax, int64_t n, const AsgdArgs& a) {
  with_flags(
      [&](auto decay, auto average) {
        parallel_for(n, kOptimGrain, [=](int64_t b, int64_t e) { asgd_range<T, decay, average>(p, g, ax, b, e, a); });
      },
      a.weight_decay != 0, a.average);
}

#define RB_OPTIM_INSTANTIATE(T)                                                         \
  template void sgd_step<T>(T*, const T*, T*, int64_t, const SgdArgs&);                 \
  template void adam_step<T>(T*, const T*, T*, T*, T*, int64_t, const AdamArgs&);       \
  template void adagrad_step<T>(T*, const T*, T*, int64_t, const AdagradArgs&);         \
  template void adadelta_step<T>(T*, const T*, T*, T*, int64_t, const AdadeltaArgs&);   \
  template void rmsprop_step<T>(T*, const T*, T*, T*, T*, int64_t, const RmspropArgs&); \
  template void nadam_step<T>(T*, const T*, T*, T*, int64_t, const NadamArgs&);         \
  template void adamax_step<T>(T*, const T*, T*, T*, int64_t, const AdamaxArgs&);       \
  template void radam_step<T>(T*, const T*, T*, T*, int64_t, const RadamArgs&);         \
  template void rprop_step<T>(T*, const T*, T*, T*, int64_t, const RpropArgs&);         \
  template void asgd_step<T>(T*, const T*, T*, int64_t, const AsgdArgs&);
RB_OPTIM_INSTANTIATE(float)
RB_OPTIM_INSTANTIATE(double)
#undef RB_OPTIM_INSTANTIATE

extern const OptimKernels<float> optim_kernels_f32 = {
    &sgd_step<float>,   &adam_step<float>,   &adagrad_step<float>, &adadelta_step<float>, &rmsprop_step<float>,
    &nadam_step<float>, &adamax_step<float>, &radam_step<float>,   &rprop_step<float>,    &asgd_step<float>};
extern const OptimKernels<double> optim_kernels_f64 = {
    &sgd_step<double>,   &adam_step<double>,   &adagrad_step<double>, &adadelta_step<double>, &rmsprop_step<double>,
    &nadam_step<double>, &adamax_step<double>, &radam_step<double>,   &rprop_step<double>,    &asgd_step<double>};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(OptimKernels<float>, optim_kernels_f32)
RB_CPU_DISPATCH(OptimKernels<double>, optim_kernels_f64)
