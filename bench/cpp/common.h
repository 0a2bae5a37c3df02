// Shared by the micro-benchmarks: the thread count both sides use and random operands.
#pragma once
#include <benchmark/benchmark.h>

#include <random>

#include "rosenblatt/ops.h"

namespace rbbench {

int threads();  // RB_BENCH_THREADS, default 2 (the project's CI machine)

inline rb::Tensor randn(const rb::Shape& shape, unsigned seed = 0) {
  rb::Tensor t = rb::Tensor::empty(shape);
  std::mt19937 gen(seed);
  std::normal_distribution<float> d;
  float* p = t.data<float>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = d(gen);
  return t;
}

inline void set_flops(benchmark::State& state, double flops_per_iter) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops_per_iter * 1e-9 * double(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace rbbench
