// Copies between devices. The memory moves through the device's runtime (rosenblatt/device_runtime.h),
// not a kernel table: a copy between the host and a device is the runtime's own transfer.
#include "rosenblatt/ops/device.h"

#include "op_common.h"
#include "rosenblatt/device_runtime.h"

namespace rb {
namespace {

struct ToCopyBackward : Node {
  Device src;
  std::string name() const override { return "ToCopyBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return {to_device(grads[0], src)}; }
};

}  // namespace

Tensor to_device(const Tensor& x, const Device& device, bool non_blocking) {
  const Device dst = concrete_device(device);
  if (dst == x.device()) return x;
  Tensor src, out;
  {
    NoGradGuard ng;  // the copy below is recorded as one node, not as contiguous() + copy
    src = x.contiguous();
    out = Tensor::empty(x.shape(), x.dtype(), dst);
  }
  // The device side of the pair does the transfer (for two devices, the destination's runtime).
  const DeviceRuntime& rt = device_runtime(dst.is_cpu() ? src.device() : dst);
  rt.copy(out.raw_data(), dst, src.raw_data(), src.device(), static_cast<size_t>(x.numel()) * x.itemsize(),
          non_blocking && !dst.is_cpu());
  if (needs_grad(x)) {
    auto node = std::make_shared<ToCopyBackward>();
    node->src = x.device();
    record(node, {&x}, {&out});
  }
  return out;
}

}  // namespace rb
