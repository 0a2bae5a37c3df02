// The library's thread count: OpenMP regions use it; the BLAS always runs single-threaded.
#include <atomic>

#include "loops.h"

namespace rb::cpu {
namespace {
int g_threads = 0;  // 0: not set yet, use OpenMP's default (the core count)
std::atomic<bool> g_deterministic{false};
}  // namespace

bool deterministic() { return g_deterministic.load(std::memory_order_relaxed); }
void set_deterministic(bool on) { g_deterministic.store(on, std::memory_order_relaxed); }

int num_threads() {
#ifdef RB_OPENMP
  if (g_threads == 0) g_threads = omp_get_max_threads();
  return g_threads;
#else
  return 1;
#endif
}

void set_num_threads(int n) {
  g_threads = n;
#ifdef RB_OPENMP
  omp_set_num_threads(n);
#endif
}

}  // namespace rb::cpu
