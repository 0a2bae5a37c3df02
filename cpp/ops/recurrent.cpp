// Recurrent layers and cells: shape checks with PyTorch's messages, the whole-sequence kernel call,
// and one autograd node per layer and direction whose backward runs through time from saved gates
// (under create_graph, through the layer rebuilt from differentiable cell ops instead).
#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"

#include "../kernels/recurrent.h"

namespace rb {
namespace {

RNNMode parse_mode(const std::string& m) {
  if (m == "RNN_TANH") return RNNMode::Tanh;
  if (m == "RNN_RELU") return RNNMode::Relu;
  if (m == "LSTM") return RNNMode::LSTM;
  if (m == "GRU") return RNNMode::GRU;
  RB_CHECK(false, ValueError, "Unknown recurrent mode '", m, "'");
  return RNNMode::Tanh;
}

template <class T>
const T* ptr(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}
template <class T>
T* mptr(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

// One layer from differentiable ops, PyTorch's equations step by step (gate order i, f, g, o for
// LSTM and r, z, n for GRU; n = tanh(W_in x + b_in + r (W_hn h + b_hn))). in: x (T, B, I), h0
// (B, P), c0 (B, H) (LSTM), w_ih, w_hh, b_ih, b_hh, w_hr (any but x, h0, w_ih, w_hh undefined);
// rows past their length keep their state and output zeros. Returns {output, h_n, c_n}.
std::vector<Tensor> rnn_layer_graph(RNNMode mode, const std::vector<Tensor>& in, const Tensor& lengths, bool reverse,
                                    int64_t H) {
  const Tensor &x = in[0], &w_ih = in[3], &w_hh = in[4], &b_ih = in[5], &b_hh = in[6], &w_hr = in[7];
  Tensor h = in[1], c = in[2];
  const int64_t T = x.size(0);
  Tensor xp = matmul(x, transpose(w_ih, 0, 1));  // (T, B, G H): the input projection of every step
  if (b_ih.defined()) xp = add(xp, b_ih);
  Tensor len = lengths.defined() ? unsqueeze(lengths, 1) : Tensor();  // (B, 1)
  auto gate = [&](const Tensor& t, int64_t k) { return narrow(t, 1, k * H, H); };
  std::vector<Tensor> outs(T);
  for (int64_t step = 0; step < T; ++step) {
    const int64_t t = reverse ? T - 1 - step : step;
    Tensor gx = select(xp, 0, t), gh = matmul(h, transpose(w_hh, 0, 1));
    if (b_hh.defined()) gh = add(gh, b_hh);
    Tensor hn, cn;
    switch (mode) {
      case RNNMode::Tanh: hn = tanh(add(gx, gh)); break;
      case RNNMode::Relu: hn = relu(add(gx, gh)); break;
      case RNNMode::LSTM: {
        Tensor a = add(gx, gh);
        cn = add(mul(sigmoid(gate(a, 1)), c), mul(sigmoid(gate(a, 0)), tanh(gate(a, 2))));
        hn = mul(sigmoid(gate(a, 3)), tanh(cn));
        if (w_hr.defined()) hn = matmul(hn, transpose(w_hr, 0, 1));
        break;
      }
      case RNNMode::GRU: {
        Tensor r = sigmoid(add(gate(gx, 0), gate(gh, 0))), z = sigmoid(add(gate(gx, 1), gate(gh, 1)));
        Tensor n = tanh(add(gate(gx, 2), mul(r, gate(gh, 2))));
        hn = add(mul(binary(BinaryOp::Sub, 1.0, z), n), mul(z, h));
        break;
      }
    }
    if (len.defined()) {
      Tensor live = binary(BinaryOp::Gt, len, Scalar(t));  // (B, 1)
      hn = where(live, hn, h);
      if (cn.defined()) cn = where(live, cn, c);
      outs[t] = where(live, hn, zeros_like(hn));
    } else {
      outs[t] = hn;
    }
    h = hn, c = cn;
  }
  return {stack(outs, 0), h, c};
}

struct RNNLayerBackward : Node {
  RNNShape s{};
  SavedTensor x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, gates, hprev, extra, lengths;
  bool need[8] = {};  // input, hx, cx, w_ih, w_hh, b_ih, b_hh, w_hr
  Shape x_shape;
  DType dt = DType::Float32;
  std::string name() const override { return "RNNLayerBackward"; }
  void release_saved() override {
    for (SavedTensor* t : {&x, &h0, &c0, &w_ih, &w_hh, &b_ih, &b_hh, &w_hr, &gates, &hprev, &extra, &lengths})
      t->reset();
  }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    check_not_released();
    auto opt = [&](const SavedTensor& t) { return t.defined() ? t.unpack(*this) : Tensor(); };
    if (GradMode::enabled()) {
      // create_graph: differentiate the layer rebuilt from cell ops (all recorded).
      Tensor len = opt(lengths);
      auto f = [&](const std::vector<Tensor>& in) { return rnn_layer_graph(s.mode, in, len, s.reverse, s.H); };
      const bool lstm = s.mode == RNNMode::LSTM;
      return grad_of_recomputed(f,
                                {x.unpack(*this), h0.unpack(*this), opt(c0), w_ih.unpack(*this), w_hh.unpack(*this),
                                 opt(b_ih), opt(b_hh), opt(w_hr)},
                                {grads[0], grads[1], lstm ? grads[2] : Tensor()});
    }
    Tensor xv = contiguous_nograd(x.unpack(*this)), wih = contiguous_nograd(w_ih.unpack(*this));
    Tensor whh = contiguous_nograd(w_hh.unpack(*this)), whr = contiguous_nograd(opt(w_hr));
    Tensor g = gates.unpack(*this), hp = hprev.unpack(*this);
    Tensor ex = extra.defined() ? extra.unpack(*this) : Tensor();
    Tensor len = lengths.defined() ? lengths.unpack(*this) : Tensor();
    const bool lstm = s.mode == RNNMode::LSTM;
    Tensor dout = grads[0].contiguous(), dhn = grads[1].contiguous();
    Tensor dcn = lstm ? grads[2].contiguous() : Tensor();
    const int64_t GH = rnn_gates(s.mode) * s.H;
    Device dev = xv.device();
    // x, w_ih, w_hh and the biases come out of the same buffers, so they are always computed.
    Tensor dx = Tensor::empty(x_shape, dt, dev), dh0 = Tensor::empty({s.B, s.P}, dt, dev);
    Tensor dc0 = lstm ? Tensor::empty({s.B, s.H}, dt, dev) : Tensor();
    Tensor dwih = Tensor::empty({GH, s.I}, dt, dev), dwhh = Tensor::empty({GH, s.P}, dt, dev);
    Tensor dbih = need[5] ? Tensor::empty({GH}, dt, dev) : Tensor(),
           dbhh = need[6] ? Tensor::empty({GH}, dt, dev) : Tensor();
    Tensor dwhr = whr.defined() ? Tensor::empty({s.P, s.H}, dt, dev) : Tensor();
    RNNShape sh = s;
    sh.lengths = len.defined() ? len.data<int64_t>() : nullptr;
    auto run = [&](auto tag) {
      using T = decltype(tag);
      kernels<RecurrentKernels<T>>("rnn_backward", xv)
          .rnn_layer_backward(sh, ptr<T>(xv), ptr<T>(wih), ptr<T>(whh), ptr<T>(whr), ptr<T>(g), ptr<T>(hp), ptr<T>(ex),
                              ptr<T>(dout), ptr<T>(dhn), ptr<T>(dcn), mptr<T>(dx), mptr<T>(dh0), mptr<T>(dc0),
                              mptr<T>(dwih), mptr<T>(dwhh), mptr<T>(dbih), mptr<T>(dbhh), mptr<T>(dwhr));
    };
    if (dt == DType::Float64)
      run(double{});
    else
      run(float{});
    return {need[0] ? dx : Tensor(),
            need[1] ? dh0 : Tensor(),
            need[2] ? dc0 : Tensor(),
            need[3] ? dwih : Tensor(),
            need[4] ? dwhh : Tensor(),
            dbih,
            dbhh,
            need[7] ? dwhr : Tensor()};
  }
};

void check_same(const Tensor& ref, const Tensor& t, const char* what) {
  if (!t.defined()) return;
  RB_CHECK(t.device() == ref.device(), Error, "rnn: Expected all tensors to be on the same device, but found ",
           ref.device().name(), " and ", t.device().name(), " (", what, ")");
  RB_CHECK(t.dtype() == ref.dtype(), Error, "rnn: expected ", what, " of dtype ", dtype_name(ref.dtype()), " but got ",
           dtype_name(t.dtype()));
}

void check_shape(const Tensor& t, const Shape& want, const char* what) {
  RB_CHECK(t.shape() == want, Error, "rnn: Expected ", what, " of shape ", want, ", got ", t.shape());
}

}  // namespace

namespace {
// Cells and layers on integer tensors as PyTorch computes them: each step's projections of x_t (B, I) and
// h (B, H) are integer matmuls (wrapping in the type, as its addmm), then rnn_relu's relu keeps the type;
// rnn_tanh's tanh gives float32, which the next step's matmul with the integer weight_hh refuses. The LSTM
// and GRU fail where their in-place sigmoid would write a float into the integer gates, and bool has no
// matmul (an empty result runs none, so it reaches the gates). input: (T, B, I) -> {out (T, B, H), hn, -}.
std::vector<Tensor> integer_layer(RNNMode mode, const Tensor& input, const Tensor& hx, const Tensor& w_ih,
                                  const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh, bool reverse) {
  const DType dt = input.dtype();
  const int64_t T = input.size(0), B = input.size(1), H = w_hh.size(1);
  RB_CHECK(dt != DType::Bool || B * H == 0, NotImplementedError, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
  RB_CHECK(mode == RNNMode::Tanh || mode == RNNMode::Relu, Error,
           "result type Float can't be cast to the desired output type ", aten_name(dt));
  RB_CHECK(dt != DType::Bool || mode == RNNMode::Tanh, Error, "Boolean inputs not supported for relu");
  RB_CHECK(mode == RNNMode::Relu || T == 1, Error, "mat1 and mat2 must have the same dtype, but got Float and ",
           aten_name(dt));
  if (dt == DType::Bool)
    return {Tensor::empty({T, B, H}, DType::Float32, input.device()),
            Tensor::empty({B, H}, DType::Float32, input.device()), Tensor()};
  Tensor h = hx.defined() ? hx : zeros({B, H}, dt, input.device());
  auto bias = [](const Tensor& b) { return b.defined() ? std::optional<Tensor>(b) : std::nullopt; };
  std::vector<Tensor> outs(T);
  for (int64_t i = 0; i < T; ++i) {
    const int64_t t = reverse ? T - 1 - i : i;
    const Tensor pre = add(linear(select(input, 0, t), w_ih, bias(b_ih)), linear(h, w_hh, bias(b_hh)));
    outs[t] = h = mode == RNNMode::Tanh ? tanh(pre) : relu(pre);
  }
  return {stack(outs, 0), h, Tensor()};
}

// rnn_layer's body. A layer refuses input and hidden sizes of 0 as PyTorch's module constructors do; a cell
// (one step, cell = true) takes them as torch's cells: an empty input projection, or an empty state.
std::vector<Tensor> run_layer(const std::string& mode_name, const Tensor& input, const Tensor& hx_in,
                              const Tensor& cx_in, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                              const Tensor& b_hh, const Tensor& w_hr, const Tensor& lengths_in, bool reverse,
                              bool cell) {
  const RNNMode mode = parse_mode(mode_name);
  const bool lstm = mode == RNNMode::LSTM;
  // PyTorch's cells and layers first multiply input by weight_ih and hx by weight_hh: a dtype that differs there
  // (an integer input to a float module, say) is refused with its matmul's error.
  for (auto [a, b] : {std::pair{&input, &w_ih}, {&hx_in, &w_hh}})
    RB_CHECK(!a->defined() || !b->defined() || a->dtype() == b->dtype(), Error,
             "mat1 and mat2 must have the same dtype, but got ", aten_name(a->dtype()), " and ", aten_name(b->dtype()));
  // A layer over packed sequences (lengths) of integers is not computed yet.
  RB_CHECK(is_floating(input.dtype()) || !lengths_in.defined(), Error, "rnn: expected a floating point input, got ",
           dtype_name(input.dtype()));
  RB_CHECK(input.dim() == 3, Error, "rnn: Expected input to be 3-D (seq_len, batch, input_size), got shape ",
           input.shape());
  RB_CHECK(w_ih.defined() && w_hh.defined() && w_ih.dim() == 2 && w_hh.dim() == 2, Error,
           "rnn: weight_ih and weight_hh must be 2-D");
  for (auto [t, w] : {std::pair{&hx_in, "hx"},
                      {&cx_in, "cx"},
                      {&w_ih, "weight_ih"},
                      {&w_hh, "weight_hh"},
                      {&b_ih, "bias_ih"},
                      {&b_hh, "bias_hh"},
                      {&w_hr, "weight_hr"}})
    check_same(input, *t, w);
  if (cell && !is_floating(input.dtype())) return integer_layer(mode, input, hx_in, w_ih, w_hh, b_ih, b_hh, false);
  if (is_floating(input.dtype()) && !is_compute_dtype(input.dtype())) {
    // float16/bfloat16 (Module.half()): the layer runs in float32 and each result rounds once.
    auto wide = [](const Tensor& t) { return t.defined() ? widen(t) : t; };
    auto r = run_layer(mode_name, widen(input), wide(hx_in), wide(cx_in), wide(w_ih), wide(w_hh), wide(b_ih),
                       wide(b_hh), wide(w_hr), lengths_in, reverse, cell);
    for (auto& t : r)
      if (t.defined()) t = cast(t, input.dtype());
    return r;
  }
  RB_CHECK(b_ih.defined() == b_hh.defined(), Error, "rnn: bias_ih and bias_hh must both be given or both be None");
  RB_CHECK(!w_hr.defined() || lstm, Error, "rnn: weight_hr (proj_size) is only supported by LSTM");
  const int64_t G = rnn_gates(mode), T = input.size(0), B = input.size(1), I = input.size(2);
  RB_CHECK(w_ih.size(0) % G == 0, Error, "rnn: weight_ih has ", w_ih.size(0), " rows, not a multiple of ", G);
  const int64_t H = w_ih.size(0) / G;
  // PyTorch's module constructor refuses these sizes (ValueError) before it sees any tensor.
  RB_CHECK(cell || I > 0, ValueError, "input_size must be greater than zero");
  RB_CHECK(cell || H > 0, ValueError, "hidden_size must be greater than zero");
  const int64_t P = w_hr.defined() ? w_hr.size(0) : H;
  RB_CHECK(w_ih.size(1) == I, Error, "input.size(-1) must be equal to input_size. Expected ", w_ih.size(1), ", got ",
           I);
  check_shape(w_hh, {G * H, P}, "weight_hh");
  if (b_ih.defined()) check_shape(b_ih, {G * H}, "bias_ih"), check_shape(b_hh, {G * H}, "bias_hh");
  if (w_hr.defined()) check_shape(w_hr, {P, H}, "weight_hr");
  if (hx_in.defined()) check_shape(hx_in, {B, P}, "hidden state hx");
  if (lstm && cx_in.defined()) check_shape(cx_in, {B, H}, "cell state cx");
  RB_CHECK(!(!lstm && cx_in.defined()), Error, "rnn: a cell state is only taken by LSTM");
  RB_CHECK(T > 0, Error, "Expected sequence length to be larger than 0 in RNN");
  if (!is_floating(input.dtype())) return integer_layer(mode, input, hx_in, w_ih, w_hh, b_ih, b_hh, reverse);
  Tensor lengths;
  if (lengths_in.defined()) {
    RB_CHECK(lengths_in.dtype() == DType::Int64 && lengths_in.dim() == 1 && lengths_in.size(0) == B, Error,
             "rnn: lengths must be an int64 tensor of shape (", B, "), got ", dtype_name(lengths_in.dtype()), " ",
             lengths_in.shape());
    lengths = lengths_in.contiguous();
    const int64_t* l = lengths.data<int64_t>();
    for (int64_t b = 0; b < B; ++b)
      RB_CHECK(l[b] >= 0 && l[b] <= T, ValueError, "rnn: lengths[", b, "] = ", l[b], " is out of range [0, ", T, "]");
  }
  const DType dt = input.dtype();
  const Device dev = input.device();
  Tensor x, hx, cx, wih, whh, bih, bhh, whr;
  {
    NoGradGuard ng;
    x = input.contiguous(), wih = w_ih.contiguous(), whh = w_hh.contiguous();
    hx = hx_in.defined() ? hx_in.contiguous() : zeros({B, P}, dt, dev);
    if (lstm) cx = cx_in.defined() ? cx_in.contiguous() : zeros({B, H}, dt, dev);
    if (b_ih.defined()) bih = b_ih.contiguous(), bhh = b_hh.contiguous();
    if (w_hr.defined()) whr = w_hr.contiguous();
  }
  Tensor out = Tensor::empty({T, B, P}, dt, dev), hn = Tensor::empty({B, P}, dt, dev);
  Tensor cn = lstm ? Tensor::empty({B, H}, dt, dev) : Tensor();
  Tensor gates = Tensor::empty({T, B, G * H}, dt, dev), hprev = Tensor::empty({T, B, P}, dt, dev);
  Tensor extra = (lstm || mode == RNNMode::GRU) ? Tensor::empty({T, B, H}, dt, dev) : Tensor();
  RNNShape s{mode, T, B, I, H, P, reverse, lengths.defined() ? lengths.data<int64_t>() : nullptr};
  auto run = [&](auto tag) {
    using V = decltype(tag);
    kernels<RecurrentKernels<V>>("rnn", x).rnn_layer_forward(
        s, ptr<V>(x), ptr<V>(hx), ptr<V>(cx), ptr<V>(wih), ptr<V>(whh), ptr<V>(bih), ptr<V>(bhh), ptr<V>(whr),
        mptr<V>(out), mptr<V>(hn), mptr<V>(cn), mptr<V>(gates), mptr<V>(hprev), mptr<V>(extra));
  };
  if (dt == DType::Float64)
    run(double{});
  else
    run(float{});
  if (GradMode::enabled()) {
    const Tensor* ins[8] = {&input, &hx_in, &cx_in, &w_ih, &w_hh, &b_ih, &b_hh, &w_hr};
    bool any = false;
    for (auto* t : ins) any = any || (t->defined() && t->requires_grad());
    if (any) {
      auto node = std::make_shared<RNNLayerBackward>();
      for (int i = 0; i < 8; ++i) node->need[i] = ins[i]->defined() && ins[i]->requires_grad();
      node->s = s;
      node->s.lengths = nullptr;
      node->x_shape = input.shape();
      node->dt = dt;
      // The inputs as given (with their history, for create_graph); h0/c0 as used (zeros if none).
      node->x = SavedTensor(input), node->w_ih = SavedTensor(w_ih), node->w_hh = SavedTensor(w_hh);
      node->h0 = SavedTensor(hx_in.defined() ? hx_in : hx);
      if (lstm) node->c0 = SavedTensor(cx_in.defined() ? cx_in : cx);
      if (b_ih.defined()) node->b_ih = SavedTensor(b_ih), node->b_hh = SavedTensor(b_hh);
      if (w_hr.defined()) node->w_hr = SavedTensor(w_hr);
      node->gates = SavedTensor(gates), node->hprev = SavedTensor(hprev);
      if (extra.defined()) node->extra = SavedTensor(extra);
      if (lengths.defined()) node->lengths = SavedTensor(lengths);
      std::vector<const Tensor*> in(ins, ins + 8);
      std::vector<Tensor*> outs = {&out, &hn};
      if (lstm) outs.push_back(&cn);
      record(node, in, outs);
    }
  }
  return {out, hn, cn};
}
}  // namespace

std::vector<Tensor> rnn_layer(const std::string& mode, const Tensor& input, const Tensor& hx, const Tensor& cx,
                              const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh,
                              const Tensor& w_hr, const Tensor& lengths, bool reverse) {
  return run_layer(mode, input, hx, cx, w_ih, w_hh, b_ih, b_hh, w_hr, lengths, reverse, false);
}

namespace {
void check_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, int64_t gates,
                const char* what) {
  // ATen reads input.size(1) first: a 1-D input (an unbatched one, which only the modules take) is an IndexError.
  RB_CHECK(input.dim() >= 2, IndexError, "Dimension out of range (expected to be in range of [", -input.dim(), ", ",
           input.dim() - 1, "], but got 1)");
  RB_CHECK(input.dim() == 2, Error, what, ": Expected input to be 2-D (batch, input_size), got shape ", input.shape());
  RB_CHECK(w_ih.dim() == 2 && input.size(1) == w_ih.size(1), Error, "input has inconsistent input_size: got ",
           input.size(1), " expected ", w_ih.dim() == 2 ? w_ih.size(1) : -1);
  RB_CHECK(!hx.defined() || (hx.dim() == 2 && hx.size(0) == input.size(0)), Error, "Input batch size ", input.size(0),
           " doesn't match hidden0 batch size ", hx.defined() && hx.dim() ? hx.size(0) : -1);
  RB_CHECK(!hx.defined() || w_hh.dim() != 2 || hx.size(1) == w_hh.size(1), Error,
           "hidden0 has inconsistent hidden_size: got ", hx.size(1), ", expected ", w_hh.size(1));
  // ATen's check_rnn_cell_forward_weights, with the hidden size w_hh's columns give.
  if (w_hh.dim() == 2) {
    const int64_t G = gates, H = w_hh.size(1);
    RB_CHECK(w_ih.size(0) == G * H, Error, "weight_ih first dim must be ", G, " * hidden_size = ", G * H, ", but got ",
             w_ih.size(0));
    RB_CHECK(w_hh.size(0) == G * H, Error, "weight_hh first dim must be ", G, " * hidden_size = ", G * H, ", but got ",
             w_hh.size(0));
  }
}
Tensor step(const Tensor& t) { return t.defined() ? unsqueeze(t, 0) : t; }
}  // namespace

Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                     const Tensor& b_hh) {
  check_cell(input, hx, w_ih, w_hh, 1, "rnn_tanh_cell");
  return run_layer("RNN_TANH", step(input), hx, Tensor(), w_ih, w_hh, b_ih, b_hh, Tensor(), Tensor(), false, true)[1];
}
Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                     const Tensor& b_hh) {
  check_cell(input, hx, w_ih, w_hh, 1, "rnn_relu_cell");
  return run_layer("RNN_RELU", step(input), hx, Tensor(), w_ih, w_hh, b_ih, b_hh, Tensor(), Tensor(), false, true)[1];
}
std::vector<Tensor> lstm_cell(const Tensor& input, const Tensor& hx, const Tensor& cx, const Tensor& w_ih,
                              const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  check_cell(input, hx, w_ih, w_hh, 4, "lstm_cell");
  auto r = run_layer("LSTM", step(input), hx, cx, w_ih, w_hh, b_ih, b_hh, Tensor(), Tensor(), false, true);
  return {r[1], r[2]};
}
Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                const Tensor& b_hh) {
  check_cell(input, hx, w_ih, w_hh, 3, "gru_cell");
  return run_layer("GRU", step(input), hx, Tensor(), w_ih, w_hh, b_ih, b_hh, Tensor(), Tensor(), false, true)[1];
}

}  // namespace rb
