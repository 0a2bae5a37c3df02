// Scaled dot-product attention on the CPU with FlashAttention-2's schedule: the scores of one block
// of queries against one block of keys at a time, an online softmax that rescales the running output
// as a row's maximum grows, and a backward that recomputes each block's weights from the saved
// log-sum-exps. The products are a block by the head width, small enough that the BLAS's packing
// would cost as much as they do, so they run on gemm_packed's register tile (gemm_small).
#include "attention.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "activation.h"
#include "gemm_packed.h"
#include "loops.h"
#include "vmath.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

// Rows of queries and of keys per block: a (64, 64) score block and its operands stay in L1/L2.
// Both are whole numbers of panels on every capability (gemm_small reads B a panel at a time).
constexpr int64_t kBlockQ = 64, kBlockK = 64;

inline int64_t round_up(int64_t n, int64_t m) { return (n + m - 1) / m * m; }

// The dropout multiplier of weight (b, i, j): 0 or 1 / (1 - p), from splitmix64 of its position, so
// any pass can redraw it without storing a (B, L, S) mask.
template <class T>
inline T keep_scale(const AttentionGeom& g, int64_t b, int64_t i, int64_t j) {
  uint64_t z = g.seed + static_cast<uint64_t>((b * g.L + i) * g.S + j) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  const double u = static_cast<double>(z >> 11) * 0x1.0p-53;
  return u < g.dropout_p ? T(0) : static_cast<T>(1.0 / (1.0 - g.dropout_p));
}

// s: the raw products q_i . k_j of query row i against keys j0 .. j0 + n -> scale * s + mask, with
// -inf where the causal cut or a boolean mask hides the key.
template <class T>
void finish_scores(const AttentionGeom& g, const T* mask, int64_t b, int64_t i, int64_t j0, int64_t n, T* s) {
  const T scale = static_cast<T>(g.scale);
  if (mask) {
    const T* m = mask + g.mask_offset[b] + i * g.mask_stride_l + j0 * g.mask_stride_s;
    if (g.mask_stride_s == 1) {
      for (int64_t j = 0; j < n; ++j) s[j] = s[j] * scale + m[j];
    } else {
      const T m0 = m[0];
      for (int64_t j = 0; j < n; ++j) s[j] = s[j] * scale + m0;
    }
  } else {
    for (int64_t j = 0; j < n; ++j) s[j] *= scale;
  }
  if (g.causal)
    for (int64_t j = std::max<int64_t>(0, i + 1 - j0); j < n; ++j) s[j] = -std::numeric_limits<T>::infinity();
}

// s[j] = exp(s[j] - m), exactly 0 where s[j] is -inf (vexp's clamp leaves a tiny value there). The
// exp is computed on every lane and selected, so the loop has no branch and vectorizes.
template <class T>
RB_FLATTEN void exp_shifted(T* s, int64_t n, T m) {
  const T ninf = -std::numeric_limits<T>::infinity();
  for (int64_t j = 0; j < n; ++j) {
    const T e = vexp(s[j] - m);
    s[j] = s[j] == ninf ? T(0) : e;
  }
}

// Rows src[0 .. n) of width w (row stride w) as a B operand of gemm_small, which reads whole panels:
// src itself when w is a whole number of them, else a copy in dst (row stride ldd) whose columns
// past w stay as they were (zero from allocation) and reach only discarded lanes. ld: its row stride.
template <class T>
const T* panel_rows(const T* src, int64_t n, int64_t w, T* dst, int64_t ldd, int64_t& ld) {
  ld = w;
  if (w % PackedB<T>::kPanel == 0) return src;
  for (int64_t r = 0; r < n; ++r) std::copy_n(src + r * w, w, dst + r * ldd);
  ld = ldd;
  return dst;
}

// dst: (w, ldd) = src(n, w)^T, the transposed B operand.
template <class T>
void transpose_rows(const T* src, int64_t n, int64_t w, T* dst, int64_t ldd) {
  for (int64_t r = 0; r < n; ++r)
    for (int64_t e = 0; e < w; ++e) dst[e * ldd + r] = src[r * w + e];
}

// q: (B, L, E), k: (B / group, S, E), v: (B / group, S, Ev) -> out: (B, L, Ev), lse: (B, L)
template <class T>
void sdpa_forward(const AttentionGeom& g, const T* q, const T* k, const T* v, const T* mask, T* out, T* lse) {
  const int64_t L = g.L, S = g.S, E = g.E, Ev = g.Ev, nqb = (L + kBlockQ - 1) / kBlockQ;
  const int64_t Evp = round_up(Ev, PackedB<T>::kPanel);
  const T ninf = -std::numeric_limits<T>::infinity();
  parallel_for(g.B * nqb, grain_for(kBlockQ * S * (E + Ev)), [&](int64_t t0, int64_t t1) {
    std::vector<T> kt(E * kBlockK, T(0)), vb(kBlockK * Evp, T(0)), s(kBlockQ * kBlockK), acc(kBlockQ * Ev);
    T m[kBlockQ], l[kBlockQ];
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t b = t / nqb, i0 = t % nqb * kBlockQ, nq = std::min(kBlockQ, L - i0);
      const T* qb = q + (b * L + i0) * E;
      const T* kb = k + b / g.group * S * E;
      const T* vbh = v + b / g.group * S * Ev;
      std::fill_n(m, nq, ninf), std::fill_n(l, nq, T(0)), std::fill_n(acc.data(), nq * Ev, T(0));
      const int64_t kend = g.causal ? std::min(S, i0 + nq) : S;  // keys past the block's last query are all cut
      for (int64_t j0 = 0; j0 < kend; j0 += kBlockK) {
        const int64_t nk = std::min(kBlockK, kend - j0);
        transpose_rows(kb + j0 * E, nk, E, kt.data(), kBlockK);
        gemm_small(nq, nk, E, qb, E, kt.data(), kBlockK, T(0), s.data(), kBlockK);  // s = q k^T
        for (int64_t r = 0; r < nq; ++r) {
          const int64_t i = i0 + r;
          T* sr = s.data() + r * kBlockK;
          finish_scores(g, mask, b, i, j0, nk, sr);
          const T mx = std::max(m[r], row_max(sr, nk));
          if (mx == ninf) {  // every key so far is masked: nothing to add
            std::fill_n(sr, nk, T(0));
            continue;
          }
          exp_shifted(sr, nk, mx);
          const T alpha = m[r] == ninf ? T(0) : vexp(m[r] - mx);
          l[r] = l[r] * alpha + static_cast<T>(row_sum(sr, nk));
          m[r] = mx;
          if (alpha != T(1)) {
            T* ar = acc.data() + r * Ev;
            for (int64_t e = 0; e < Ev; ++e) ar[e] *= alpha;
          }
          if (g.dropout_p > 0)
            for (int64_t j = 0; j < nk; ++j) sr[j] *= keep_scale<T>(g, b, i, j0 + j);
        }
        int64_t ldv;
        const T* vr = panel_rows(vbh + j0 * Ev, nk, Ev, vb.data(), Evp, ldv);
        gemm_small(nq, Ev, nk, s.data(), kBlockK, vr, ldv, T(1), acc.data(), Ev);  // acc += p v
      }
      for (int64_t r = 0; r < nq; ++r) {
        const T inv = l[r] > T(0) ? T(1) / l[r] : T(0);
        const T* ar = acc.data() + r * Ev;
        T* o = out + (b * L + i0 + r) * Ev;
        for (int64_t e = 0; e < Ev; ++e) o[e] = ar[e] * inv;
        lse[b * L + i0 + r] = l[r] > T(0) ? m[r] + std::log(l[r]) : std::numeric_limits<T>::infinity();
      }
    }
  });
}

// The gradients of sdpa_forward. Each task owns its rows of dk and dv. With at least as many
// key/value problems as threads, the tasks are whole problems, so a problem's dq rows have one writer;
// with fewer, they are (problem, key block) pairs and each thread adds its share of dq into its own
// copy, summed at the end.
template <class T>
void sdpa_backward(const AttentionGeom& g, const T* q, const T* k, const T* v, const T* mask, const T* out,
                   const T* lse, const T* dout, T* dq, T* dk, T* dv) {
  const int64_t L = g.L, S = g.S, E = g.E, Ev = g.Ev, Bkv = g.B / g.group, nkb = (S + kBlockK - 1) / kBlockK;
  const int64_t NR = PackedB<T>::kPanel, Ep = round_up(E, NR), Evp = round_up(Ev, NR);
  const T scale = static_cast<T>(g.scale);
  // D_i = dout_i . out_i, the softmax backward's row term.
  std::vector<T> D(g.B * L);
  parallel_for(g.B * L, grain_for(Ev), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) D[r] = row_dot(dout + r * Ev, out + r * Ev, Ev);
  });
  // Key blocks split across threads add per-thread dq partials (thread-count dependent sums); whole problems
  // per task do not, so rb.use_deterministic_algorithms takes that path.
  const bool whole = Bkv >= num_threads() || deterministic();
  // key blocks per task, tasks; no keys (S = 0) make no tasks, and dq stays the zeros written below
  const int64_t blocks = whole ? std::max<int64_t>(nkb, 1) : 1, items = Bkv * nkb / blocks;
  const int64_t grain = grain_for(g.group * L * blocks * kBlockK * (E + Ev));
  const int64_t tasks = whole ? 1 : std::min<int64_t>(num_threads(), (items + grain - 1) / grain);
  const int64_t dq_size = g.B * L * E;
  std::fill_n(dq, dq_size, T(0));
  std::vector<T> dq_parts(tasks > 1 ? (tasks - 1) * dq_size : 0, T(0));
  parallel_for(items, grain, [&](int64_t t0, int64_t t1) {
    // The chunk from task 0 (the only one where the loop runs serially) adds into dq itself.
    T* dqt = whole || t0 == 0 ? dq : dq_parts.data() + (thread_index() - 1) * dq_size;
    std::vector<T> kt(E * kBlockK, T(0)), kb(kBlockK * Ep, T(0)), vt(Ev * kBlockK, T(0));
    std::vector<T> qb(kBlockQ * Ep, T(0)), dob(kBlockQ * Evp, T(0)), p(kBlockQ * kBlockK), dp(kBlockQ * kBlockK);
    std::vector<T> pt(kBlockK * kBlockQ), dk_acc(kBlockK * E), dv_acc(kBlockK * Ev);
    for (int64_t t = t0 * blocks; t < t1 * blocks; ++t) {  // t: (problem, key block)
      const int64_t bkv = t / nkb, j0 = t % nkb * kBlockK, nk = std::min(kBlockK, S - j0);
      const T* kh = k + (bkv * S + j0) * E;
      const T* vh = v + (bkv * S + j0) * Ev;
      transpose_rows(kh, nk, E, kt.data(), kBlockK);
      int64_t ldk, ldo, ldq;
      const T* kr = panel_rows(kh, nk, E, kb.data(), Ep, ldk);
      transpose_rows(vh, nk, Ev, vt.data(), kBlockK);
      std::fill(dk_acc.begin(), dk_acc.end(), T(0)), std::fill(dv_acc.begin(), dv_acc.end(), T(0));
      for (int64_t b = bkv * g.group; b < (bkv + 1) * g.group; ++b) {
        // With the causal cut, queries before j0 see none of these keys.
        for (int64_t i0 = g.causal ? j0 / kBlockQ * kBlockQ : 0; i0 < L; i0 += kBlockQ) {
          const int64_t nq = std::min(kBlockQ, L - i0);
          const T* qh = q + (b * L + i0) * E;
          const T* doh = dout + (b * L + i0) * Ev;
          // p = exp(scale q k^T + mask - lse): the forward's weights, recomputed.
          gemm_small(nq, nk, E, qh, E, kt.data(), kBlockK, T(0), p.data(), kBlockK);
          // dp = dout v^T
          gemm_small(nq, nk, Ev, doh, Ev, vt.data(), kBlockK, T(0), dp.data(), kBlockK);
          for (int64_t r = 0; r < nq; ++r) {
            const int64_t i = i0 + r;
            T* pr = p.data() + r * kBlockK;
            T* dpr = dp.data() + r * kBlockK;
            finish_scores(g, mask, b, i, j0, nk, pr);
            const T m = lse[b * L + i], Di = D[b * L + i];
            exp_shifted(pr, nk, m);
            if (g.dropout_p > 0) {
              // pt takes the dropped weights (for dv); dp the gradient through the same multipliers.
              for (int64_t j = 0; j < nk; ++j) {
                const T ks = keep_scale<T>(g, b, i, j0 + j);
                pt[j * kBlockQ + r] = pr[j] * ks;
                dpr[j] *= ks;
              }
            } else {
              for (int64_t j = 0; j < nk; ++j) pt[j * kBlockQ + r] = pr[j];
            }
            // dS = p (dp - D), times scale for dq and dk; it overwrites dp.
            for (int64_t j = 0; j < nk; ++j) dpr[j] = pr[j] * (dpr[j] - Di) * scale;
          }
          const T* dor = panel_rows(doh, nq, Ev, dob.data(), Evp, ldo);
          gemm_small(nk, Ev, nq, pt.data(), kBlockQ, dor, ldo, T(1), dv_acc.data(), Ev);        // dv += p^T dout
          gemm_small(nq, E, nk, dp.data(), kBlockK, kr, ldk, T(1), dqt + (b * L + i0) * E, E);  // dq += dS k
          transpose_rows(dp.data(), nq, kBlockK, pt.data(), kBlockQ);  // pt = dS^T (its first nk rows are used)
          const T* qr = panel_rows(qh, nq, E, qb.data(), Ep, ldq);
          gemm_small(nk, E, nq, pt.data(), kBlockQ, qr, ldq, T(1), dk_acc.data(), E);  // dk += dS^T q
        }
      }
      std::copy_n(dk_acc.data(), nk * E, dk + (bkv * S + j0) * E);
      std::copy_n(dv_acc.data(), nk * Ev, dv + (bkv * S + j0) * Ev);
    }
  });
  for (int64_t part = 0; part + 1 < tasks; ++part) {
    const T* src = dq_parts.data() + part * dq_size;
    parallel_for(dq_size, kGrain, [&](int64_t a, int64_t e) {
      for (int64_t x = a; x < e; ++x) dq[x] += src[x];
    });
  }
}

// mask: (B, L, S) = the dropout multipliers of every weight.
template <class T>
void sdpa_dropout_mask(const AttentionGeom& g, T* mask) {
  parallel_for(g.B * g.L, grain_for(g.S), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      for (int64_t j = 0; j < g.S; ++j) mask[r * g.S + j] = keep_scale<T>(g, r / g.L, r % g.L, j);
  });
}

}  // namespace

extern const AttentionKernels<float> attention_kernels_f32 = {&sdpa_forward<float>, &sdpa_backward<float>,
                                                              &sdpa_dropout_mask<float>};
extern const AttentionKernels<double> attention_kernels_f64 = {&sdpa_forward<double>, &sdpa_backward<double>,
                                                               &sdpa_dropout_mask<double>};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(AttentionKernels<float>, attention_kernels_f32)
RB_CPU_DISPATCH(AttentionKernels<double>, attention_kernels_f64)
