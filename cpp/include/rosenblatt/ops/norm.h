// Batch normalization over the channel dim 1 of (N, C, *) inputs, with running statistics, instance and
// group normalization, layer and RMS normalization over trailing dims, and channel-wise (feature)
// dropout, the Dropout2d of convolutional networks.
#pragma once
#include <optional>
#include <vector>

#include "rosenblatt/generator.h"
#include "rosenblatt/tensor.h"

namespace rb {

// training: normalize with the batch statistics and, when given, update running_mean/var in place
// (running = (1 - momentum) * running + momentum * batch, the variance unbiased); otherwise
// normalize with the running statistics. Differentiable in input, weight and bias.
Tensor batch_norm(const Tensor& x, const std::optional<Tensor>& running_mean, const std::optional<Tensor>& running_var,
                  const std::optional<Tensor>& weight, const std::optional<Tensor>& bias, bool training,
                  double momentum, double eps);

// Normalizes over the trailing dims given by normalized_shape: each of the leading positions by
// the mean and biased variance of its own values, then weight * xhat + bias (both of
// normalized_shape, optional). Differentiable in input, weight and bias, to any order.
Tensor layer_norm(const Tensor& x, const std::vector<int64_t>& normalized_shape, const std::optional<Tensor>& weight,
                  const std::optional<Tensor>& bias, double eps);

// RMS normalization over the trailing dims given by normalized_shape: x / sqrt(mean(x^2) + eps) * weight
// (weight of normalized_shape, optional); eps unset means the machine epsilon of x's dtype, as PyTorch's.
// Differentiable in input and weight, to any order.
Tensor rms_norm(const Tensor& x, const std::vector<int64_t>& normalized_shape, const std::optional<Tensor>& weight,
                std::optional<double> eps);

// (N, C, *) in num_groups groups of C / num_groups channels, each group of each sample normalized by
// its own mean and biased variance, then weight[c] * xhat + bias[c] (both (C), optional).
// Differentiable in input, weight and bias, to any order.
Tensor group_norm(const Tensor& x, int64_t num_groups, const std::optional<Tensor>& weight,
                  const std::optional<Tensor>& bias, double eps);

// (N, C, *): use_input_stats normalizes each (sample, channel) plane by its own statistics and, when
// given, moves running_mean/var (C) toward their mean over the batch (the variance unbiased);
// otherwise normalizes with the running statistics. PyTorch's torch.instance_norm: batch norm on the
// (1, N * C, *) view, the running statistics and affine parameters repeated per sample.
Tensor instance_norm(const Tensor& x, const std::optional<Tensor>& running_mean,
                     const std::optional<Tensor>& running_var, const std::optional<Tensor>& weight,
                     const std::optional<Tensor>& bias, bool use_input_stats, double momentum, double eps);

// Zeroes whole channels of (N, C, *) with probability p and scales the rest by 1/(1-p).
// The mask alone, shape (N, C, 1, ...), already scaled; gen: null means default_generator().
Tensor feature_dropout_mask(const Tensor& x, double p, Generator* gen = nullptr);
Tensor feature_dropout(const Tensor& x, double p, bool training, Generator* gen = nullptr);

}  // namespace rb
