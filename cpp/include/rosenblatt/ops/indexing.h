// Indexing: basic (int, slice, None, Ellipsis) and advanced (int64 and bool tensors) reads and
// writes, cat/stack/split/chunk and gather.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {}  // namespace rb
