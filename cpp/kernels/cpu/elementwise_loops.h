// Strided elementwise loop templates shared by the CPU kernel files (elementwise, extras,
// activations): one copy, so every elementwise kernel gets the same contiguous fast paths.
#pragma once

#include "loops.h"
#include "vmath.h"

RB_CPU_NAMESPACE_BEGIN

// out[i] = f(a[i], b[i]) over broadcast strides, with the common row shapes as fast paths.
// g: (out, a, b).
template <class T, class O, class F>
void binary_loop(const LoopGeom<3>& g, const void* a, const void* b, void* out, F f_) {
  StridedLoop<3> L(g);
  O* po = static_cast<O*>(out);
  const T* pa = static_cast<const T*>(a);
  const T* pb = static_cast<const T*>(b);
  L.parallel_run([&](const int64_t* off, int64_t n, const int64_t* s) RB_FLATTEN {
    const F f = f_;  // a local copy: f_'s captures, read through a reference, might alias o[] and
                     // the loops would stay scalar (leaky_relu's slope made it 10x slower)
    O* o = po + off[0];
    const T* x = pa + off[1];
    const T* y = pb + off[2];
    if (s[0] == 1 && s[1] == 1 && s[2] == 1) {
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
    } else if (s[0] == 1 && s[1] == 1 && s[2] == 0) {
      const T yv = *y;
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], yv);
    } else if (s[0] == 1 && s[1] == 0 && s[2] == 1) {
      const T xv = *x;
      for (int64_t i = 0; i < n; ++i) o[i] = f(xv, y[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * s[0]] = f(x[i * s[1]], y[i * s[2]]);
    }
  });
}

// out[i] = f(x[i]) with x broadcast to out; g: (out, x).
template <class T, class O, class F>
void unary_loop(const LoopGeom<2>& g, const void* x, void* out, F f_) {
  StridedLoop<2> L(g);
  O* po = static_cast<O*>(out);
  const T* px = static_cast<const T*>(x);
  L.parallel_run([&](const int64_t* off, int64_t n, const int64_t* s) RB_FLATTEN {
    const F f = f_;  // a local copy, as in binary_loop
    O* o = po + off[0];
    const T* v = px + off[1];
    if (s[0] == 1 && s[1] == 1) {
      for (int64_t i = 0; i < n; ++i) o[i] = f(v[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * s[0]] = f(v[i * s[1]]);
    }
  });
}

RB_CPU_NAMESPACE_END
