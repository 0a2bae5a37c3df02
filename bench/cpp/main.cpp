// Benchmark entry point: pins the BLAS to one thread and sets the library's OpenMP thread count
// before any benchmark runs, as the Python module does on import; the context names the kernels'
// CPU capability (RB_CPU_CAPABILITY picks a lower one).
#include <cstdlib>

#include "common.h"
#include "kernels/cpu/blas.h"
#include "kernels/cpu/capability.h"
#include "kernels/cpu/loops.h"

namespace rbbench {
int threads() {
  const char* s = std::getenv("RB_BENCH_THREADS");
  int n = s ? std::atoi(s) : 2;
  return n > 0 ? n : 2;
}
}  // namespace rbbench

int main(int argc, char** argv) {
  rb::cpu::blas_init();
  rb::cpu::init_capability();  // a bad RB_CPU_CAPABILITY stops the run with its message
  rb::cpu::set_num_threads(rbbench::threads());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("rb_threads", std::to_string(rbbench::threads()));
  benchmark::AddCustomContext("rb_cpu_capability", rb::cpu::capability_name(rb::cpu::capability()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
