// The kernel seam (cpp/kernels/registry.h): the CPU tables are there for every family, a device
// with no table gets the one NotImplementedError, and a backend that registers a table is called.
#include <gtest/gtest.h>

#include <string>

#include "../../cpp/kernels/activation.h"
#include "../../cpp/kernels/conv.h"
#include "../../cpp/kernels/grid_sample.h"
#include "../../cpp/kernels/registry.h"
#include "../../cpp/ops/loop_geom.h"
#include "rosenblatt/ops.h"

using namespace rb;

namespace {

int g_fake_calls = 0;
void fake_activation_forward(Act, const LoopGeom<2>&, const void*, void*, ActParams) { ++g_fake_calls; }
const ActivationKernels& fake_cuda_table() {
  static const ActivationKernels t = {&fake_activation_forward, nullptr, nullptr, nullptr, nullptr, nullptr};
  return t;
}

}  // namespace

TEST(Seam, CpuTablesAreRegistered) {
  const Device cpu;
  EXPECT_NE(kernels_for<ActivationKernels>("relu", cpu).activation_forward, nullptr);
  EXPECT_NE(kernels_for<ConvKernels<float>>("conv2d", cpu).conv_backward, nullptr);
  EXPECT_NE(kernels_for<ConvKernels<double>>("conv2d", cpu).conv_forward, nullptr);
}

TEST(Seam, MissingDeviceRaisesOnce) {
  try {
    kernels_for<ActivationKernels>("relu", Device(DeviceType::CUDA));
    FAIL() << "expected NotImplementedError";
  } catch (const NotImplementedError& e) {
    EXPECT_EQ(std::string(e.what()), "relu: no kernel for device cuda:0 in this build");
  }
  EXPECT_THROW(kernels_for<ConvKernels<float>>("conv2d", Device(DeviceType::CUDA, 1)), NotImplementedError);
}

TEST(Seam, RegisteredBackendIsCalled) {
  register_kernels<ActivationKernels>(DeviceType::CUDA, &fake_cuda_table);
  Tensor x = zeros({2});
  g_fake_calls = 0;
  kernels_for<ActivationKernels>("relu", Device(DeviceType::CUDA, 0))
      .activation_forward(Act::Relu, loop_geom(x, x), x.raw_data(), x.raw_data(), {});
  EXPECT_EQ(g_fake_calls, 1);
  // The CPU slot is untouched, and removing the table brings the refusal back.
  EXPECT_NE(&kernels_for<ActivationKernels>("relu", Device()), &fake_cuda_table());
  register_kernels<ActivationKernels>(DeviceType::CUDA, nullptr);
  EXPECT_THROW(kernels_for<ActivationKernels>("relu", Device(DeviceType::CUDA)), NotImplementedError);
}

// has_kernels: what an op with a composite fallback (grid_sample) asks before it calls through the seam.
TEST(Seam, HasKernelsAnswersPerDevice) {
  EXPECT_TRUE(has_kernels<GridSampleKernels>(Device()));
  EXPECT_FALSE(has_kernels<GridSampleKernels>(Device(DeviceType::CUDA)));
}
