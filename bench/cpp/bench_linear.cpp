// A Linear layer as the core runs it, batch 128, 784 -> 512: y = x @ W^T + b through rb::linear
// (one GEMM with the bias fused), forward alone and forward + backward (gradients of x, W and b).
#include "common.h"

namespace {

constexpr int64_t kBatch = 128, kIn = 784, kOut = 512;
constexpr double kFwdFlops = 2.0 * kBatch * kIn * kOut;

void BM_linear_forward(benchmark::State& state) {
  rb::Tensor x = rbbench::randn({kBatch, kIn}, 1), w = rbbench::randn({kOut, kIn}, 2), b = rbbench::randn({kOut}, 3);
  rb::NoGradGuard no_grad;
  for (auto _ : state) {
    rb::Tensor y = rb::linear(x, w, b);
    benchmark::DoNotOptimize(y.raw_data());
  }
  rbbench::set_flops(state, kFwdFlops);
}
BENCHMARK(BM_linear_forward)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_linear_forward_backward(benchmark::State& state) {
  rb::Tensor x = rbbench::randn({kBatch, kIn}, 1), w = rbbench::randn({kOut, kIn}, 2), b = rbbench::randn({kOut}, 3);
  rb::Tensor dy = rbbench::randn({kBatch, kOut}, 4);
  for (rb::Tensor* t : {&x, &w, &b}) t->set_requires_grad(true);
  for (auto _ : state) {
    for (rb::Tensor* t : {&x, &w, &b}) t->set_grad(rb::Tensor());  // as zero_grad(set_to_none=True)
    rb::Tensor y = rb::linear(x, w, b);
    rb::run_backward({y}, {dy}, /*retain_graph=*/false);
    benchmark::DoNotOptimize(w.grad().raw_data());
  }
  rbbench::set_flops(state, 3 * kFwdFlops);  // forward, dx and dW
}
BENCHMARK(BM_linear_forward_backward)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
