// CPU kernels of the numeric family. frexp is C's: exact, so the mantissa times 2^exponent gives the
// input back bit for bit; parallel_for splits the elements.
#include "numeric.h"

#include <cmath>

#include "loops.h"

namespace rb::cpu {

// x, mantissa: (n) float; exponent: (n) int32.
void frexp_forward(const NumericGeom& g, const void* x, void* mantissa, int32_t* exponent) {
  RB_DISPATCH_FLOATING(g.dtype, "frexp", [&] {
    const auto* in = static_cast<const scalar_t*>(x);
    auto* m = static_cast<scalar_t*>(mantissa);
    parallel_for(g.n, kGrain, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        int ex = 0;
        m[i] = std::frexp(in[i], &ex);  // inf and NaN: unchanged, ex unspecified, so set to torch's 0 below
        exponent[i] = std::isfinite(in[i]) ? static_cast<int32_t>(ex) : 0;
      }
    });
  });
}

template <>
const NumericKernels& kernels<NumericKernels>() {
  static const NumericKernels table = {&frexp_forward};
  return table;
}

}  // namespace rb::cpu
