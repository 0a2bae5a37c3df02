// sgemm three ways on square N x N matrices: rb::matmul (op layer: checks, allocation, dispatch),
// cpu::gemm (the kernel: OpenMP split over a single-threaded BLAS), and OpenBLAS called directly
// with its own threads. The library should stay within 5% of the direct call.
#include <cblas.h>

#include "common.h"
#include "kernels/cpu/blas.h"

namespace {

void sizes(benchmark::internal::Benchmark* b) {
  for (int n : {64, 128, 256, 512, 1024}) b->Arg(n);
  b->Unit(benchmark::kMicrosecond)->UseRealTime();
}

void BM_sgemm_rb_matmul(benchmark::State& state) {
  int64_t n = state.range(0);
  rb::Tensor a = rbbench::randn({n, n}, 1), b = rbbench::randn({n, n}, 2);
  for (auto _ : state) {
    rb::Tensor c = rb::matmul(a, b);
    benchmark::DoNotOptimize(c.raw_data());
  }
  rbbench::set_flops(state, 2.0 * n * n * n);
}
BENCHMARK(BM_sgemm_rb_matmul)->Apply(sizes);

void BM_sgemm_cpu_gemm(benchmark::State& state) {
  int64_t n = state.range(0);
  rb::Tensor a = rbbench::randn({n, n}, 1), b = rbbench::randn({n, n}, 2), c = rb::Tensor::empty({n, n});
  for (auto _ : state) {
    rb::cpu::gemm<float>(false, false, n, n, n, 1.0f, a.data<float>(), n, b.data<float>(), n, 0.0f, c.data<float>(), n);
    benchmark::ClobberMemory();
  }
  rbbench::set_flops(state, 2.0 * n * n * n);
}
BENCHMARK(BM_sgemm_cpu_gemm)->Apply(sizes);

void BM_sgemm_openblas(benchmark::State& state) {
  int64_t n = state.range(0);
  rb::Tensor a = rbbench::randn({n, n}, 1), b = rbbench::randn({n, n}, 2), c = rb::Tensor::empty({n, n});
  scipy_openblas_set_num_threads(rbbench::threads());  // OpenBLAS with its own thread pool
  for (auto _ : state) {
    scipy_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data<float>(), n, b.data<float>(), n,
                      0.0f, c.data<float>(), n);
    benchmark::ClobberMemory();
  }
  scipy_openblas_set_num_threads(1);  // back to the library's setting
  rbbench::set_flops(state, 2.0 * n * n * n);
}
BENCHMARK(BM_sgemm_openblas)->Apply(sizes);

}  // namespace
