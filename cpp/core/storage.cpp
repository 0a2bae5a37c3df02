// Storage and the CPU caching allocator: freed blocks are kept in size buckets and reused, because
// small models allocate and free the same few sizes every step and malloc would dominate.
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "rosenblatt/device_runtime.h"
#include "rosenblatt/tensor.h"

namespace rb {
namespace {

constexpr size_t kAlign = 64;
constexpr size_t kMaxCachedBytes = size_t(512) << 20;
constexpr size_t kHugePageMin = size_t(4) << 20;  // numpy's threshold for the same hint

// Asks for transparent huge pages on a big block, as numpy does for its arrays: where THP is in
// 'madvise' mode (the usual default) a 64 MB tensor otherwise sits on 4 KiB pages, and an MPI
// all-reduce on it ran about 20% slower than on a numpy array (TLB misses). Only a hint.
void advise_huge_pages(void* p, size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (size < kHugePageMin) return;
  static const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
  uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + page - 1) & ~(page - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(p) + size) & ~(page - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)size;
#endif
}

// Buckets: multiples of 64 bytes up to 4 KiB, then four steps per power of two, so a reused
// block wastes at most 25%.
size_t bucket_size(size_t n) {
  if (n <= 4096) return n <= kAlign ? kAlign : (n + kAlign - 1) / kAlign * kAlign;
  size_t p = size_t(1) << (63 - __builtin_clzll(n - 1));  // largest power of two below n
  size_t step = p / 4;
  return (n + step - 1) / step * step;
}

struct CpuCache {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free_blocks;
  size_t cached = 0;

  void* get(size_t size) {
    {
      std::lock_guard<std::mutex> g(mu);
      auto it = free_blocks.find(size);
      if (it != free_blocks.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        cached -= size;
        return p;
      }
    }
    void* p = std::aligned_alloc(kAlign, size);
    if (!p) {
      release_all();  // give cached blocks back to the system and try once more
      p = std::aligned_alloc(kAlign, size);
    }
    RB_CHECK(p, Error, "DefaultCPUAllocator: not enough memory: you tried to allocate ", size, " bytes.");
    advise_huge_pages(p, size);
    return p;
  }
  void put(void* p, size_t size) {
    std::lock_guard<std::mutex> g(mu);
    if (cached + size > kMaxCachedBytes) {
      std::free(p);
      return;
    }
    free_blocks[size].push_back(p);
    cached += size;
  }
  void release_all() {
    std::lock_guard<std::mutex> g(mu);
    for (auto& kv : free_blocks)
      for (void* p : kv.second) std::free(p);
    free_blocks.clear();
    cached = 0;
  }
  ~CpuCache() { release_all(); }
};

CpuCache& cpu_cache() {
  static CpuCache* cache = new CpuCache();  // leaked on purpose: tensors may die after static dtors
  return *cache;
}

const DeviceRuntime* g_runtimes[2] = {};  // by DeviceType; the CPU's memory is the cache above

}  // namespace

void register_device_runtime(DeviceType t, const DeviceRuntime* runtime) { g_runtimes[static_cast<int>(t)] = runtime; }

const DeviceRuntime& device_runtime(const Device& d) {
  const DeviceRuntime* rt = g_runtimes[static_cast<int>(d.type)];
  RB_CHECK(rt, Error, "device ", d.name(),
           " is not available: rosenblatt was not built with CUDA enabled (or its CUDA module rosenblatt._cuda "
           "is not loaded)");
  return *rt;
}

Device concrete_device(const Device& d) {
  if (d.is_cpu() || d.index >= 0) return d;
  return Device(d.type, device_runtime(d).current_device());
}

Storage::~Storage() {
  if (owner || !data) return;  // foreign memory: dropping owner releases it
  if (device.is_cpu())
    cpu_cache().put(data, bucket_size(nbytes));
  else if (const DeviceRuntime* rt = g_runtimes[static_cast<int>(device.type)])
    rt->release(data, nbytes, device.index);
}

std::shared_ptr<Storage> Storage::allocate(size_t nbytes, Device device) {
  auto s = std::make_shared<Storage>();
  s->nbytes = nbytes;
  if (device.is_cpu()) {
    s->device = device;
    s->data = cpu_cache().get(bucket_size(nbytes));
  } else {  // a device tensor always names its device: cuda means cuda:<current>
    s->device = concrete_device(device);
    s->data = device_runtime(device).allocate(nbytes, s->device.index);
  }
  return s;
}

std::shared_ptr<Storage> Storage::wrap(void* data, size_t nbytes, Device device, std::shared_ptr<void> owner) {
  auto s = std::make_shared<Storage>();
  s->data = data;
  s->nbytes = nbytes;
  s->device = device;
  s->owner = owner ? std::move(owner) : std::shared_ptr<void>(data, [](void*) {});
  return s;
}

void empty_cache() { cpu_cache().release_all(); }

}  // namespace rb
