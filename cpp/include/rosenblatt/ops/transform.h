// Ops that move or mask elements by position: tril/triu (causal masks), flip, roll, and the
// copies that repeat a tensor: repeat, tile, repeat_interleave. All differentiable to any order.
#pragma once
#include <optional>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

// x: (..., M, N), at least 2-D. Keeps the elements with j - i <= diagonal (tril) or j - i >= diagonal
// (triu) of each matrix, zeros the rest.
Tensor tril(const Tensor& x, int64_t diagonal = 0);
Tensor triu(const Tensor& x, int64_t diagonal = 0);
Tensor& tril_(Tensor& x, int64_t diagonal = 0);
Tensor& triu_(Tensor& x, int64_t diagonal = 0);

// Reverses the order along each of dims (distinct); a copy, as PyTorch's.
Tensor flip(const Tensor& x, const std::vector<int64_t>& dims);
// Shifts along dims by shifts (as many of each); no dims: along the flattened tensor, with one shift.
Tensor roll(const Tensor& x, const std::vector<int64_t>& shifts, const std::vector<int64_t>& dims = {});

// repeats: one count per dim, at least x.dim() of them (leading ones add dims). A copy.
Tensor repeat(const Tensor& x, const std::vector<int64_t>& repeats);
// As repeat, with fewer reps than dims padded by leading 1s.
Tensor tile(const Tensor& x, const std::vector<int64_t>& reps);
// Each element (dim given) or each slice along dim repeated `repeats` times; no dim: of the flattened
// tensor. output_size, when given, must be the length of the result along dim.
Tensor repeat_interleave(const Tensor& x, int64_t repeats, std::optional<int64_t> dim = {},
                         std::optional<int64_t> output_size = {});
// repeats: int64, 0-d or 1-d with one count per slice (a 1-element tensor counts for every slice).
Tensor repeat_interleave(const Tensor& x, const Tensor& repeats, std::optional<int64_t> dim = {},
                         std::optional<int64_t> output_size = {});
// [0, 0, 1, 2, 2, 2] for repeats [2, 1, 3]: each index repeated its count.
Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size = {});

}  // namespace rb
