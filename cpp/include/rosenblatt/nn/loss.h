// Loss modules over the loss ops of rosenblatt/ops/loss.h (rb::cross_entropy, rb::mse_loss, ...):
// called as loss_fn(input, target), reduction "mean" by default as in PyTorch.
#pragma once
#include <string>

#include "rosenblatt/ops.h"

namespace rb::nn {

#define RB_NN_LOSS(Name, call)                                                                      \
  class Name {                                                                                      \
   public:                                                                                          \
    Reduction reduction;                                                                            \
    explicit Name(const std::string& reduction = "mean") : reduction(parse_reduction(reduction)) {} \
    Tensor operator()(const Tensor& input, const Tensor& target) const { return call; }             \
  };
RB_NN_LOSS(CrossEntropyLoss, cross_entropy(input, target, {}, -100, reduction))
RB_NN_LOSS(NLLLoss, nll_loss(input, target, {}, -100, reduction))
RB_NN_LOSS(MSELoss, mse_loss(input, target, reduction))
RB_NN_LOSS(L1Loss, l1_loss(input, target, reduction))
RB_NN_LOSS(BCELoss, binary_cross_entropy(input, target, {}, reduction))
RB_NN_LOSS(BCEWithLogitsLoss, binary_cross_entropy_with_logits(input, target, {}, {}, reduction))
#undef RB_NN_LOSS

}  // namespace rb::nn
