// The recurrent family's kernel table: one layer in one direction (RNN tanh/relu, LSTM with optional
// projection, GRU), the forward over the whole sequence and its backward through time from saved gates.
#pragma once
#include <cstdint>

namespace rb {

enum class RNNMode : int { Tanh = 0, Relu = 1, LSTM = 2, GRU = 3 };
inline int64_t rnn_gates(RNNMode m) { return m == RNNMode::LSTM ? 4 : m == RNNMode::GRU ? 3 : 1; }

// T steps, batch B, input size I, hidden size H, output/state size P (P == H unless an LSTM projects).
// A step t is active for row b when lengths is null or t < lengths[b]; an inactive step keeps the
// state and writes a zero output, so both directions handle padded batches the same way.
struct RNNShape {
  RNNMode mode;
  int64_t T, B, I, H, P;
  bool reverse;
  const int64_t* lengths;  // (B) or null
};

template <class T>
struct RecurrentKernels {
  // x: (T, B, I), h0: (B, P), c0: (B, H) (LSTM), w_ih: (G*H, I), w_hh: (G*H, P), b_ih/b_hh: (G*H) or null,
  // w_hr: (P, H) or null. Outputs out: (T, B, P), hn: (B, P), cn: (B, H) (LSTM).
  // Saved for backward: gates (T, B, G*H) activations, hprev (T, B, P) the state each step read,
  // extra (T, B, H): LSTM the cell state each step read, GRU W_hn h + b_hn (unused for RNN).
  void (*rnn_layer_forward)(const RNNShape& s, const T* x, const T* h0, const T* c0, const T* w_ih, const T* w_hh,
                            const T* b_ih, const T* b_hh, const T* w_hr, T* out, T* hn, T* cn, T* gates, T* hprev,
                            T* extra);
  // dout: (T, B, P), dhn: (B, P), dcn: (B, H) (LSTM), the rest as in forward. Gradients (each null when
  // not needed, except that dx/dw/db come from the same dgates buffers): dx (T, B, I), dh0 (B, P),
  // dc0 (B, H), dw_ih, dw_hh, db_ih, db_hh, dw_hr, shaped as their inputs.
  void (*rnn_layer_backward)(const RNNShape& s, const T* x, const T* w_ih, const T* w_hh, const T* w_hr, const T* gates,
                             const T* hprev, const T* extra, const T* dout, const T* dhn, const T* dcn, T* dx, T* dh0,
                             T* dc0, T* dw_ih, T* dw_hh, T* db_ih, T* db_hh, T* dw_hr);
};

}  // namespace rb
