// Convolution layers: Conv1d, Conv2d and ConvTranspose2d with PyTorch's weight layouts
// ((out, in/groups, k...) and (in, out/groups, kh, kw)) and default init (kaiming_uniform(a=sqrt(5))).
#pragma once
#include <initializer_list>
#include <vector>

#include "rosenblatt/nn/module.h"

namespace rb::nn {

// A size given as one value for every spatial dim (3) or one per dim ({3, 5}).
struct Ints {
  std::vector<int64_t> v;
  Ints(int64_t x) : v{x} {}  // NOLINT: implicit, as PyTorch's int-or-tuple arguments
  Ints(std::initializer_list<int64_t> l) : v(l) {}
  Ints(std::vector<int64_t> l) : v(std::move(l)) {}  // NOLINT
  std::vector<int64_t> expand(size_t n) const;       // to n values; ValueError for a wrong count
};

class Conv2d : public Module {
 public:
  Tensor weight, bias;  // (out, in/groups, kh, kw), (out)
  std::vector<int64_t> stride, padding, dilation;
  int64_t groups;
  Conv2d(int64_t in_channels, int64_t out_channels, Ints kernel_size, Ints stride = 1, Ints padding = 0,
         Ints dilation = 1, int64_t groups = 1, bool with_bias = true, Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
};

class Conv1d : public Module {
 public:
  Tensor weight, bias;  // (out, in/groups, k), (out)
  std::vector<int64_t> stride, padding, dilation;
  int64_t groups;
  Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t stride = 1, int64_t padding = 0,
         int64_t dilation = 1, int64_t groups = 1, bool with_bias = true, Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
};

class ConvTranspose2d : public Module {
 public:
  Tensor weight, bias;  // (in, out/groups, kh, kw), (out)
  std::vector<int64_t> stride, padding, output_padding, dilation;
  int64_t groups;
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, Ints kernel_size, Ints stride = 1, Ints padding = 0,
                  Ints output_padding = 0, int64_t groups = 1, bool with_bias = true, Ints dilation = 1,
                  Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
};

}  // namespace rb::nn
