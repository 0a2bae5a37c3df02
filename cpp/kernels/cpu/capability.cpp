// CPU capability: what the processor has (cpuid through the compiler's builtins), what the build
// compiled, and the choice that the kernel tables read (RB_CPU_CAPABILITY can force a lower one).
#include "capability.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace rb::cpu {

std::atomic<int> g_capability{0};

namespace {

Capability detect() {
#if defined(RB_CPU_MULTI) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  // Every feature that -march=x86-64-v3/v4 lets the compiler use (BMI, LZCNT, MOVBE, F16C too);
  // __builtin_cpu_supports also checks that the OS saves the wide registers (XCR0).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
  if (__builtin_cpu_supports("x86-64-v4")) return Capability::AVX512;
  if (__builtin_cpu_supports("x86-64-v3")) return Capability::AVX2;
#else
  const bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
                  __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("f16c");
  if (v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd"))
    return Capability::AVX512;
  if (v3) return Capability::AVX2;
#endif
  return Capability::Default;
#elif defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
  return Capability::AVX512;  // one copy, built for this machine (RB_NATIVE): report what it uses
#elif defined(__AVX2__) && defined(__FMA__)
  return Capability::AVX2;
#else
  return Capability::Default;
#endif
}

}  // namespace

Capability max_capability() {
  static const Capability best = detect();
  return best;
}

const char* capability_name(Capability c) {
  switch (c) {
    case Capability::AVX2: return "AVX2";
    case Capability::AVX512: return "AVX512";
    default: return "DEFAULT";
  }
}

Capability parse_capability(const std::string& name) {
  std::string s(name);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (s == "default") return Capability::Default;
  if (s == "avx2") return Capability::AVX2;
  if (s == "avx512") return Capability::AVX512;
  throw std::invalid_argument("unknown CPU capability '" + name + "': expected default, avx2 or avx512");
}

void set_capability(Capability c) {
  if (static_cast<int>(c) > static_cast<int>(max_capability()))
    throw std::invalid_argument(std::string("CPU capability ") + capability_name(c) + " is not available: this " +
                                "CPU and build support up to " + capability_name(max_capability()));
#ifndef RB_CPU_MULTI
  // one copy of the kernels: a lower capability still runs the same code, so say which
  if (c != max_capability())
    throw std::invalid_argument(std::string("this build has one copy of the kernels (") +
                                capability_name(max_capability()) +
                                "): built with RB_NATIVE or for a CPU "
                                "without per-capability kernels, so " +
                                capability_name(c) + " cannot be chosen");
#endif
  g_capability.store(static_cast<int>(c), std::memory_order_relaxed);
}

void init_capability() {
  const char* env = std::getenv("RB_CPU_CAPABILITY");
  if (env == nullptr || *env == '\0') {
    g_capability.store(static_cast<int>(max_capability()), std::memory_order_relaxed);
    return;
  }
  try {
    set_capability(parse_capability(env));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("RB_CPU_CAPABILITY=") + env + ": " + e.what());
  }
}

namespace {
// The best capability from the start, and RB_CPU_CAPABILITY's choice when it is valid; a bad value
// is reported by init_capability(), which the Python module (at import) and rb_bench call.
const bool g_started = [] {
  try {
    init_capability();
  } catch (const std::invalid_argument&) {
    g_capability.store(static_cast<int>(max_capability()), std::memory_order_relaxed);
  }
  return true;
}();
}  // namespace

}  // namespace rb::cpu
