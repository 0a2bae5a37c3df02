// The CTC family's kernel table: each sequence's negative log-likelihood under per-frame label
// log-probabilities (the alpha recursion in log space) and its gradient through beta, as ATen's LossCTC.cpp.
#pragma once
#include <cstdint>
#include <vector>

#include "rosenblatt/dtype.h"

namespace rb {

// Checked by the op before any kernel runs: input_lengths[b] in [0, T], target b's labels in [0, C),
// at targets[target_offsets[b] + i] for i < target_lengths[b], max_target <= every length.
struct CtcGeometry {
  int64_t T = 0, N = 0, C = 0;  // frames, batch, labels (the blank among them)
  int64_t blank = 0;
  int64_t max_target = 0;        // log_alpha holds 2 * max_target + 1 states per frame
  DType dtype = DType::Float32;  // of log_probs, and so of every float operand
  std::vector<int64_t> input_lengths, target_lengths, target_offsets;
};

struct CtcKernels {
  // log_probs: (T, N, C), targets: int64 -> nll: (N), log_alpha: (N, T, 2 * max_target + 1), all
  // contiguous; rows t < input_lengths[b] of log_alpha written. An empty input gives -0 for an empty
  // target and inf otherwise, as PyTorch.
  void (*ctc_loss_forward)(const CtcGeometry& g, const void* log_probs, const int64_t* targets, void* nll,
                           void* log_alpha);
  // dnll: (N), with the forward's operands -> dlog_probs: (T, N, C), written whole. PyTorch's formula
  // (exp(lp) - exp(log(sum alpha beta) + nll - lp)) * dnll: the true gradient plus exp(lp), which a
  // log_softmax in front cancels (its rows sum to zero); 0 for t >= input_lengths[b], and for a
  // sample with infinite nll when zero_infinity.
  void (*ctc_loss_backward)(const CtcGeometry& g, const void* dnll, const void* log_probs, const int64_t* targets,
                            const void* nll, const void* log_alpha, bool zero_infinity, void* dlog_probs);
};

}  // namespace rb
