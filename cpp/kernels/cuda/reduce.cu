// CUDA reductions: the ReduceKernels table (kernels/reduce.h) for tensors on a GPU, over a
// contiguous input viewed as (outer, R, inner). One block per output element: its threads stride
// over R, then combine in shared memory in a fixed tree order, so results do not depend on timing.
#include "reduce.h"

#include "loops.cuh"

namespace rb::cuda {
namespace {

constexpr int kThreads = 256;

// The accumulator: float sums in float (PyTorch's CUDA acc_type), bool counts in int64.
template <class T>
struct Acc {
  using type = T;
};
template <>
struct Acc<bool> {
  using type = int64_t;
};

unsigned grid_for(int64_t outputs) { return static_cast<unsigned>(std::min<int64_t>(outputs, int64_t(1) << 20)); }

// A tree reduction of one value per thread through `smem` (kThreads entries); thread 0 gets the result.
template <class A, class Op>
__device__ A block_reduce(A v, A* smem, Op op) {
  smem[threadIdx.x] = v;
  __syncthreads();
  for (int w = kThreads / 2; w > 0; w >>= 1) {
    if (threadIdx.x < w) smem[threadIdx.x] = op(smem[threadIdx.x], smem[threadIdx.x + w]);
    __syncthreads();
  }
  const A r = smem[0];
  __syncthreads();  // smem is reused by the next output of this block
  return r;
}

struct Plus {
  template <class A>
  __device__ A operator()(A a, A b) const {
    return a + b;
  }
};
struct Times {
  template <class A>
  __device__ A operator()(A a, A b) const {
    return a * b;
  }
};

// x: (outer, R, inner) -> out: (outer, inner), combining with Op from `init`.
template <class T, class A, class O, class Op>
__global__ void fold_kernel(const T* x, int64_t R, int64_t inner, int64_t outputs, A init, Op op, O* out) {
  __shared__ A smem[kThreads];
  for (int64_t k = blockIdx.x; k < outputs; k += gridDim.x) {
    const int64_t o = k / inner, i = k - o * inner;
    const T* base = x + o * R * inner + i;
    A acc = init;
    for (int64_t r = threadIdx.x; r < R; r += kThreads) acc = op(acc, static_cast<A>(base[r * inner]));
    acc = block_reduce(acc, smem, op);
    if (threadIdx.x == 0) out[k] = static_cast<O>(acc);
  }
}

// x: (outer, R, inner) of g.dtype; out: (outer, inner) of g.out_dtype.
void sum_forward(const ReduceGeom& g, const void* x, void* out) {
  const int64_t outputs = g.outer * g.inner;
  if (outputs == 0) return;
  RB_DISPATCH_ALL(g.dtype, "sum", [&] {
    using T = scalar_t;
    using A = typename Acc<T>::type;
    RB_DISPATCH_NUMERIC(g.out_dtype, "sum", [&] {
      using O = scalar_t;
      fold_kernel<<<grid_for(outputs), kThreads, 0, current_stream()>>>(static_cast<const T*>(x), g.R, g.inner, outputs,
                                                                        A(0), Plus{}, static_cast<O*>(out));
      check(cudaGetLastError(), "sum kernel launch");
    });
  });
}

// x: (outer, R, inner), out: (outer, inner), both of g.dtype.
void prod_forward(const ReduceGeom& g, const void* x, void* out) {
  const int64_t outputs = g.outer * g.inner;
  if (outputs == 0) return;
  RB_DISPATCH_NUMERIC(g.dtype, "prod", [&] {
    using T = scalar_t;
    fold_kernel<<<grid_for(outputs), kThreads, 0, current_stream()>>>(static_cast<const T*>(x), g.R, g.inner, outputs,
                                                                      T(1), Times{}, static_cast<T*>(out));
    check(cudaGetLastError(), "prod kernel launch");
  });
}

// The best (value, index) of max/min: strictly better wins, the first NaN wins over any number, and
// of equal values the lower index, so the answer is the CPU's (first occurrence) in any tree order.
template <class T>
struct Best {
  T v;
  int64_t i;  // -1: nothing seen yet
};
template <class T>
struct Pick {
  bool is_max;
  __device__ Best<T> operator()(Best<T> a, Best<T> b) const {
    if (a.i < 0) return b;
    if (b.i < 0) return a;
    const bool an = a.v != a.v, bn = b.v != b.v;
    if (an || bn) return an && bn ? (b.i < a.i ? b : a) : (an ? a : b);
    if (is_max ? b.v > a.v : b.v < a.v) return b;
    if (b.v == a.v && b.i < a.i) return b;
    return a;
  }
};

template <class T>
__global__ void minmax_kernel(const T* x, int64_t R, int64_t inner, int64_t outputs, bool is_max, T* values,
                              int64_t* indices) {
  __shared__ Best<T> smem[kThreads];
  const Pick<T> pick{is_max};
  for (int64_t k = blockIdx.x; k < outputs; k += gridDim.x) {
    const int64_t o = k / inner, i = k - o * inner;
    const T* base = x + o * R * inner + i;
    Best<T> b{T(0), -1};
    for (int64_t r = threadIdx.x; r < R; r += kThreads) b = pick(b, Best<T>{base[r * inner], r});
    b = block_reduce(b, smem, pick);
    if (threadIdx.x == 0) {
      if (values) values[k] = b.v;
      if (indices) indices[k] = b.i;
    }
  }
}

// x: (outer, R > 0, inner) of g.dtype; values: (outer, inner) of g.dtype or null; indices: (outer, inner) or null.
void minmax_forward(const ReduceGeom& g, const void* x, bool is_max, void* values, int64_t* indices) {
  const int64_t outputs = g.outer * g.inner;
  if (outputs == 0) return;
  RB_DISPATCH_ALL(g.dtype, "max", [&] {
    using T = scalar_t;
    minmax_kernel<<<grid_for(outputs), kThreads, 0, current_stream()>>>(static_cast<const T*>(x), g.R, g.inner, outputs,
                                                                        is_max, static_cast<T*>(values), indices);
    check(cudaGetLastError(), "max kernel launch");
  });
}

// One thread per output: prefix products into dx, then the suffix times dout multiplied in (exact
// with zeros, as the CPU's).
template <class T>
__global__ void prod_backward_kernel(const T* x, int64_t R, int64_t inner, int64_t outputs, const T* dout, T* dx) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t k = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; k < outputs; k += step) {
    const int64_t o = k / inner, i = k - o * inner, base = o * R * inner + i;
    T left = 1;
    for (int64_t r = 0; r < R; ++r) {
      dx[base + r * inner] = left;
      left *= x[base + r * inner];
    }
    T right = dout[k];
    for (int64_t r = R - 1; r >= 0; --r) {
      dx[base + r * inner] *= right;
      right *= x[base + r * inner];
    }
  }
}

// x, dx: (outer, R, inner); dout: (outer, inner); all of g.dtype.
void prod_backward(const ReduceGeom& g, const void* x, const void* dout, void* dx) {
  const int64_t outputs = g.outer * g.inner;
  if (outputs == 0) return;
  RB_DISPATCH_FLOATING(g.dtype, "prod_backward", [&] {
    using T = scalar_t;
    const unsigned blocks = static_cast<unsigned>(std::min<int64_t>((outputs + kThreads - 1) / kThreads, 1 << 16));
    prod_backward_kernel<<<blocks, kThreads, 0, current_stream()>>>(static_cast<const T*>(x), g.R, g.inner, outputs,
                                                                    static_cast<const T*>(dout), static_cast<T*>(dx));
    check(cudaGetLastError(), "prod_backward kernel launch");
  });
}

}  // namespace

const ReduceKernels& reduce_kernels() {
  static const ReduceKernels table = {&sum_forward, &minmax_forward, &prod_forward, &prod_backward};
  return table;
}

}  // namespace rb::cuda
