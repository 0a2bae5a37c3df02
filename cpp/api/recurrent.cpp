// RNN/LSTM/GRU layers: stacks rb::rnn_layer (one fused op per layer and direction) with PyTorch's
// parameter names and order, inter-layer dropout in training, and the final states stacked.
#include <cmath>

#include "rosenblatt/nn/recurrent.h"

namespace rb::nn {

RNNBase::RNNBase(std::string mode, int64_t gates, int64_t in, int64_t hidden, int64_t layers, bool with_bias,
                 bool batch_first, double dropout, bool bidirectional, Generator* gen)
    : input_size(in),
      hidden_size(hidden),
      num_layers(layers),
      with_bias(with_bias),
      batch_first(batch_first),
      bidirectional(bidirectional),
      dropout(dropout),
      mode_(std::move(mode)) {
  RB_CHECK(hidden > 0, ValueError, "hidden_size must be greater than zero");
  RB_CHECK(layers > 0, ValueError, "num_layers must be greater than zero");
  RB_CHECK(in >= 0, ValueError, "input_size must be non-negative, got ", in);
  RB_CHECK(dropout >= 0.0 && dropout <= 1.0, ValueError,
           "dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
  // Every weight and bias U(-1/sqrt(hidden), 1/sqrt(hidden)), PyTorch's reset_parameters.
  double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
  auto param = [&](const Shape& shape) {
    Tensor t = Tensor::empty(shape);
    uniform_(t, -bound, bound, gen);
    return t;
  };
  int64_t dirs = bidirectional ? 2 : 1;
  for (int64_t l = 0; l < layers; ++l) {
    int64_t layer_in = l == 0 ? in : hidden * dirs;
    for (int64_t d = 0; d < dirs; ++d) {
      std::string sfx = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
      std::vector<Tensor> w;
      w.push_back(register_parameter("weight_ih" + sfx, param({gates * hidden, layer_in})));
      w.push_back(register_parameter("weight_hh" + sfx, param({gates * hidden, hidden})));
      if (with_bias) {
        w.push_back(register_parameter("bias_ih" + sfx, param({gates * hidden})));
        w.push_back(register_parameter("bias_hh" + sfx, param({gates * hidden})));
      } else {
        w.insert(w.end(), {Tensor(), Tensor()});
      }
      weights_.push_back(std::move(w));
    }
  }
}

RNNResult RNNBase::forward_with_state(const Tensor& x, const Tensor& h0, const Tensor& c0) {
  bool lstm = mode_ == "LSTM";
  RB_CHECK(x.dim() == 2 || x.dim() == 3, ValueError, mode_, ": Expected input to be 2D or 3D, got ", x.dim(),
           "D instead");
  bool batched = x.dim() == 3;
  Tensor seq = batched ? (batch_first ? transpose(x, 0, 1) : x) : unsqueeze(x, 1);  // (T, B, I)
  RB_CHECK(seq.size(2) == input_size, ValueError, mode_, ": input.size(-1) must be equal to input_size. Expected ",
           input_size, ", got ", seq.size(2));
  int64_t dirs = bidirectional ? 2 : 1, B = seq.size(1);
  Shape state_shape{num_layers * dirs, B, hidden_size};
  auto initial = [&](const Tensor& s, const char* name) {
    if (!s.defined()) return zeros(state_shape, x.dtype());
    Tensor b = batched ? s : unsqueeze(s, 1);
    RB_CHECK(b.shape() == state_shape, ValueError, "Expected ", name, " size ", state_shape, ", got ", b.shape());
    return b;
  };
  Tensor h_init = initial(h0, "hidden"), c_init = lstm ? initial(c0, "cell") : Tensor();
  std::vector<Tensor> hs, cs;
  Tensor input = seq;
  for (int64_t l = 0; l < num_layers; ++l) {
    std::vector<Tensor> outs;
    for (int64_t d = 0; d < dirs; ++d) {
      const std::vector<Tensor>& w = weights_[l * dirs + d];
      int64_t k = l * dirs + d;
      std::vector<Tensor> r = rnn_layer(mode_, input, select(h_init, 0, k), lstm ? select(c_init, 0, k) : Tensor(),
                                        w[0], w[1], w[2], w[3], Tensor(), Tensor(), d == 1);
      outs.push_back(r[0]);
      hs.push_back(r[1]);
      if (lstm) cs.push_back(r[2]);
    }
    input = dirs == 2 ? cat(outs, 2) : outs[0];
    if (dropout > 0 && is_training() && l + 1 < num_layers) input = rb::dropout(input, dropout, true);
  }
  RNNResult res{input, stack(hs, 0), lstm ? stack(cs, 0) : Tensor()};
  if (!batched) {
    res.output = squeeze(res.output, std::vector<int64_t>{1});
    res.h_n = squeeze(res.h_n, std::vector<int64_t>{1});
    if (lstm) res.c_n = squeeze(res.c_n, std::vector<int64_t>{1});
  } else if (batch_first) {
    res.output = transpose(res.output, 0, 1);
  }
  return res;
}

RNN::RNN(int64_t in, int64_t hidden, int64_t layers, const std::string& nonlinearity, bool with_bias, bool batch_first,
         double dropout, bool bidirectional, Generator* gen)
    : RNNBase(nonlinearity == "relu" ? "RNN_RELU" : "RNN_TANH", 1, in, hidden, layers, with_bias, batch_first, dropout,
              bidirectional, gen) {
  RB_CHECK(nonlinearity == "tanh" || nonlinearity == "relu", ValueError, "Unknown nonlinearity '", nonlinearity,
           "'. Select from 'tanh' or 'relu'.");
}

}  // namespace rb::nn
