// The CTC loss (cpp/ops/ctc.cpp): PyTorch's ctc_loss, both overloads (lengths as int lists or tensors).
#pragma once
#include <cstdint>
#include <vector>

#include "rosenblatt/ops/loss.h"
#include "rosenblatt/tensor.h"

namespace rb {

// log_probs: (T, N, C) or unbatched (T, C); targets: padded (N, S) or concatenated (sum(target_lengths)),
// labels in [0, C) (IndexError otherwise; padding past a target's length is not read); lengths: N entries,
// input lengths in [0, T]. Mean divides each loss by its target length (at least 1), then averages;
// zero_infinity zeroes infinite losses and their gradients. Lengths as a tensor: any integral dtype, read flat.
// The gradient is PyTorch's (exact through a log_softmax in front) and is not differentiable again.
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const std::vector<int64_t>& input_lengths,
                const std::vector<int64_t>& target_lengths, int64_t blank = 0, Reduction reduction = Reduction::Mean,
                bool zero_infinity = false);
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, int64_t blank = 0, Reduction reduction = Reduction::Mean,
                bool zero_infinity = false);

}  // namespace rb
