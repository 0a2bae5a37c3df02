// The LSTM and GRU layers as the core runs them (one rb::rnn_layer call over the sequence), forward
// alone and forward + backward through time, at the Recurrent networks issue's size:
// input 32, hidden 256, batch 32, 50 steps.
#include "common.h"

namespace {

constexpr int64_t kT = 50, kB = 32, kI = 32, kH = 256;

void run_layer(benchmark::State& state, const char* mode, int64_t gates) {
  bool backward = state.range(0) != 0;
  rb::Tensor x = rbbench::randn({kT, kB, kI}, 1), h0 = rbbench::randn({kB, kH}, 2);
  rb::Tensor c0 = std::string(mode) == "LSTM" ? rbbench::randn({kB, kH}, 3) : rb::Tensor();
  rb::Tensor w_ih = rbbench::randn({gates * kH, kI}, 4), w_hh = rbbench::randn({gates * kH, kH}, 5);
  rb::Tensor b_ih = rbbench::randn({gates * kH}, 6), b_hh = rbbench::randn({gates * kH}, 7);
  for (rb::Tensor* t : {&x, &w_ih, &w_hh, &b_ih, &b_hh}) t->set_requires_grad(backward);
  rb::Tensor dy = rbbench::randn({kT, kB, kH}, 8);
  for (auto _ : state) {
    for (rb::Tensor* t : {&x, &w_ih, &w_hh, &b_ih, &b_hh}) t->set_grad(rb::Tensor());
    std::vector<rb::Tensor> out = rb::rnn_layer(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, {}, {}, false);
    if (backward) rb::run_backward({out[0]}, {dy}, false);
    benchmark::DoNotOptimize(out[0].raw_data());
  }
  // GEMM work: input projection and recurrence, 2*T*B*(I+H)*gates*H per pass; backward twice that.
  double fwd = 2.0 * kT * kB * (kI + kH) * gates * kH;
  rbbench::set_flops(state, backward ? 3 * fwd : fwd);
}

void BM_lstm_layer(benchmark::State& state) { run_layer(state, "LSTM", 4); }
void BM_gru_layer(benchmark::State& state) { run_layer(state, "GRU", 3); }
BENCHMARK(BM_lstm_layer)->Arg(0)->Arg(1)->ArgName("backward")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_gru_layer)->Arg(0)->Arg(1)->ArgName("backward")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
