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

// --- composites of differentiable ops (cpp/ops/loss_composite.cpp), PyTorch's formulas ---
// input: log-probabilities; target: probabilities, or log-probabilities with log_target. "batchmean"
// is the Python layer's (a sum divided by the batch size).
Tensor kl_div(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean,
              bool log_target = false);
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input = true, bool full = false,
                        double eps = 1e-8, Reduction reduction = Reduction::Mean);
// var: input's shape, input's shape without its last dim, or one dim of size 1 (ValueError otherwise,
// and for a negative entry); clamped to >= eps in value only. reduction is checked after var, as PyTorch.
Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var, bool full = false,
                         double eps = 1e-6, const std::string& reduction = "mean");
// input1, input2: (N, D) with target (N,), or (D,) with a 0-d target; target 1 or -1 (other values give 0).
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin = 0.0,
                             Reduction reduction = Reduction::Mean);
Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target, double margin = 1.0,
                            Reduction reduction = Reduction::Mean);
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin = 0.0,
                           Reduction reduction = Reduction::Mean);
// Distances over the last dim (pairwise_distance); swap takes the smaller of d(a, n) and d(p, n).
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative, double margin = 1.0,
                           double p = 2.0, double eps = 1e-6, bool swap = false, Reduction reduction = Reduction::Mean);
Tensor soft_margin_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
// input: (N, C) or (C,); the per-sample loss is the mean over classes of the (weighted) logistic loss.
Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight = {},
                                   Reduction reduction = Reduction::Mean);
// input: (N, C), (C,) or 0-d; target: int64 class indices (N,) / () or (1,); p 1 or 2; weight (C,).
Tensor multi_margin_loss(const Tensor& input, const Tensor& target, int64_t p = 1, double margin = 1.0,
                         const std::optional<Tensor>& weight = {}, Reduction reduction = Reduction::Mean);

}  // namespace rb
