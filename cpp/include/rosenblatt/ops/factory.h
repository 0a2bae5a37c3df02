// Tensor creation: constant fills, ranges, and random tensors drawn from a seedable Generator.
#pragma once
#include <optional>

#include "rosenblatt/generator.h"
#include "rosenblatt/kinds.h"
#include "rosenblatt/tensor.h"

namespace rb {

Tensor zeros(const Shape& shape, DType dtype = DType::Float32, Device device = {});
Tensor ones(const Shape& shape, DType dtype = DType::Float32, Device device = {});
Tensor full(const Shape& shape, Scalar value, DType dtype = DType::Float32, Device device = {});
Tensor scalar_tensor(Scalar value, DType dtype, Device device = {});  // 0-d
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);

const char* memory_format_name(MemoryFormat fmt);  // "contiguous_format", ... as torch spells them
// pin_memory=True: pinned host memory needs an accelerator's allocator; raises as torch without one.
void check_pin_memory(bool pin_memory);
// Uninitialized memory viewed with the given strides (torch.empty_strided): the storage holds exactly
// the elements the strides reach.
Tensor empty_strided(const Shape& size, const Shape& stride, DType dtype = DType::Float32, Device device = {});
// The strides a new tensor of `shape` gets in format fmt. Preserve keeps `like`'s strides when its elements
// are dense and do not overlap (torch's rule), else is contiguous; the channels-last formats need rank 4 / 5.
Shape format_strides(const Shape& shape, MemoryFormat fmt, const Tensor* like = nullptr);
Tensor empty(const Shape& shape, DType dtype, Device device, MemoryFormat fmt);  // Preserve raises, as torch
Tensor empty_like(const Tensor& x, DType dtype, Device device, MemoryFormat fmt = MemoryFormat::Preserve);
// t (a new, contiguous tensor of a factory) laid out as fmt (like: for Preserve): t itself when the strides
// agree, else a copy with fmt's strides. Not recorded by autograd: factories make leaves.
Tensor as_format(const Tensor& t, MemoryFormat fmt, const Tensor* like = nullptr);
bool is_contiguous(const Tensor& x, MemoryFormat fmt);
// x laid out as fmt (x itself when it already is); Preserve raises, as torch's contiguous.
Tensor contiguous(const Tensor& x, MemoryFormat fmt);

// Ranges. arange's dtype, when not given, is int64 for integer arguments and float32 otherwise.
Tensor arange(Scalar start, Scalar end, Scalar step, std::optional<DType> dtype = std::nullopt, Device device = {});
Tensor linspace(Scalar start, Scalar end, int64_t steps, DType dtype = DType::Float32, Device device = {});
Tensor logspace(Scalar start, Scalar end, int64_t steps, double base = 10.0, DType dtype = DType::Float32,
                Device device = {});
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
