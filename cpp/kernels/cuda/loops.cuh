// The elementwise launch of the CUDA kernels: the operands' strides (broadcast dims stride 0) go to
// the device by value in one fixed-size struct, and one thread computes each output element,
// turning its linear index into one offset per operand. Kernels are functor structs, not device
// lambdas: the dtype dispatch runs in host lambdas, inside which nvcc allows no device lambda.
#pragma once
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <type_traits>

#include "../geometry.h"
#include "runtime.h"

namespace rb::cuda {

// The element type a kernel works on for a host scalar type: CUDA's own 16-bit floats, whose
// arithmetic and conversions run on the device (same bits as rb::Half / rb::BFloat16).
template <class T>
struct Device_ {
  using type = T;
};
template <>
struct Device_<Half> {
  using type = __half;
};
template <>
struct Device_<BFloat16> {
  using type = __nv_bfloat16;
};
template <class T>
using device_t = typename Device_<T>::type;

template <class T>
constexpr bool is_half_v = std::is_same_v<T, __half> || std::is_same_v<T, __nv_bfloat16>;

// static_cast with PyTorch's meaning between any two element types (16-bit floats through float,
// anything to bool as "is not zero").
template <class D, class S>
__device__ __forceinline__ D convert(S v) {
  if constexpr (is_half_v<S>) {
    return convert<D>(static_cast<float>(v));
  } else if constexpr (std::is_same_v<D, bool>) {
    return v != S(0);
  } else if constexpr (is_half_v<D>) {
    return D(static_cast<float>(v));
  } else {
    return static_cast<D>(v);
  }
}

// N operands' offsets (in elements) for each linear index of `shape` (row-major).
template <int N>
struct StridedIndex {
  int ndim = 0;
  bool linear = true;  // every operand contiguous over the whole shape: the offset is the index
  int64_t sizes[kMaxDims] = {};
  int64_t strides[N][kMaxDims] = {};

  __device__ __forceinline__ void offsets(int64_t i, int64_t* off) const {
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] = linear ? i : 0;
    if (linear) return;
    for (int d = ndim - 1; d >= 0; --d) {
      const int64_t q = i / sizes[d], r = i - q * sizes[d];
      i = q;
#pragma unroll
      for (int k = 0; k < N; ++k) off[k] += r * strides[k][d];
    }
  }
};

// g's operands as a StridedIndex; linear when every operand is contiguous over g's shape.
template <int N>
StridedIndex<N> strided_index(const LoopGeom<N>& g) {
  StridedIndex<N> ix;
  ix.ndim = g.ndim;
  int64_t dense = 1;  // the contiguous stride of dim d, innermost first
  for (int d = ix.ndim - 1; d >= 0; --d) {
    ix.sizes[d] = g.shape[d];
    for (int k = 0; k < N; ++k) {
      ix.strides[k][d] = g.strides[k][d];
      if (g.shape[d] != 1 && g.strides[k][d] != dense) ix.linear = false;
    }
    dense *= g.shape[d];
  }
  return ix;
}

template <int N, class F>
__global__ void elementwise_kernel(int64_t n, StridedIndex<N> ix, F f) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    int64_t off[N];
    ix.offsets(i, off);
    f(off);
  }
}

// Runs f(offsets) once per element of g's shape on the current stream; offsets[k]: operand k's.
template <int N, class F>
void launch_elementwise(const LoopGeom<N>& g, const F& f) {
  const int64_t n = g.numel();
  if (n == 0) return;
  constexpr int threads = 256;
  const int64_t blocks = std::min<int64_t>((n + threads - 1) / threads, int64_t(1) << 16);
  elementwise_kernel<N><<<static_cast<unsigned>(blocks), threads, 0, current_stream()>>>(n, strided_index<N>(g), f);
  check(cudaGetLastError(), "elementwise kernel launch");
}

}  // namespace rb::cuda
