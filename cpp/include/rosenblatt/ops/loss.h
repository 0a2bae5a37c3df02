// Losses with reduction none/mean/sum. Softmax+cross-entropy and sigmoid+BCE are fused for stability.
#pragma once
#include <optional>
#include <string>

#include "rosenblatt/tensor.h"

namespace rb {

enum class Reduction : uint8_t { None, Mean, Sum };
Reduction parse_reduction(const std::string& r);  // ValueError "{r} is not a valid value for reduction"

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean,
                      double beta = 1.0);
Tensor huber_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean, double delta = 1.0);
// input: probabilities in [0, 1]; log terms are clamped to >= -100 as in PyTorch.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight = {},
                            Reduction reduction = Reduction::Mean);
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const std::optional<Tensor>& weight = {},
                                        const std::optional<Tensor>& pos_weight = {},
                                        Reduction reduction = Reduction::Mean);
// input: (N, C), (N, C, d1, ...) or (C,); target: int64 class indices (N), (N, d1, ...), (), or float
// class probabilities of the input's shape.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight = {},
                     int64_t ignore_index = -100, Reduction reduction = Reduction::Mean, double label_smoothing = 0.0);
// input: log-probabilities, shaped as for cross_entropy; target: int64 class indices.
Tensor nll_loss(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight = {},
                int64_t ignore_index = -100, Reduction reduction = Reduction::Mean);

}  // namespace rb
