// Batch normalization over the channel dim 1 of (N, C, *) inputs, with running statistics, layer
// normalization over trailing dims, and channel-wise (feature) dropout, the Dropout2d of convolutional networks.
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

// Zeroes whole channels of (N, C, *) with probability p and scales the rest by 1/(1-p).
// The mask alone, shape (N, C, 1, ...), already scaled; gen: null means default_generator().
Tensor feature_dropout_mask(const Tensor& x, double p, Generator* gen = nullptr);
Tensor feature_dropout(const Tensor& x, double p, bool training, Generator* gen = nullptr);

}  // namespace rb
