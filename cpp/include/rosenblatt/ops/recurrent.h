// Recurrent ops: one layer of RNN (tanh/relu), LSTM (optional projection) or GRU over a whole
// sequence in one direction, with backprop through time, and the single-step cells built on it.
#pragma once
#include <string>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

// mode: "RNN_TANH", "RNN_RELU", "LSTM", "GRU". input: (T, B, I); hx: (B, P); cx: (B, H) (LSTM only);
// weights in PyTorch's layout and gate order; b_ih/b_hh/w_hr/lengths may be undefined. lengths: int64 (B),
// each in [0, T]: steps at or past a row's length leave its state alone and output zeros.
// Returns {output (T, B, P), h_n (B, P), c_n (B, H) (undefined unless LSTM)}; one autograd node.
std::vector<Tensor> rnn_layer(const std::string& mode, const Tensor& input, const Tensor& hx, const Tensor& cx,
                              const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh,
                              const Tensor& w_hr, const Tensor& lengths, bool reverse);

// One step, as torch.rnn_tanh_cell / rnn_relu_cell / lstm_cell / gru_cell: input (B, I), hx (B, H).
Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                     const Tensor& b_hh);
Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                     const Tensor& b_hh);
std::vector<Tensor> lstm_cell(const Tensor& input, const Tensor& hx, const Tensor& cx, const Tensor& w_ih,
                              const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh);
Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                const Tensor& b_hh);

}  // namespace rb
