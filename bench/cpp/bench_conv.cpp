// Convolution, transposed convolution and pooling as the core runs them, forward alone and
// forward + backward, on the shapes of the Convolutional networks issue (GFLOP/s for the convs).
#include "common.h"

namespace {

using V = std::vector<int64_t>;  // braces alone would also match conv2d's string-padding overload

// Forward and forward+backward of `op` on x (and its parameters), reporting `fwd_flops` per pass.
template <class Op>
void run(benchmark::State& state, bool backward, std::vector<rb::Tensor*> grads, const Op& op, double fwd_flops) {
  rb::Tensor probe = op();
  rb::Tensor dy = rbbench::randn(probe.shape(), 9);
  for (rb::Tensor* t : grads) t->set_requires_grad(backward);
  for (auto _ : state) {
    for (rb::Tensor* t : grads) t->set_grad(rb::Tensor());
    rb::Tensor y = op();
    if (backward) rb::run_backward({y}, {dy}, false);
    benchmark::DoNotOptimize(y.raw_data());
  }
  if (fwd_flops > 0) rbbench::set_flops(state, backward ? 3 * fwd_flops : fwd_flops);
}

// Conv2d(64, 64, 3, padding=1) on 32x64x32x32.
void BM_conv2d(benchmark::State& state) {
  rb::Tensor x = rbbench::randn({32, 64, 32, 32}, 1), w = rbbench::randn({64, 64, 3, 3}, 2),
             b = rbbench::randn({64}, 3);
  run(
      state, state.range(0), {&x, &w, &b}, [&] { return rb::conv2d(x, w, b, V{1}, V{1}, V{1}, 1); },
      2.0 * 32 * 64 * 32 * 32 * 64 * 9);
}
BENCHMARK(BM_conv2d)->Arg(0)->Arg(1)->ArgName("backward")->Unit(benchmark::kMillisecond)->UseRealTime();

// DCGAN's ConvTranspose2d(128, 64, 4, stride=2, padding=1) on 64x128x8x8 -> 64x64x16x16.
void BM_conv_transpose2d(benchmark::State& state) {
  rb::Tensor x = rbbench::randn({64, 128, 8, 8}, 1), w = rbbench::randn({128, 64, 4, 4}, 2),
             b = rbbench::randn({64}, 3);
  run(
      state, state.range(0), {&x, &w, &b}, [&] { return rb::conv_transpose2d(x, w, b, V{2}, V{1}, V{0}, 1, V{1}); },
      2.0 * 64 * 128 * 8 * 8 * 64 * 16);
}
BENCHMARK(BM_conv_transpose2d)->Arg(0)->Arg(1)->ArgName("backward")->Unit(benchmark::kMillisecond)->UseRealTime();

// MaxPool2d(2) and AvgPool2d(2) on 64x32x28x28 (LeNet's first pooling).
void BM_max_pool2d(benchmark::State& state) {
  rb::Tensor x = rbbench::randn({64, 32, 28, 28}, 1);
  run(
      state, state.range(0), {&x}, [&] { return rb::max_pool2d(x, V{2}, V{2}, V{0}, V{1}, false); }, 0);
}
BENCHMARK(BM_max_pool2d)->Arg(0)->Arg(1)->ArgName("backward")->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_avg_pool2d(benchmark::State& state) {
  rb::Tensor x = rbbench::randn({64, 32, 28, 28}, 1);
  run(
      state, state.range(0), {&x}, [&] { return rb::avg_pool2d(x, V{2}, V{2}, V{0}, false, true, std::nullopt); }, 0);
}
BENCHMARK(BM_avg_pool2d)->Arg(0)->Arg(1)->ArgName("backward")->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
