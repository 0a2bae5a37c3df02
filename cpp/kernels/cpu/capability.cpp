// CPU capability: what the processor has (cpuid through the compiler's builtins), what the build
// compiled, and the choice that the kernel tables read (RB_CPU_CAPABILITY can force a lower one).
#include "capability.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace rb::cpu {

int g_capability = 0;

namespace {

Capability detect() {
#if defined(RB_CPU_MULTI) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  // __builtin_cpu_supports also checks that the OS saves the wide registers (XCR0)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return Capability::AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Capability::AVX2;
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
  g_capability = static_cast<int>(c);
}

void init_capability() {
  const char* env = std::getenv("RB_CPU_CAPABILITY");
  if (env == nullptr || *env == '\0') {
    g_capability = static_cast<int>(max_capability());
    return;
  }
  try {
    set_capability(parse_capability(env));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("RB_CPU_CAPABILITY=") + env + ": " + e.what());
  }
}

namespace {
// C++ programs get the environment's choice at start-up too; the Python module calls
// init_capability() again at import, where a bad value raises instead of this warning.
const bool g_started = [] {
  try {
    init_capability();
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "rosenblatt: %s; using %s\n", e.what(), capability_name(max_capability()));
    g_capability = static_cast<int>(max_capability());
  }
  return true;
}();
}  // namespace

}  // namespace rb::cpu
