// Pooling layers over (N, C, H, W) or (C, H, W): MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, with
// PyTorch's arguments (stride defaults to the kernel size).
#pragma once
#include <optional>

#include "rosenblatt/nn/conv.h"

namespace rb::nn {

class MaxPool2d : public Module {
 public:
  std::vector<int64_t> kernel_size, stride, padding, dilation;
  bool ceil_mode;
  explicit MaxPool2d(Ints kernel_size, std::optional<Ints> stride = std::nullopt, Ints padding = 0, Ints dilation = 1,
                     bool ceil_mode = false);
  Tensor forward(const Tensor& x) override;
};

class AvgPool2d : public Module {
 public:
  std::vector<int64_t> kernel_size, stride, padding;
  bool ceil_mode, count_include_pad;
  explicit AvgPool2d(Ints kernel_size, std::optional<Ints> stride = std::nullopt, Ints padding = 0,
                     bool ceil_mode = false, bool count_include_pad = true);
  Tensor forward(const Tensor& x) override;
};

class AdaptiveAvgPool2d : public Module {
 public:
  std::vector<int64_t> output_size;
  explicit AdaptiveAvgPool2d(Ints output_size) : output_size(output_size.expand(2)) {}
  Tensor forward(const Tensor& x) override { return adaptive_avg_pool2d(x, output_size); }
};

}  // namespace rb::nn
