// Normalization and dropout layers: BatchNorm1d/2d (weight, bias; buffers running_mean,
// running_var, num_batches_tracked), LayerNorm (weight, bias) and Dropout, as PyTorch's.
#pragma once
#include "rosenblatt/nn/module.h"

namespace rb::nn {

// Batch statistics in training (moving the running ones by momentum), running ones in eval.
class BatchNorm : public Module {
 public:
  Tensor weight, bias, running_mean, running_var, num_batches_tracked;
  int64_t num_features;
  double eps, momentum;
  Tensor forward(const Tensor& x) override;

 protected:
  BatchNorm(int64_t num_features, double eps, double momentum, bool affine, bool track_running_stats, const char* name,
            int64_t min_dim, int64_t max_dim);

 private:
  const char* name_;
  int64_t min_dim_, max_dim_;
};

// (N, C) or (N, C, L)
class BatchNorm1d : public BatchNorm {
 public:
  explicit BatchNorm1d(int64_t num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true,
                       bool track_running_stats = true)
      : BatchNorm(num_features, eps, momentum, affine, track_running_stats, "BatchNorm1d", 2, 3) {}
};

// (N, C, H, W)
class BatchNorm2d : public BatchNorm {
 public:
  explicit BatchNorm2d(int64_t num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true,
                       bool track_running_stats = true)
      : BatchNorm(num_features, eps, momentum, affine, track_running_stats, "BatchNorm2d", 4, 4) {}
};

// Normalizes over the trailing normalized_shape; weight ones and bias zeros of that shape.
class LayerNorm : public Module {
 public:
  Tensor weight, bias;
  std::vector<int64_t> normalized_shape;
  double eps;
  explicit LayerNorm(std::vector<int64_t> normalized_shape, double eps = 1e-5, bool elementwise_affine = true,
                     bool with_bias = true);
  Tensor forward(const Tensor& x) override;
};

// Zeroes elements with probability p in training (the rest scaled by 1/(1-p)); identity in eval.
class Dropout : public Module {
 public:
  double p;
  explicit Dropout(double p = 0.5);
  Tensor forward(const Tensor& x) override { return dropout(x, p, is_training()); }
};

}  // namespace rb::nn
