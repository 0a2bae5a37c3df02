// Tensor creation: constant fills, ranges, and random tensors drawn from a seedable Generator.
#pragma once
#include <optional>

#include "rosenblatt/generator.h"
#include "rosenblatt/tensor.h"

namespace rb {

Tensor zeros(const Shape& shape, DType dtype = DType::Float32, Device device = {});
Tensor ones(const Shape& shape, DType dtype = DType::Float32, Device device = {});
Tensor full(const Shape& shape, Scalar value, DType dtype = DType::Float32, Device device = {});
Tensor scalar_tensor(Scalar value, DType dtype, Device device = {});  // 0-d
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);

// Ranges. arange's dtype, when not given, is int64 for integer arguments and float32 otherwise.
Tensor arange(Scalar start, Scalar end, Scalar step, std::optional<DType> dtype = std::nullopt, Device device = {});
Tensor linspace(Scalar start, Scalar end, int64_t steps, DType dtype = DType::Float32, Device device = {});
Tensor eye(int64_t n, int64_t m = -1, DType dtype = DType::Float32, Device device = {});  // m < 0: m = n

// Random tensors; gen == nullptr draws from default_generator().
Tensor rand(const Shape& shape, Generator* gen = nullptr, DType dtype = DType::Float32, Device device = {});
Tensor randn(const Shape& shape, Generator* gen = nullptr, DType dtype = DType::Float32, Device device = {});
Tensor randint(int64_t low, int64_t high, const Shape& shape, Generator* gen = nullptr, DType dtype = DType::Int64,
               Device device = {});
Tensor randperm(int64_t n, Generator* gen = nullptr, DType dtype = DType::Int64, Device device = {});
// Bernoulli draws with per-element probabilities p (values in [0, 1]); result has p's dtype.
Tensor bernoulli(const Tensor& p, Generator* gen = nullptr);
// torch.normal(mean, std) with tensors (broadcast): mean + std * N(0, 1); no gradient (PyTorch's is zero).
Tensor normal(const Tensor& mean, const Tensor& std, Generator* gen = nullptr);
// num_samples category indices per row of probs ((C) or (rows, C), non-negative finite weights with a
// positive sum, not necessarily normalized): int64 of shape (num_samples) or (rows, num_samples).
// Without replacement, num_samples <= C and no index repeats within a row.
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement = false, Generator* gen = nullptr);

// In-place random fills (bump the version counter; refuse leaves that require grad under grad mode).
Tensor& uniform_(Tensor& t, double from = 0.0, double to = 1.0, Generator* gen = nullptr);
Tensor& normal_(Tensor& t, double mean = 0.0, double std = 1.0, Generator* gen = nullptr);
Tensor& bernoulli_(Tensor& t, double p = 0.5, Generator* gen = nullptr);
Tensor& random_(Tensor& t, int64_t from, int64_t to, Generator* gen = nullptr);  // integers in [from, to)
Tensor& exponential_(Tensor& t, double lambd = 1.0, Generator* gen = nullptr);

}  // namespace rb
