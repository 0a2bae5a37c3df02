// The CUDA runtime of rosenblatt._cuda (runtime.h). The caching allocator keeps freed blocks in size
// buckets per device, as the CPU's does (core/storage.cpp), because cudaMalloc and cudaFree
// synchronise the device and would cost more than most kernels. One stream per device keeps reuse
// safe: a block freed by the host is only handed to work queued after the work that used it.
#include "runtime.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rosenblatt/error.h"

namespace rb::cuda {
namespace {

constexpr int kMaxDevices = 64;

// Blocks of 512 bytes up to 1 MiB, then four sizes per power of two: a reused block wastes at most 25%.
size_t block_size(size_t n) {
  if (n <= (size_t(1) << 20)) return std::max<size_t>(512, (n + 511) / 512 * 512);
  size_t p = size_t(1) << (63 - __builtin_clzll(n - 1));
  size_t step = p / 4;
  return (n + step - 1) / step * step;
}

struct DeviceCache {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free_blocks;
  int64_t allocated = 0, peak = 0, reserved = 0;  // bytes handed out, their maximum, bytes held from CUDA

  void* get(size_t size, int index) {
    std::lock_guard<std::mutex> g(mu);
    void* p = nullptr;
    auto it = free_blocks.find(size);
    if (it != free_blocks.end() && !it->second.empty()) {
      p = it->second.back();
      it->second.pop_back();
    } else {
      int prev = 0;
      check(cudaGetDevice(&prev), "cudaGetDevice");
      check(cudaSetDevice(index), "cudaSetDevice");
      cudaError_t e = cudaMalloc(&p, size);
      if (e == cudaErrorMemoryAllocation) {  // give the cached blocks back to CUDA and try once more
        (void)cudaGetLastError();
        release_locked();
        e = cudaMalloc(&p, size);
      }
      cudaSetDevice(prev);
      if (e == cudaErrorMemoryAllocation) {
        (void)cudaGetLastError();
        throw Error(str("CUDA out of memory. Tried to allocate ", size >> 20, " MiB (GPU ", index, "; ",
                        allocated >> 20, " MiB allocated by rosenblatt)"));
      }
      check(e, "cudaMalloc");
      reserved += static_cast<int64_t>(size);
    }
    allocated += static_cast<int64_t>(size);
    peak = std::max(peak, allocated);
    return p;
  }
  void put(void* p, size_t size) {
    std::lock_guard<std::mutex> g(mu);
    free_blocks[size].push_back(p);
    allocated -= static_cast<int64_t>(size);
  }
  void release_locked() {  // the kernels still queued may use no cached block: wait for them first
    cudaDeviceSynchronize();
    for (auto& kv : free_blocks)
      for (void* p : kv.second) {
        cudaFree(p);
        reserved -= static_cast<int64_t>(kv.first);
      }
    free_blocks.clear();
  }
};

// Leaked on purpose: tensors may be freed after static destructors ran (as the CPU cache).
DeviceCache& cache(int index) {
  static DeviceCache* caches = new DeviceCache[kMaxDevices];
  RB_CHECK(index >= 0 && index < kMaxDevices, Error, "CUDA device index ", index, " out of range");
  return caches[index];
}

struct Probe {
  int count = 0;
  cudaError_t error = cudaSuccess;
};
const Probe& probe() {
  static const Probe p = [] {
    Probe r;
    r.error = cudaGetDeviceCount(&r.count);
    if (r.error != cudaSuccess) {
      (void)cudaGetLastError();  // no driver or no GPU is an answer, not a sticky error
      r.count = 0;
    }
    return r;
  }();
  return p;
}

int resolve(int index) { return index < 0 ? current_device() : index; }

void* allocate(size_t nbytes, int index) {
  lazy_init();
  return cache(index).get(block_size(std::max<size_t>(nbytes, 1)), index);
}

void release(void* p, size_t nbytes, int index) { cache(index).put(p, block_size(std::max<size_t>(nbytes, 1))); }

void copy(void* dst, Device dst_device, const void* src, Device src_device, size_t nbytes, bool non_blocking) {
  if (nbytes == 0) return;
  check(cudaMemcpyAsync(dst, src, nbytes, cudaMemcpyDefault, current_stream()), "cudaMemcpyAsync");
  // To the host: the caller reads dst next. From the host: the caller may free or reuse src next
  // (pageable memory is staged by the driver, so only pinned memory may go without waiting).
  if (!non_blocking || dst_device.is_cpu()) check(cudaStreamSynchronize(current_stream()), "cudaStreamSynchronize");
}

const DeviceRuntime g_runtime = {&current_device, &allocate, &release, &copy};

}  // namespace

void check(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return;
  (void)cudaGetLastError();
  throw Error(str("CUDA error: ", cudaGetErrorString(e), " (", what, ")"));
}

int device_count() { return probe().count; }

void lazy_init() {
  const Probe& p = probe();
  if (p.count > 0) return;
  if (p.error == cudaErrorInsufficientDriver)  // no libcuda, or one older than this build's runtime
    throw Error(
        "Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver "
        "from http://www.nvidia.com/Download/index.aspx");
  throw Error(str("No CUDA GPUs are available",
                  p.error != cudaSuccess ? str(" (", cudaGetErrorString(p.error), ")") : std::string()));
}

int current_device() {
  lazy_init();
  int d = 0;
  check(cudaGetDevice(&d), "cudaGetDevice");
  return d;
}

void set_device(int index) {
  lazy_init();
  RB_CHECK(index >= 0 && index < device_count(), Error, "CUDA error: invalid device ordinal (device ", index, " of ",
           device_count(), ")");
  check(cudaSetDevice(index), "cudaSetDevice");
}

void synchronize(int index) {
  lazy_init();
  int prev = current_device();
  check(cudaSetDevice(resolve(index)), "cudaSetDevice");
  cudaError_t e = cudaDeviceSynchronize();
  cudaSetDevice(prev);
  check(e, "cudaDeviceSynchronize");
}

cudaStream_t current_stream() { return nullptr; }

namespace {
// f(cache of device `index`) under its lock; `none` where there is no GPU (the queries never raise).
template <class F>
auto with_cache(int index, F f, decltype(f(std::declval<DeviceCache&>())) none) {
  if (device_count() == 0) return none;
  DeviceCache& c = cache(resolve(index));
  std::lock_guard<std::mutex> g(c.mu);
  return f(c);
}
}  // namespace

int64_t memory_allocated(int index) {
  return with_cache(
      index, [](DeviceCache& c) { return c.allocated; }, int64_t(0));
}
int64_t max_memory_allocated(int index) {
  return with_cache(
      index, [](DeviceCache& c) { return c.peak; }, int64_t(0));
}
int64_t memory_reserved(int index) {
  return with_cache(
      index, [](DeviceCache& c) { return c.reserved; }, int64_t(0));
}
void reset_peak_memory_stats(int index) {
  with_cache(
      index, [](DeviceCache& c) { return c.peak = c.allocated; }, int64_t(0));
}
void empty_cache() {
  for (int d = 0; d < device_count(); ++d) {
    DeviceCache& c = cache(d);
    std::lock_guard<std::mutex> g(c.mu);
    int prev = 0;
    cudaGetDevice(&prev);
    cudaSetDevice(d);
    c.release_locked();
    cudaSetDevice(prev);
  }
}

const DeviceRuntime& device_runtime() { return g_runtime; }

}  // namespace rb::cuda
