// Compiled once per CPU capability like the kernels: says which instruction set this copy got, so
// tests (rosenblatt.backends.cpu) can tell that switching the capability switches the code run.
#include "capability.h"

namespace rb::cpu {
struct ProbeKernels {
  const char* (*compiled_for)();
};
}  // namespace rb::cpu

RB_CPU_NAMESPACE_BEGIN

const char* compiled_for() {
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
  return "AVX512";
#elif defined(__AVX2__) && defined(__FMA__)
  return "AVX2";
#else
  return "DEFAULT";
#endif
}

extern const ProbeKernels probe_kernels = {&compiled_for};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ProbeKernels, probe_kernels)

#if defined(RB_CPU_CAP_DEFAULT)
namespace rb::cpu {
const char* compiled_capability() { return kernels<ProbeKernels>().compiled_for(); }
}  // namespace rb::cpu
#endif
