// Recurrent layer kernels: one GEMM projects the inputs of all steps, one product per step against
// the recurrent weight packed once (gemm_packed) applies the recurrence, then a single pass per
// step applies the gate nonlinearities and the state update. Threads split the batch and each runs
// the whole sequence for its rows.
#include "recurrent.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "activation.h"
#include "blas.h"
#include "gemm_packed.h"
#include "loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

// Gate nonlinearities the compiler can vectorize for float (vexp and vtanh, within a few ulp);
// double keeps libm (the gradient-check dtype).
template <class T>
inline T sigm(T v) {
  return T(1) / (T(1) + vexp(-v));
}
// Pack the recurrent weight when it is used for several steps of a small batch; with a large
// batch the BLAS's own blocking wins.
inline bool packed_recurrence(const RNNShape& s) {
  return s.T >= 2 && s.B <= 128 && s.P > 0 && rnn_gates(s.mode) * s.H > 0;
}

inline bool active(const RNNShape& s, int64_t t, int64_t b) { return !s.lengths || t < s.lengths[b]; }

// Rows per thread when each thread runs the whole sequence for its rows: a row costs about
// T * G*H * (P + 1) flops; at least one full tile of gemm_packed per thread. Unpacked
// (one step, as the cells run, or a large batch) the rows stay together: the BLAS packs the whole
// weight for every product, so threads that each multiply a few rows would each pay that packing;
// the product then splits its columns across the threads instead (cpu::gemm).
inline int64_t batch_grain(const RNNShape& s) {
  if (!packed_recurrence(s)) return std::max<int64_t>(1, s.B);
  const int64_t row = std::max<int64_t>(1, s.T * rnn_gates(s.mode) * s.H * (s.P + 1));
  return std::max<int64_t>(kTileRows, static_cast<int64_t>(kParallelGemmFlops / 2) / row);
}

// The per-row cell updates, with restrict pointers: written inline, the many possible overlaps
// between the rows exceed the compiler's runtime alias checks and the loops stay scalar.
// a: the row's gate activations (G*H); c: the cell state read, cv: the new one, m: o * tanh(cv).
template <class T>
void lstm_row_forward(int64_t H, const T* __restrict a, const T* __restrict c, T* __restrict cv, T* __restrict m) {
  const T *gi = a, *gf = a + H, *gg = a + 2 * H, *go = a + 3 * H;
  for (int64_t j = 0; j < H; ++j) {
    cv[j] = gf[j] * c[j] + gi[j] * gg[j];
    m[j] = go[j] * vtanh(cv[j]);
  }
}

// dh: gradient of o * tanh(c); dc: carried cell gradient, updated in place; d: gate pre-activation
// gradients (4H); mrow: o * tanh(c) recomputed for the projection's weight gradient.
template <class T, bool Proj>
void lstm_row_backward(int64_t H, const T* __restrict a, const T* __restrict cp, const T* __restrict dh,
                       T* __restrict dc, T* __restrict d, T* __restrict mrow) {
  const T *gi = a, *gf = a + H, *gg = a + 2 * H, *go = a + 3 * H;
  for (int64_t j = 0; j < H; ++j) {
    const T cv = gf[j] * cp[j] + gi[j] * gg[j], tc = vtanh(cv);
    if constexpr (Proj) mrow[j] = go[j] * tc;
    const T dov = dh[j] * tc;
    const T dcv = dc[j] + dh[j] * go[j] * (T(1) - tc * tc);
    d[j] = dcv * gg[j] * gi[j] * (T(1) - gi[j]);
    d[H + j] = dcv * cp[j] * gf[j] * (T(1) - gf[j]);
    d[2 * H + j] = dcv * gi[j] * (T(1) - gg[j] * gg[j]);
    d[3 * H + j] = dov * go[j] * (T(1) - go[j]);
    dc[j] = dcv * gf[j];
  }
}

// GRU: hgn the saved W_hn h + b_hn, hp the state read; d the hidden-side and dx the input-side
// pre-activation gradients (they differ in the n gate, which r scales on the hidden side).
template <class T>
void gru_row_backward(int64_t H, const T* __restrict a, const T* __restrict hgn, const T* __restrict hp,
                      const T* __restrict dh, T* __restrict d, T* __restrict dx) {
  const T *r = a, *z = a + H, *n = a + 2 * H;
  for (int64_t j = 0; j < H; ++j) {
    const T dn = dh[j] * (T(1) - z[j]);
    const T dz = dh[j] * (hp[j] - n[j]);
    const T dan = dn * (T(1) - n[j] * n[j]);
    const T dar = dan * hgn[j] * r[j] * (T(1) - r[j]);
    const T daz = dz * z[j] * (T(1) - z[j]);
    dx[j] = d[j] = dar;
    dx[H + j] = d[H + j] = daz;
    dx[2 * H + j] = dan;
    d[2 * H + j] = dan * r[j];
  }
}

}  // namespace

// x: (T, B, I), h0: (B, P), c0: (B, H), w_ih: (G*H, I), w_hh: (G*H, P), w_hr: (P, H); out: (T, B, P)
template <class T>
void rnn_layer_forward(const RNNShape& s, const T* x, const T* h0, const T* c0, const T* w_ih, const T* w_hh,
                       const T* b_ih, const T* b_hh, const T* w_hr, T* out, T* hn, T* cn, T* gates, T* hprev,
                       T* extra) {
  const int64_t Tn = s.T, B = s.B, I = s.I, H = s.H, P = s.P, G = rnn_gates(s.mode), GH = G * H;
  const bool lstm = s.mode == RNNMode::LSTM, proj = lstm && w_hr;
  if (Tn * B > 0 && GH > 0) {
    if (I > 0)
      gemm<T>(false, true, Tn * B, GH, I, T(1), x, I, w_ih, I, T(0), gates, GH);
    else
      std::fill(gates, gates + Tn * B * GH, T(0));
  }
  std::copy_n(h0, B * P, hn);  // hn is the running state
  if (lstm) std::copy_n(c0, B * H, cn);
  const bool gru = s.mode == RNNMode::GRU;
  std::vector<T> hg(gru ? B * GH : 0), m(proj ? B * H : 0), hp(proj ? B * P : 0), cnew(lstm ? B * H : 0);
  std::vector<T> zb(b_ih ? 0 : GH, T(0));  // stands in for absent biases
  // Over several steps, W_hh^T (P, GH) packed once makes each step's small-batch product a pass
  // over the packed panels (the BLAS would re-pack W_hh at every step).
  std::unique_ptr<PackedB<T>> wt(packed_recurrence(s) ? new PackedB<T>(w_hh, P, true, P, GH) : nullptr);
  // h: rows of the state -> dst: the same rows of the gate pre-activations
  auto recur = [&](int64_t rows, const T* h, T beta, T* dst) {
    if (wt)
      gemm_packed<T>(rows, h, P, *wt, beta, dst, GH);
    else
      gemm<T>(false, true, rows, GH, P, T(1), h, P, w_hh, P, beta, dst, GH);
  };
  const T* bi = b_ih ? b_ih : zb.data();
  const T* bh = b_hh ? b_hh : zb.data();
  // The rows of a batch never meet, so each thread runs the whole sequence for its own rows: one
  // parallel region and no barrier per step (the products inside run on the calling thread).
  parallel_for(B, batch_grain(s), [&](int64_t b0, int64_t b1) {
    const int64_t rows = b1 - b0;
    for (int64_t step = 0; step < Tn; ++step) {
      const int64_t t = s.reverse ? Tn - 1 - step : step;
      std::copy_n(hn + b0 * P, rows * P, hprev + (t * B + b0) * P);
      if (lstm) std::copy_n(cn + b0 * H, rows * H, extra + (t * B + b0) * H);
      T* g_t = gates + t * B * GH;
      // RNN and LSTM add the recurrence straight onto the input projection (beta = 1); GRU keeps
      // W_hn h apart because r scales it.
      if (GH > 0 && P > 0) {
        if (gru)
          recur(rows, hn + b0 * P, T(0), hg.data() + b0 * GH);
        else
          recur(rows, hn + b0 * P, T(1), g_t + b0 * GH);
      } else if (gru) {
        std::fill(hg.begin() + b0 * GH, hg.begin() + b1 * GH, T(0));
      }
      T* o_t = out + t * B * P;
      // Simple unit-stride loops with no branches inside, so each one vectorizes.
      for (int64_t b = b0; b < b1; ++b) {
        T* a = g_t + b * GH;
        const T* r = gru ? hg.data() + b * GH : nullptr;
        const bool on = active(s, t, b);
        T* h = hn + b * P;
        T* o = o_t + b * P;
        if (!gru)
          for (int64_t j = 0; j < GH; ++j) a[j] += bi[j] + bh[j];
        if (s.mode == RNNMode::Tanh) {
          for (int64_t j = 0; j < H; ++j) a[j] = vtanh(a[j]);
        } else if (s.mode == RNNMode::Relu) {
          for (int64_t j = 0; j < H; ++j) a[j] = a[j] > T(0) ? a[j] : T(0);
        } else if (lstm) {
          for (int64_t j = 0; j < 2 * H; ++j) a[j] = sigm(a[j]);
          for (int64_t j = 2 * H; j < 3 * H; ++j) a[j] = vtanh(a[j]);
          for (int64_t j = 3 * H; j < 4 * H; ++j) a[j] = sigm(a[j]);
          T* c = cn + b * H;
          T* cv = cnew.data() + b * H;
          T* mm = proj ? m.data() + b * H : o;  // without a projection h is o * tanh(c) itself
          lstm_row_forward(H, a, c, cv, mm);
          if (on) std::copy_n(cv, H, c);
        } else {  // GRU: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
          T* hgn = extra + t * B * H + b * H;
          for (int64_t j = 0; j < 2 * H; ++j) a[j] = sigm(a[j] + r[j] + bi[j] + bh[j]);
          for (int64_t j = 0; j < H; ++j) hgn[j] = r[2 * H + j] + bh[2 * H + j];
          for (int64_t j = 0; j < H; ++j) a[2 * H + j] = vtanh(a[2 * H + j] + bi[2 * H + j] + a[j] * hgn[j]);
          const T *z = a + H, *n = a + 2 * H;
          for (int64_t j = 0; j < H; ++j) o[j] = (T(1) - z[j]) * n[j] + z[j] * h[j];
        }
        if (!gru && !lstm) std::copy_n(a, H, o);
        if (!proj) {
          if (on)
            std::copy_n(o, P, h);
          else
            std::fill(o, o + P, T(0));
        }
      }
      if (proj) {
        if (P > 0) gemm<T>(false, true, rows, P, H, T(1), m.data() + b0 * H, H, w_hr, H, T(0), hp.data() + b0 * P, P);
        for (int64_t b = b0; b < b1; ++b) {
          const bool on = active(s, t, b);
          if (on) std::copy_n(hp.data() + b * P, P, hn + b * P);
          for (int64_t j = 0; j < P; ++j) o_t[b * P + j] = on ? hn[b * P + j] : T(0);
        }
      }
    }
  });
}

template <class T>
void rnn_layer_backward(const RNNShape& s, const T* x, const T* w_ih, const T* w_hh, const T* w_hr, const T* gates,
                        const T* hprev, const T* extra, const T* dout, const T* dhn, const T* dcn, T* dx, T* dh0,
                        T* dc0, T* dw_ih, T* dw_hh, T* db_ih, T* db_hh, T* dw_hr) {
  const int64_t Tn = s.T, B = s.B, I = s.I, H = s.H, P = s.P, G = rnn_gates(s.mode), GH = G * H;
  const bool lstm = s.mode == RNNMode::LSTM, gru = s.mode == RNNMode::GRU, proj = lstm && w_hr;
  // dA: pre-activation gradients of the hidden-side GEMM; dXA those of the input side (differ only for GRU).
  // Left uninitialized (new T[], not a vector): every row is written each step before it is read.
  std::unique_ptr<T[]> dAbuf(new T[Tn * B * GH]), dXA(gru ? new T[Tn * B * GH] : nullptr);
  T* const dAp = dAbuf.get();
  T* dxa = gru ? dXA.get() : dAp;
  std::vector<T> dh(dhn, dhn + B * P), dhp(B * P), dc(lstm ? B * H : 0), dm(proj ? B * H : 0);
  std::vector<T> M(proj ? Tn * B * H : 0), dHP(proj ? Tn * B * P : 0);
  if (lstm) std::copy(dcn, dcn + B * H, dc.begin());
  std::unique_ptr<PackedB<T>> whh(packed_recurrence(s) ? new PackedB<T>(w_hh, P, false, GH, P) : nullptr);
  // As in the forward, each thread runs the whole sequence backwards for its own rows. The carried
  // gradient alternates between dh and dhp, each thread flipping its own pointers in step.
  parallel_for(B, batch_grain(s), [&](int64_t b0, int64_t b1) {
    const int64_t rows = b1 - b0;
    T *cur = dh.data(), *nxt = dhp.data();
    for (int64_t step = 0; step < Tn; ++step) {
      const int64_t t = s.reverse ? step : Tn - 1 - step;
      const T* g_t = gates + t * B * GH;
      for (int64_t b = b0; b < b1; ++b)
        if (active(s, t, b))
          for (int64_t j = 0; j < P; ++j) cur[b * P + j] += dout[(t * B + b) * P + j];
      if (proj) {
        T* dhp_t = dHP.data() + t * B * P;
        for (int64_t b = b0; b < b1; ++b)
          for (int64_t j = 0; j < P; ++j) dhp_t[b * P + j] = active(s, t, b) ? cur[b * P + j] : T(0);
        if (H > 0) {
          if (P > 0)
            gemm<T>(false, false, rows, H, P, T(1), cur + b0 * P, P, w_hr, H, T(0), dm.data() + b0 * H, H);
          else
            std::fill(dm.begin() + b0 * H, dm.begin() + b1 * H, T(0));
        }
      }
      const T* dmv = proj ? dm.data() : cur;
      T* dA_t = dAp + t * B * GH;
      T* dX_t = dxa + t * B * GH;
      for (int64_t b = b0; b < b1; ++b) {
        const T* a = g_t + b * GH;
        T* d = dA_t + b * GH;
        T* dxr = dX_t + b * GH;
        if (!active(s, t, b)) {
          std::fill(d, d + GH, T(0));
          if (gru) std::fill(dxr, dxr + GH, T(0));
          if (proj) std::fill(M.data() + (t * B + b) * H, M.data() + (t * B + b + 1) * H, T(0));
          continue;
        }
        const T* dhb = dmv + b * (proj ? H : P);
        if (s.mode == RNNMode::Tanh) {
          for (int64_t j = 0; j < H; ++j) d[j] = dhb[j] * (T(1) - a[j] * a[j]);
        } else if (s.mode == RNNMode::Relu) {
          for (int64_t j = 0; j < H; ++j) d[j] = a[j] > T(0) ? dhb[j] : T(0);
        } else if (lstm) {
          const T* cp = extra + (t * B + b) * H;
          T* dcb = dc.data() + b * H;
          if (proj)
            lstm_row_backward<T, true>(H, a, cp, dhb, dcb, d, M.data() + (t * B + b) * H);
          else
            lstm_row_backward<T, false>(H, a, cp, dhb, dcb, d, nullptr);
        } else {
          gru_row_backward(H, a, extra + (t * B + b) * H, hprev + (t * B + b) * P, dhb, d, dxr);
        }
      }
      if (P > 0) {
        if (whh)
          gemm_packed<T>(rows, dA_t + b0 * GH, GH, *whh, T(0), nxt + b0 * P, P);
        else if (GH > 0)
          gemm<T>(false, false, rows, P, GH, T(1), dA_t + b0 * GH, GH, w_hh, P, T(0), nxt + b0 * P, P);
        else
          std::fill(nxt + b0 * P, nxt + b1 * P, T(0));
      }
      for (int64_t b = b0; b < b1; ++b) {
        T* row = nxt + b * P;
        const T* dhb = cur + b * P;
        if (!active(s, t, b))
          std::copy(dhb, dhb + P, row);
        else if (gru)
          for (int64_t j = 0; j < H; ++j) row[j] += dhb[j] * g_t[b * GH + H + j];
      }
      std::swap(cur, nxt);
    }
  });
  if (Tn % 2) dh.swap(dhp);  // the carried gradient ended in dhp
  if (dh0) std::copy(dh.begin(), dh.end(), dh0);
  if (dc0 && lstm) std::copy(dc.begin(), dc.end(), dc0);
  const int64_t N = Tn * B;
  auto colsum = [&](const T* src, T* dst) {
    std::fill(dst, dst + GH, T(0));
    for (int64_t i = 0; i < N; ++i)
      for (int64_t j = 0; j < GH; ++j) dst[j] += src[i * GH + j];
  };
  if (dx) {
    if (N > 0 && I > 0 && GH > 0)
      gemm<T>(false, false, N, I, GH, T(1), dxa, GH, w_ih, I, T(0), dx, I);
    else
      std::fill(dx, dx + N * I, T(0));
  }
  if (dw_ih) {
    if (N > 0 && I > 0 && GH > 0)
      gemm<T>(true, false, GH, I, N, T(1), dxa, GH, x, I, T(0), dw_ih, I);
    else
      std::fill(dw_ih, dw_ih + GH * I, T(0));
  }
  if (dw_hh) {
    if (N > 0 && P > 0 && GH > 0)
      gemm<T>(true, false, GH, P, N, T(1), dAp, GH, hprev, P, T(0), dw_hh, P);
    else
      std::fill(dw_hh, dw_hh + GH * P, T(0));
  }
  if (db_ih) colsum(dxa, db_ih);
  if (db_hh) {
    if (db_ih && !gru)
      std::copy(db_ih, db_ih + GH, db_hh);  // the same sum: both sides share dA
    else
      colsum(dAp, db_hh);
  }
  if (dw_hr && proj) {
    if (N > 0 && P > 0 && H > 0)
      gemm<T>(true, false, P, H, N, T(1), dHP.data(), P, M.data(), H, T(0), dw_hr, H);
    else
      std::fill(dw_hr, dw_hr + P * H, T(0));
  }
}

#define RB_RNN_INST(T)                                                                                             \
  template void rnn_layer_forward<T>(const RNNShape&, const T*, const T*, const T*, const T*, const T*, const T*,  \
                                     const T*, const T*, T*, T*, T*, T*, T*, T*);                                  \
  template void rnn_layer_backward<T>(const RNNShape&, const T*, const T*, const T*, const T*, const T*, const T*, \
                                      const T*, const T*, const T*, const T*, T*, T*, T*, T*, T*, T*, T*, T*);
RB_RNN_INST(float)
RB_RNN_INST(double)

extern const RecurrentKernels<float> recurrent_kernels_f32 = {&rnn_layer_forward<float>, &rnn_layer_backward<float>};
extern const RecurrentKernels<double> recurrent_kernels_f64 = {&rnn_layer_forward<double>, &rnn_layer_backward<double>};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(RecurrentKernels<float>, recurrent_kernels_f32)
RB_CPU_DISPATCH(RecurrentKernels<double>, recurrent_kernels_f64)
