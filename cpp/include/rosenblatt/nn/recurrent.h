// RNN, LSTM and GRU layers over (T, B, I) (or (B, T, I) with batch_first), stacked and optionally
// bidirectional, with PyTorch's parameter names (weight_ih_l0, ..., bias_hh_l1_reverse) and init.
#pragma once
#include <string>

#include "rosenblatt/nn/module.h"

namespace rb::nn {

// output: (T, B, D * H) (batch_first: (B, T, D * H)); h_n, c_n: (num_layers * D, B, H); c_n only for LSTM.
struct RNNResult {
  Tensor output, h_n, c_n;
};

class RNNBase : public Module {
 public:
  int64_t input_size, hidden_size, num_layers;
  bool with_bias, batch_first, bidirectional;
  double dropout;
  // The output sequence; forward_with_state also gives the final states.
  Tensor forward(const Tensor& x) override { return forward_with_state(x).output; }
  // h0, c0: (num_layers * D, B, H) or undefined (zeros).
  RNNResult forward_with_state(const Tensor& x, const Tensor& h0 = Tensor(), const Tensor& c0 = Tensor());

 protected:
  // mode: "RNN_TANH", "RNN_RELU", "LSTM" or "GRU" (rb::rnn_layer's); gates: 1, 4 or 3.
  RNNBase(std::string mode, int64_t gates, int64_t input_size, int64_t hidden_size, int64_t num_layers, bool with_bias,
          bool batch_first, double dropout, bool bidirectional, Generator* gen);

 private:
  std::string mode_;
  std::vector<std::vector<Tensor>> weights_;  // per layer and direction: w_ih, w_hh, b_ih, b_hh
};

class RNN : public RNNBase {
 public:
  // nonlinearity: "tanh" or "relu".
  RNN(int64_t input_size, int64_t hidden_size, int64_t num_layers = 1, const std::string& nonlinearity = "tanh",
      bool with_bias = true, bool batch_first = false, double dropout = 0.0, bool bidirectional = false,
      Generator* gen = nullptr);
};

class LSTM : public RNNBase {
 public:
  LSTM(int64_t input_size, int64_t hidden_size, int64_t num_layers = 1, bool with_bias = true, bool batch_first = false,
       double dropout = 0.0, bool bidirectional = false, Generator* gen = nullptr)
      : RNNBase("LSTM", 4, input_size, hidden_size, num_layers, with_bias, batch_first, dropout, bidirectional, gen) {}
};

class GRU : public RNNBase {
 public:
  GRU(int64_t input_size, int64_t hidden_size, int64_t num_layers = 1, bool with_bias = true, bool batch_first = false,
      double dropout = 0.0, bool bidirectional = false, Generator* gen = nullptr)
      : RNNBase("GRU", 3, input_size, hidden_size, num_layers, with_bias, batch_first, dropout, bidirectional, gen) {}
};

}  // namespace rb::nn
