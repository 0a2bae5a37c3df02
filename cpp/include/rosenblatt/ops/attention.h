// Scaled dot-product attention (torch.nn.functional.scaled_dot_product_attention): one fused op whose
// forward never holds more than a block of the score matrix.
#pragma once
#include <optional>

#include "rosenblatt/tensor.h"

namespace rb {

// query: (..., L, E), key: (..., S, E), value: (..., S, Ev), batch dims broadcast -> (..., L, Ev):
// softmax(scale * q k^T + mask) v, scale defaulting to 1 / sqrt(E). attn_mask: bool (true takes
// part) or query's dtype (added), broadcastable to (..., L, S); is_causal: key j is seen by query
// i only when j <= i (not with attn_mask). A row with every key masked gives 0. dropout_p drops
// attention weights (from the default generator). enable_gqa: the head dim (-3) of key and value
// may divide query's. Differentiable in query, key, value (and a float mask), to any order.
Tensor scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                    const std::optional<Tensor>& attn_mask = std::nullopt, double dropout_p = 0.0,
                                    bool is_causal = false, std::optional<double> scale = std::nullopt,
                                    bool enable_gqa = false);

}  // namespace rb
