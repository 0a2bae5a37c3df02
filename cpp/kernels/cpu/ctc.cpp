// CPU CTC: per sample (threads over the batch), alpha forward in log space over the 2S+1 states of
// the target with blanks interleaved; backward runs beta over two rows and collects alpha*beta per
// label straight into dlog_probs. Compiled once, as baseline code: the recursions are exp/log
// chains along the states, which no instruction set vectorizes.
#include "ctc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "loops.h"

namespace rb::cpu {
namespace {

template <class T>
constexpr T kNegInf = -std::numeric_limits<T>::infinity();

// log(exp(a) + exp(b) + exp(c)), -inf when all are (no inf - inf).
template <class T>
T log_add3(T a, T b, T c) {
  const T m = std::max(a, std::max(b, c));
  if (m == kNegInf<T>) return m;
  return m + std::log(std::exp(a - m) + std::exp(b - m) + std::exp(c - m));
}

template <class T>
T log_add(T a, T b) {
  if (a == kNegInf<T>) return b;
  if (b == kNegInf<T>) return a;
  const T m = std::max(a, b);
  return m + std::log1p(std::exp(-std::abs(a - b)));
}

// Sample b's extended target: blanks at even states, its labels at odd ones (2 * tl + 1 states).
void extended_target(const int64_t* tg, const CtcGeometry& g, int64_t b, std::vector<int64_t>& ext) {
  const int64_t tl = g.target_lengths[b];
  ext.assign(2 * tl + 1, g.blank);
  for (int64_t i = 0; i < tl; ++i) ext[2 * i + 1] = tg[g.target_offsets[b] + i];
}

// The per-sample work, for the grain of the batch loop: about T * states exp/log.
int64_t sample_cost(const CtcGeometry& g) { return g.T * (2 * g.max_target + 1) * 8; }

// log_probs: (T, N, C); targets: int64; nll: (N); log_alpha: (N, T, W), W = 2 * max_target + 1.
template <class T>
void forward_impl(const CtcGeometry& g, const T* lp, const int64_t* tg, T* out, T* la_all) {
  const int64_t N = g.N, C = g.C, W = 2 * g.max_target + 1;
  parallel_for(N, grain_for(sample_cost(g)), [&](int64_t b0, int64_t b1) {
    std::vector<int64_t> ext;
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t il = g.input_lengths[b], tl = g.target_lengths[b], S = 2 * tl + 1;
      if (il == 0) {
        out[b] = tl == 0 ? T(-0.0) : -kNegInf<T>;
        continue;
      }
      extended_target(tg, g, b, ext);
      T* la = la_all + b * g.T * W;
      const T* lp0 = lp + b * C;  // frame t of sample b: lp0 + t * N * C
      std::fill(la, la + S, kNegInf<T>);
      la[0] = lp0[g.blank];
      if (tl > 0) la[1] = lp0[ext[1]];
      for (int64_t t = 1; t < il; ++t) {
        const T* prev = la + (t - 1) * W;
        T* cur = la + t * W;
        const T* lpt = lp0 + t * N * C;
        for (int64_t s = 0; s < S; ++s) {
          // A label may follow the label two states back unless the two are equal (then a blank must separate them).
          const T a2 = s > 0 ? prev[s - 1] : kNegInf<T>;
          const T a3 = s > 1 && ext[s] != ext[s - 2] ? prev[s - 2] : kNegInf<T>;
          cur[s] = log_add3(prev[s], a2, a3) + lpt[ext[s]];
        }
      }
      const T* last = la + (il - 1) * W;
      out[b] = -log_add(last[2 * tl], tl > 0 ? last[2 * tl - 1] : kNegInf<T>);
    }
  });
}

// dnll: (N); dlog_probs: (T, N, C). The collected log(sum alpha beta) per label lands in dlog_probs
// first, then becomes the gradient in place.
template <class T>
void backward_impl(const CtcGeometry& g, const T* gout, const T* lp, const int64_t* tg, const T* nl, const T* la_all,
                   bool zero_infinity, T* grad) {
  const int64_t N = g.N, C = g.C, W = 2 * g.max_target + 1;
  parallel_for(N, grain_for(sample_cost(g)), [&](int64_t b0, int64_t b1) {
    std::vector<int64_t> ext;
    std::vector<T> beta_next, beta_cur;
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t il = g.input_lengths[b], tl = g.target_lengths[b], S = 2 * tl + 1;
      const T nll_b = nl[b];
      const bool zero = zero_infinity && nll_b == std::numeric_limits<T>::infinity();
      const int64_t live = zero ? 0 : il;  // frames with a gradient
      for (int64_t t = live; t < g.T; ++t) std::fill(grad + (t * N + b) * C, grad + (t * N + b + 1) * C, T(0));
      if (live == 0) continue;
      extended_target(tg, g, b, ext);
      const T* la = la_all + b * g.T * W;
      const T* lp0 = lp + b * C;
      T* g0 = grad + b * C;
      beta_next.assign(S, kNegInf<T>);
      beta_cur.assign(S, kNegInf<T>);
      for (int64_t t = il - 1; t >= 0; --t) {
        const T* lpt = lp0 + t * N * C;
        if (t == il - 1) {
          beta_cur[S - 1] = lpt[g.blank];
          if (tl > 0) beta_cur[S - 2] = lpt[ext[S - 2]];
        } else {
          for (int64_t s = 0; s < S; ++s) {
            const T b2 = s + 1 < S ? beta_next[s + 1] : kNegInf<T>;
            const T b3 = s + 2 < S && ext[s + 2] != ext[s] ? beta_next[s + 2] : kNegInf<T>;
            beta_cur[s] = log_add3(beta_next[s], b2, b3) + lpt[ext[s]];
          }
        }
        T* gt = g0 + t * N * C;
        std::fill(gt, gt + C, kNegInf<T>);
        const T* lat = la + t * W;
        if (t == il - 1) {
          // Only the two end states live here. PyTorch assigns them (blank, then the last label) rather
          // than adding: the same, except for a last label equal to the blank (an invalid target), where
          // we follow it so the gradients agree.
          gt[g.blank] = lat[S - 1] + beta_cur[S - 1];
          if (tl > 0) gt[ext[S - 2]] = lat[S - 2] + beta_cur[S - 2];
        } else {
          for (int64_t s = 0; s < S; ++s) gt[ext[s]] = log_add(gt[ext[s]], lat[s] + beta_cur[s]);
        }
        const T gr = gout[b];
        for (int64_t c = 0; c < C; ++c) gt[c] = (std::exp(lpt[c]) - std::exp(gt[c] + nll_b - lpt[c])) * gr;
        std::swap(beta_cur, beta_next);
      }
    }
  });
}

void ctc_loss_forward(const CtcGeometry& g, const void* log_probs, const int64_t* targets, void* nll, void* log_alpha) {
  RB_DISPATCH_FLOATING(g.dtype, "ctc_loss", [&] {
    using T = scalar_t;
    forward_impl<T>(g, static_cast<const T*>(log_probs), targets, static_cast<T*>(nll), static_cast<T*>(log_alpha));
  });
}

void ctc_loss_backward(const CtcGeometry& g, const void* dnll, const void* log_probs, const int64_t* targets,
                       const void* nll, const void* log_alpha, bool zero_infinity, void* dlog_probs) {
  RB_DISPATCH_FLOATING(g.dtype, "ctc_loss_backward", [&] {
    using T = scalar_t;
    backward_impl<T>(g, static_cast<const T*>(dnll), static_cast<const T*>(log_probs), targets,
                     static_cast<const T*>(nll), static_cast<const T*>(log_alpha), zero_infinity,
                     static_cast<T*>(dlog_probs));
  });
}

}  // namespace

template <>
const CtcKernels& kernels<CtcKernels>() {
  static const CtcKernels table = {&ctc_loss_forward, &ctc_loss_backward};
  return table;
}

}  // namespace rb::cpu
