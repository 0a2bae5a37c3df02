// CPU cumulative sum and product. With inner > 1 a whole row of `inner` running values advances one
// step of R at a time, reading memory in order (and vectorizing); with inner == 1 each row is one
// sequential scan. Threads split the outer blocks.
#include "scan.h"

#include <vector>

#include "loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

// out = the running combine(acc, x) along R, from the start or (reverse) from the end.
template <class T, class Combine>
void scan(const Tensor& x, int64_t outer, int64_t R, int64_t inner, bool reverse, typename Acc<T>::type init,
          Tensor& out, const Combine& combine) {
  using A = typename Acc<T>::type;
  const T* px = static_cast<const T*>(x.raw_data());
  T* po = static_cast<T*>(out.raw_data());
  parallel_for(outer, grain_for(R * inner), [&](int64_t b, int64_t e) {
    std::vector<A> acc(inner);
    for (int64_t o = b; o < e; ++o) {
      std::fill(acc.begin(), acc.end(), init);
      for (int64_t s = 0; s < R; ++s) {
        const int64_t r = reverse ? R - 1 - s : s;
        const T* xr = px + (o * R + r) * inner;
        T* orow = po + (o * R + r) * inner;
        for (int64_t i = 0; i < inner; ++i) {
          acc[i] = combine(acc[i], static_cast<A>(xr[i]));
          orow[i] = static_cast<T>(acc[i]);
        }
      }
    }
  });
}

void cumsum(const Tensor& x, int64_t outer, int64_t R, int64_t inner, bool reverse, Tensor& out) {
  RB_DISPATCH_NUMERIC(x.dtype(), "cumsum", [&] {
    scan<scalar_t>(x, outer, R, inner, reverse, 0, out, [](auto a, auto v) { return a + v; });
  });
}

void cumprod(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out) {
  RB_DISPATCH_NUMERIC(x.dtype(), "cumprod",
                      [&] { scan<scalar_t>(x, outer, R, inner, false, 1, out, [](auto a, auto v) { return a * v; }); });
}

}  // namespace

extern const ScanKernels scan_kernels = {&cumsum, &cumprod};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ScanKernels, scan_kernels)
