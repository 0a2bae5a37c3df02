// Linear, Embedding and Identity/Flatten: the layers of an MLP, with PyTorch's parameter names,
// layouts and default initializations (kaiming_uniform(a=sqrt(5)) for Linear, N(0, 1) for Embedding).
#pragma once
#include <optional>

#include "rosenblatt/nn/module.h"

namespace rb::nn {

// y = x W^T + b; weight (out, in), bias (out).
class Linear : public Module {
 public:
  Tensor weight, bias;
  Linear(int64_t in_features, int64_t out_features, bool with_bias = true, Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
};

// Rows of weight (num_embeddings, embedding_dim) picked by int64 indices; the padding_idx row
// (negative counts from the end) starts at zero and gets no gradient.
class Embedding : public Module {
 public:
  Tensor weight;
  int64_t padding_idx;  // -1: none
  Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx = std::nullopt,
            Generator* gen = nullptr);
  Tensor forward(const Tensor& indices) override;
};

class Identity : public Module {
 public:
  Tensor forward(const Tensor& x) override { return x; }
};

class Flatten : public Module {
 public:
  int64_t start_dim, end_dim;
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1) : start_dim(start_dim), end_dim(end_dim) {}
  Tensor forward(const Tensor& x) override { return flatten(x, start_dim, end_dim); }
};

}  // namespace rb::nn
