// The instruction sets the hot CPU kernels are compiled for, the one picked at run time, and the
// per-capability copies of each family's table that the CPU slot of the kernel seam returns
// (kernels/registry.h; as ATen's DispatchStub does for its CPU kernels).
#pragma once
#include <atomic>
#include <string>

// Each kernel file listed in CMakeLists.txt's RB_CPU_DISPATCHED is compiled once per capability,
// with RB_CPU_CAP naming it; everything else is compiled once, as baseline code.
#ifndef RB_CPU_CAP
#define RB_CPU_CAP cap_default
#define RB_CPU_CAP_DEFAULT 1
#endif

// Code compiled per capability lives in rb::cpu::<cap>: an inline namespace, so callers still write
// rb::cpu::f, while each capability's copies of inline functions and templates get their own symbols
// (the linker would otherwise keep one copy, maybe an AVX-512 one, for every caller).
#define RB_CPU_NAMESPACE_BEGIN \
  namespace rb::cpu {          \
  inline namespace RB_CPU_CAP {
#define RB_CPU_NAMESPACE_END \
  }                          \
  }

namespace rb::cpu {

// Ordered: a CPU that runs one runs every lower one. x86-64: the baseline is x86-64-v2 (SSE4.2),
// AVX2 is x86-64-v3 (AVX2 + FMA), AVX512 is x86-64-v4 (F, BW, DQ, VL). Elsewhere only DEFAULT.
enum class Capability : int { Default = 0, AVX2 = 1, AVX512 = 2 };
constexpr int kNumCapabilities = 3;

// The Capability in use, read by every dispatched call (atomic: a test may switch it while another
// Python thread, the GIL released, runs kernels; relaxed loads cost nothing on x86).
extern std::atomic<int> g_capability;
inline Capability capability() { return static_cast<Capability>(g_capability.load(std::memory_order_relaxed)); }
Capability max_capability();  // the best that both this CPU and this build have
// Picks `c` for all later kernel calls; std::invalid_argument when above max_capability().
void set_capability(Capability c);
const char* capability_name(Capability c);  // "DEFAULT", "AVX2", "AVX512"
// "default"/"avx2"/"avx512" (any case) -> Capability; std::invalid_argument otherwise.
Capability parse_capability(const std::string& name);
// At start-up: RB_CPU_CAPABILITY from the environment (a lower capability than the best), else the
// best. Throws std::invalid_argument, naming both, when the variable asks for more than the CPU has.
void init_capability();

// Which capability this copy of the kernels was compiled for (the compiler's own macros), so a test
// can tell that the dispatch really switches code: "DEFAULT", "AVX2" or "AVX512".
const char* compiled_capability();

// The kernel table of family `Table` for the capability in use. Each dispatched family defines one
// `const Table` per capability (inside RB_CPU_NAMESPACE) and, in its default compile,
// RB_CPU_DISPATCH(Table, name) defines this accessor over the copies.
template <class Table>
const Table& kernels();

}  // namespace rb::cpu

#if defined(RB_CPU_MULTI)  // this build compiled the dispatched files for AVX2 and AVX-512 too
#define RB_CPU_DISPATCH_EXTERNS_(Table, name) \
  namespace cap_avx2 {                        \
  extern const Table name;                    \
  }                                           \
  namespace cap_avx512 {                      \
  extern const Table name;                    \
  }
#define RB_CPU_DISPATCH_LIST_(name) &cap_default::name, &cap_avx2::name, &cap_avx512::name
#else
#define RB_CPU_DISPATCH_EXTERNS_(Table, name)
#define RB_CPU_DISPATCH_LIST_(name) &cap_default::name, &cap_default::name, &cap_default::name
#endif

// The dtypes worth a copy of a loop per capability are float32 and float64, where training and
// gradient checks spend their time. A family whose kernels also serve int64, bool and the storage
// dtypes dispatches with RB_CPU_DISPATCH_HOT: the baseline copy instantiates every dtype's loop (through
// DISPATCH, which must cover float32 and float64), and the AVX2 and AVX-512 copies only the two
// floating ones, handing the rest to the baseline copy of the same kernel through its table (declared
// by RB_CPU_BASELINE_TABLE). That halves the compile time of those copies (elementwise.cpp's fell from
// 12 to 5 CPU-seconds each). The conversions (RB_CPU_DISPATCH_HOT_CAST) keep bfloat16 too: mixed
// precision converts on every step, and float32 -> bfloat16 in the baseline code takes 1.6x as long
// (bench/models/casts.py with --isa default against native). float16's software rounding was not faster in
// the AVX copies (an A/B of two builds), so it stays in the baseline copy.
#if defined(RB_CPU_CAP_DEFAULT)
#define RB_CPU_BASELINE_TABLE(Table, name)
#define RB_CPU_DISPATCH_HOT(DISPATCH, dt, name, baseline_call, ...) DISPATCH(dt, name, __VA_ARGS__)
#define RB_CPU_DISPATCH_HOT_CAST(DISPATCH, dt, name, baseline_call, ...) DISPATCH(dt, name, __VA_ARGS__)
#else
#define RB_CPU_BASELINE_TABLE(Table, name) \
  namespace rb::cpu::cap_default {         \
  extern const Table name;                 \
  }
#define RB_CPU_DISPATCH_HOT(DISPATCH, dt, name, baseline_call, ...)                                             \
  (((dt) == ::rb::DType::Float32 || (dt) == ::rb::DType::Float64) ? RB_DISPATCH_FLOATING(dt, name, __VA_ARGS__) \
                                                                  : ::rb::cpu::cap_default::baseline_call)
#define RB_CPU_DISPATCH_HOT_CAST(DISPATCH, dt, name, baseline_call, ...) \
  [&] {                                                                  \
    switch (dt) {                                                        \
      RB_DTYPE_CASE(Float32, float, __VA_ARGS__)                         \
      RB_DTYPE_CASE(Float64, double, __VA_ARGS__)                        \
      RB_DTYPE_CASE(BFloat16, ::rb::BFloat16, __VA_ARGS__)               \
      default: return ::rb::cpu::cap_default::baseline_call;             \
    }                                                                    \
  }()
#endif

#if defined(RB_CPU_CAP_DEFAULT)
#define RB_CPU_DISPATCH(Table, name)                                                    \
  namespace rb::cpu {                                                                   \
  RB_CPU_DISPATCH_EXTERNS_(Table, name)                                                 \
  template <>                                                                           \
  const Table& kernels<Table>() {                                                       \
    static const Table* const tables[kNumCapabilities] = {RB_CPU_DISPATCH_LIST_(name)}; \
    return *tables[g_capability.load(std::memory_order_relaxed)];                       \
  }                                                                                     \
  }
#else
#define RB_CPU_DISPATCH(Table, name)
#endif
