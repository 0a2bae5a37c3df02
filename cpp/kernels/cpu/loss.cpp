// CPU loss kernels: elementwise losses with their sum in one pass (double accumulators, one
// partial per thread), and the fused softmax + cross-entropy over (N, C, inner).
#include "loss.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include "activation.h"  // vexp
#include "loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

// f(begin, end, LossSums&) over [0, n) split in chunks, partial sums added in chunk order (the same at
// any thread count).
template <class F>
LossSums parallel_sums(int64_t n, int64_t grain, const F& f) {
  LossSums total;
  const int64_t chunks = num_chunks(n, grain);
  if (chunks == 1) {
    if (n > 0) f(0, n, total);
    return total;
  }
  std::vector<LossSums> part(chunks);
  parallel_chunks(n, chunks, [&](int64_t c, int64_t b, int64_t e) { f(b, e, part[c]); });
  for (const LossSums& p : part) total.loss += p.loss, total.weight += p.weight;
  return total;
}

// The upstream gradient of element i: per element (reduction none) or one value for all.
template <class T>
struct Grad {
  const T* p;
  bool scalar;
  T scale;
  Grad(const LossGeom& g, const void* dout, double s)
      : p(static_cast<const T*>(dout)), scalar(g.scalar_dout), scale(static_cast<T>(s)) {}
  T operator[](int64_t i) const { return (scalar ? p[0] : p[i]) * scale; }
};

template <class T>
inline T softplus_neg(T x) {  // log(1 + exp(-x)), stable for both signs
  return std::log1p(vexp(-std::abs(x))) + std::max(-x, T(0));
}

}  // namespace

// x, y, out: (n).
LossSums pointwise_loss_forward(const LossGeom& g, PointLoss k, const void* x, const void* y, double param, void* out) {
  return RB_DISPATCH_FLOATING(g.dtype, "loss", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *py = static_cast<const T*>(y);
    T* po = static_cast<T*>(out);
    const T b = static_cast<T>(param);
    auto run = [&](auto f) {
      return parallel_sums(g.n, kGrain, [&](int64_t s, int64_t e, LossSums& acc) {
        double sum = 0;
        for (int64_t i = s; i < e; ++i) {
          T l = f(px[i] - py[i]);
          if (po) po[i] = l;
          sum += l;
        }
        acc.loss += sum;
      });
    };
    switch (k) {
      case PointLoss::MSE: return run([](T d) { return d * d; });
      case PointLoss::L1: return run([](T d) { return std::abs(d); });
      case PointLoss::SmoothL1:
        if (b == T(0)) return run([](T d) { return std::abs(d); });
        return run([b](T d) {
          T a = std::abs(d);
          return a < b ? T(0.5) * d * d / b : a - T(0.5) * b;
        });
      case PointLoss::Huber:
        return run([b](T d) {
          T a = std::abs(d);
          return a < b ? T(0.5) * d * d : b * (a - T(0.5) * b);
        });
    }
    return LossSums{};
  });
}

// dout: (n) or one value; x, y, dx, dy: (n).
void pointwise_loss_backward(const LossGeom& geom, PointLoss k, const void* dout, double scale, const void* x,
                             const void* y, double param, void* dx, void* dy) {
  RB_DISPATCH_FLOATING(geom.dtype, "loss_backward", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *py = static_cast<const T*>(y);
    T *pdx = static_cast<T*>(dx), *pdy = static_cast<T*>(dy);
    Grad<T> g(geom, dout, scale);
    const T b = static_cast<T>(param);
    auto run = [&](auto f) {  // f(d) = dloss/dd; dy = -dx
      parallel_for(geom.n, kGrain, [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) {
          T v = g[i] * f(px[i] - py[i]);
          if (pdx) pdx[i] = v;
          if (pdy) pdy[i] = -v;
        }
      });
    };
    auto sign = [](T d) { return d > T(0) ? T(1) : (d < T(0) ? T(-1) : T(0)); };
    switch (k) {
      case PointLoss::MSE: return run([](T d) { return T(2) * d; });
      case PointLoss::L1: return run(sign);
      case PointLoss::SmoothL1:
        if (b == T(0)) return run(sign);
        return run([b, sign](T d) { return std::abs(d) < b ? d / b : sign(d); });
      case PointLoss::Huber: return run([b](T d) { return d < -b ? -b : (d > b ? b : d); });
    }
  });
}

// x, y, w, out: (n).
LossSums bce_forward(const LossGeom& g, const void* x, const void* y, const void* w, void* out) {
  return RB_DISPATCH_FLOATING(g.dtype, "binary_cross_entropy", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *py = static_cast<const T*>(y), *pw = static_cast<const T*>(w);
    T* po = static_cast<T*>(out);
    std::atomic<bool> bad{false};
    LossSums r = parallel_sums(g.n, kGrain, [&](int64_t s, int64_t e, LossSums& acc) {
      double sum = 0;
      bool b = false;
      for (int64_t i = s; i < e; ++i) {
        T v = px[i], t = py[i];
        b |= !(v >= T(0) && v <= T(1));
        T l = (t - T(1)) * std::max(std::log1p(-v), T(-100)) - t * std::max(std::log(v), T(-100));
        if (pw) l *= pw[i];
        if (po) po[i] = l;
        sum += l;
      }
      acc.loss += sum;
      if (b) bad = true;
    });
    RB_CHECK(!bad, Error, "all elements of input should be between 0 and 1");
    return r;
  });
}

// dout: (n) or one value; x, y, w, dx, dy: (n).
void bce_backward(const LossGeom& geom, const void* dout, double scale, const void* x, const void* y, const void* w,
                  void* dx, void* dy) {
  RB_DISPATCH_FLOATING(geom.dtype, "binary_cross_entropy_backward", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *py = static_cast<const T*>(y), *pw = static_cast<const T*>(w);
    T *pdx = static_cast<T*>(dx), *pdy = static_cast<T*>(dy);
    Grad<T> g(geom, dout, scale);
    parallel_for(geom.n, kGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) {
        T v = px[i], gi = g[i] * (pw ? pw[i] : T(1));
        // PyTorch's epsilon keeps the gradient finite at 0 and 1.
        if (pdx) pdx[i] = gi * (v - py[i]) / std::max((T(1) - v) * v, T(1e-12));
        if (pdy) pdy[i] = gi * (std::max(std::log1p(-v), T(-100)) - std::max(std::log(v), T(-100)));
      }
    });
  });
}

// x, y, w, pw, out: (n).
LossSums bce_logits_forward(const LossGeom& g, const void* x, const void* y, const void* w, const void* pw, void* out) {
  return RB_DISPATCH_FLOATING(g.dtype, "binary_cross_entropy_with_logits", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *py = static_cast<const T*>(y);
    const T *pww = static_cast<const T*>(w), *ppw = static_cast<const T*>(pw);
    T* po = static_cast<T*>(out);
    return parallel_sums(g.n, kGrain, [&](int64_t s, int64_t e, LossSums& acc) {
      double sum = 0;
      for (int64_t i = s; i < e; ++i) {
        T v = px[i], t = py[i];
        // (1 - y) x + L softplus(-x) with L = 1 + (pos_weight - 1) y; L = 1 without pos_weight.
        T L = ppw ? T(1) + (ppw[i] - T(1)) * t : T(1);
        T l = (T(1) - t) * v + L * softplus_neg(v);
        if (pww) l *= pww[i];
        if (po) po[i] = l;
        sum += l;
      }
      acc.loss += sum;
    });
  });
}

// dout: (n) or one value; x, y, w, pw, dx, dy: (n).
void bce_logits_backward(const LossGeom& geom, const void* dout, double scale, const void* x, const void* y,
                         const void* w, const void* pw, void* dx, void* dy) {
  RB_DISPATCH_FLOATING(geom.dtype, "binary_cross_entropy_with_logits_backward", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *py = static_cast<const T*>(y);
    const T *pww = static_cast<const T*>(w), *ppw = static_cast<const T*>(pw);
    T *pdx = static_cast<T*>(dx), *pdy = static_cast<T*>(dy);
    Grad<T> g(geom, dout, scale);
    parallel_for(geom.n, kGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) {
        T v = px[i], t = py[i], gi = g[i] * (pww ? pww[i] : T(1));
        T sig = T(1) / (T(1) + vexp(-v));
        if (ppw) {
          T p = ppw[i], L = T(1) + (p - T(1)) * t;
          if (pdx) pdx[i] = gi * (L * sig - p * t);
          if (pdy) pdy[i] = gi * ((p - T(1)) * softplus_neg(v) - v);
        } else {
          if (pdx) pdx[i] = gi * (sig - t);
          if (pdy) pdy[i] = -gi * v;
        }
      }
    });
  });
}

// x: (N, C, inner); target, out: (N, inner); w: (C); lse: (N, inner, 2).
LossSums cross_entropy_forward(const LossGeom& g, const void* x, const int64_t* target, const void* w,
                               int64_t ignore_index, double eps, void* out, void* lse) {
  const int64_t N = g.N, C = g.C, inner = g.inner;
  return RB_DISPATCH_FLOATING(g.dtype, "cross_entropy", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *pw = static_cast<const T*>(w);
    const int64_t* pt = target;
    T *po = static_cast<T*>(out), *pl = static_cast<T*>(lse);
    const double sm = eps / static_cast<double>(C);
    return parallel_sums(N * inner, grain_for(C), [&](int64_t s, int64_t e, LossSums& acc) {
      for (int64_t i = s; i < e; ++i) {
        const int64_t n = i / inner, k = i - n * inner;
        const T* xr = px + n * C * inner + k;
        const int64_t t = pt[i];
        if (t == ignore_index) {
          if (po) po[i] = T(0);
          pl[2 * i] = pl[2 * i + 1] = T(0);
          continue;
        }
        T m;
        double se;
        if (inner == 1) {
          m = row_max(xr, C), se = row_sum_exp(xr, C, m);
        } else {
          m = xr[0], se = 0;
          for (int64_t c = 1; c < C; ++c) m = std::max(m, xr[c * inner]);
          for (int64_t c = 0; c < C; ++c) se += vexp(xr[c * inner] - m);
        }
        double l = static_cast<double>(m) + std::log(se);
        pl[2 * i] = m, pl[2 * i + 1] = static_cast<T>(std::log(se));
        double wt = pw ? pw[t] : 1.0;
        double loss = (1.0 - eps) * wt * (l - xr[t * inner]);
        if (eps > 0) {
          double sl = 0;
          for (int64_t c = 0; c < C; ++c) sl += (pw ? pw[c] : 1.0) * (l - xr[c * inner]);
          loss += sm * sl;
        }
        if (po) po[i] = static_cast<T>(loss);
        acc.loss += loss;
        acc.weight += wt;
      }
    });
  });
}

// dout: (N, inner) or one value; x, dx: (N, C, inner); target: (N, inner); w: (C); lse: (N, inner, 2).
void cross_entropy_backward(const LossGeom& geom, const void* dout, double scale, const void* x, const int64_t* target,
                            const void* w, const void* lse, int64_t ignore_index, double eps, void* dx) {
  const int64_t N = geom.N, C = geom.C, inner = geom.inner;
  RB_DISPATCH_FLOATING(geom.dtype, "cross_entropy_backward", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *pw = static_cast<const T*>(w), *pl = static_cast<const T*>(lse);
    const int64_t* pt = target;
    T* pd = static_cast<T*>(dx);
    Grad<T> g(geom, dout, scale);
    const T sm = static_cast<T>(eps / static_cast<double>(C));
    T wall = T(C);
    if (pw) {
      wall = 0;
      for (int64_t c = 0; c < C; ++c) wall += pw[c];
    }
    parallel_for(N * inner, grain_for(C), [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) {
        const int64_t n = i / inner, k = i - n * inner;
        const T* xr = px + n * C * inner + k;
        T* dr = pd + n * C * inner + k;
        const int64_t t = pt[i];
        if (t == ignore_index) {
          for (int64_t c = 0; c < C; ++c) dr[c * inner] = T(0);
          continue;
        }
        const T gi = g[i], m = pl[2 * i], ls = pl[2 * i + 1];
        const T wt = pw ? pw[t] : T(1);
        const T a = gi * ((T(1) - T(eps)) * wt + sm * wall);
        if (pw) {
          for (int64_t c = 0; c < C; ++c) dr[c * inner] = a * vexp((xr[c * inner] - m) - ls) - gi * sm * pw[c];
        } else {
          for (int64_t c = 0; c < C; ++c) dr[c * inner] = a * vexp((xr[c * inner] - m) - ls) - gi * sm;
        }
        dr[t * inner] -= gi * (T(1) - T(eps)) * wt;
      }
    });
  });
}

// x, q: (N, C, inner); w: (C); out: (N, inner); lse: (N, inner, 2).
LossSums cross_entropy_prob_forward(const LossGeom& g, const void* x, const void* q, const void* w, double eps,
                                    void* out, void* lse) {
  const int64_t N = g.N, C = g.C, inner = g.inner;
  return RB_DISPATCH_FLOATING(g.dtype, "cross_entropy", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *pq = static_cast<const T*>(q), *pw = static_cast<const T*>(w);
    T *po = static_cast<T*>(out), *pl = static_cast<T*>(lse);
    const double sm = eps / static_cast<double>(C);
    return parallel_sums(N * inner, grain_for(C), [&](int64_t s, int64_t e, LossSums& acc) {
      for (int64_t i = s; i < e; ++i) {
        const int64_t n = i / inner, k = i - n * inner;
        const int64_t base = n * C * inner + k;
        const T *xr = px + base, *qr = pq + base;
        T m = C ? xr[0] : T(0);
        for (int64_t c = 1; c < C; ++c) m = std::max(m, xr[c * inner]);
        double se = 0;
        for (int64_t c = 0; c < C; ++c) se += vexp(xr[c * inner] - m);
        double l = static_cast<double>(m) + std::log(se);
        pl[2 * i] = m, pl[2 * i + 1] = static_cast<T>(std::log(se));
        double loss = 0;
        for (int64_t c = 0; c < C; ++c)
          loss += (pw ? pw[c] : 1.0) * (qr[c * inner] * (1.0 - eps) + sm) * (l - xr[c * inner]);
        if (po) po[i] = static_cast<T>(loss);
        acc.loss += loss;
      }
    });
  });
}

// dout: (N, inner) or one value; x, q, dx, dq: (N, C, inner); w: (C); lse: (N, inner, 2).
void cross_entropy_prob_backward(const LossGeom& geom, const void* dout, double scale, const void* x, const void* q,
                                 const void* w, const void* lse, double eps, void* dx, void* dq) {
  const int64_t N = geom.N, C = geom.C, inner = geom.inner;
  RB_DISPATCH_FLOATING(geom.dtype, "cross_entropy_backward", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *pq = static_cast<const T*>(q);
    const T *pw = static_cast<const T*>(w), *pl = static_cast<const T*>(lse);
    T *pdx = static_cast<T*>(dx), *pdq = static_cast<T*>(dq);
    Grad<T> g(geom, dout, scale);
    const T keep = T(1) - T(eps), sm = static_cast<T>(eps / static_cast<double>(C));
    parallel_for(N * inner, grain_for(C), [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) {
        const int64_t n = i / inner, k = i - n * inner;
        const int64_t base = n * C * inner + k;
        const T *xr = px + base, *qr = pq + base;
        const T gi = g[i], m = pl[2 * i], ls = pl[2 * i + 1];
        if (pdx) {
          T wq = 0;  // sum_c w_c q'_c
          for (int64_t c = 0; c < C; ++c) wq += (pw ? pw[c] : T(1)) * (qr[c * inner] * keep + sm);
          for (int64_t c = 0; c < C; ++c)
            pdx[base + c * inner] =
                gi * (vexp((xr[c * inner] - m) - ls) * wq - (pw ? pw[c] : T(1)) * (qr[c * inner] * keep + sm));
        }
        if (pdq)
          for (int64_t c = 0; c < C; ++c)
            pdq[base + c * inner] = gi * (pw ? pw[c] : T(1)) * keep * ((m - xr[c * inner]) + ls);
      }
    });
  });
}

// x: (N, C, inner); target, out: (N, inner); w: (C).
LossSums nll_forward(const LossGeom& g, const void* x, const int64_t* target, const void* w, int64_t ignore_index,
                     void* out) {
  const int64_t N = g.N, C = g.C, inner = g.inner;
  return RB_DISPATCH_FLOATING(g.dtype, "nll_loss", [&] {
    using T = scalar_t;
    const T *px = static_cast<const T*>(x), *pw = static_cast<const T*>(w);
    const int64_t* pt = target;
    T* po = static_cast<T*>(out);
    return parallel_sums(N * inner, kGrain, [&](int64_t s, int64_t e, LossSums& acc) {
      for (int64_t i = s; i < e; ++i) {
        const int64_t n = i / inner, k = i - n * inner;
        const int64_t t = pt[i];
        if (t == ignore_index) {
          if (po) po[i] = T(0);
          continue;
        }
        T wt = pw ? pw[t] : T(1);
        T l = -wt * px[n * C * inner + t * inner + k];
        if (po) po[i] = l;
        acc.loss += l;
        acc.weight += wt;
      }
    });
  });
}

// dout: (N, inner) or one value; target: (N, inner); w: (C); dx: (N, C, inner).
void nll_backward(const LossGeom& geom, const void* dout, double scale, const int64_t* target, const void* w,
                  int64_t ignore_index, void* dx) {
  const int64_t N = geom.N, C = geom.C, inner = geom.inner;
  RB_DISPATCH_FLOATING(geom.dtype, "nll_loss_backward", [&] {
    using T = scalar_t;
    const T* pw = static_cast<const T*>(w);
    const int64_t* pt = target;
    T* pd = static_cast<T*>(dx);
    Grad<T> g(geom, dout, scale);
    std::fill(pd, pd + N * C * inner, T(0));
    for (int64_t i = 0; i < N * inner; ++i) {
      const int64_t n = i / inner, k = i - n * inner, t = pt[i];
      if (t == ignore_index) continue;
      pd[n * C * inner + t * inner + k] = -g[i] * (pw ? pw[t] : T(1));
    }
  });
}

extern const LossKernels loss_kernels = {
    &pointwise_loss_forward,     &pointwise_loss_backward,     &bce_forward,           &bce_backward,
    &bce_logits_forward,         &bce_logits_backward,         &cross_entropy_forward, &cross_entropy_backward,
    &cross_entropy_prob_forward, &cross_entropy_prob_backward, &nll_forward,           &nll_backward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(LossKernels, loss_kernels)
