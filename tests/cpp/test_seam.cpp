// The kernel seam (cpp/kernels/registry.h): the CPU tables are there for every family, a device
// with no table gets the one NotImplementedError, and a backend that registers a table is called.
#include <gtest/gtest.h>

#include <string>
#include <vector>

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
  EXPECT_NE(kernels_for<ConvKernels<int64_t>>("conv2d", cpu).conv_forward, nullptr);
}

// The int64 conv table's weight and bias gradients, which no op reaches yet (integers take no gradient),
// against the float64 table's on small integers, where both are exact.
TEST(Seam, Int64ConvGradientsMatchFloat64) {
  ConvGeom g{};
  g.N = 2, g.C = 4, g.H = 5, g.W = 6, g.OC = 6, g.KH = 3, g.KW = 2, g.stride_h = 2, g.stride_w = 1, g.pad_h = 1;
  g.pad_w = 0, g.dil_h = 1, g.dil_w = 2, g.groups = 2;
  g.OH = (g.H + 2 * g.pad_h - g.dil_h * (g.KH - 1) - 1) / g.stride_h + 1;
  g.OW = (g.W + 2 * g.pad_w - g.dil_w * (g.KW - 1) - 1) / g.stride_w + 1;
  const int64_t nx = g.N * g.C * g.H * g.W, nw = g.OC * (g.C / g.groups) * g.KH * g.KW, ny = g.N * g.OC * g.OH * g.OW;
  std::vector<int64_t> x(nx), w(nw), dy(ny), dx(nx), dw(nw), db(g.OC);
  std::vector<double> xd(nx), wd(nw), dyd(ny), dxd(nx), dwd(nw), dbd(g.OC);
  for (int64_t i = 0; i < nx; ++i) xd[i] = static_cast<double>(x[i] = i % 7 - 3);
  for (int64_t i = 0; i < nw; ++i) wd[i] = static_cast<double>(w[i] = i % 5 - 2);
  for (int64_t i = 0; i < ny; ++i) dyd[i] = static_cast<double>(dy[i] = i % 9 - 4);
  const Device cpu;
  kernels_for<ConvKernels<int64_t>>("conv2d", cpu)
      .conv_backward(g, x.data(), w.data(), dy.data(), dx.data(), dw.data(), db.data());
  kernels_for<ConvKernels<double>>("conv2d", cpu)
      .conv_backward(g, xd.data(), wd.data(), dyd.data(), dxd.data(), dwd.data(), dbd.data());
  for (int64_t i = 0; i < nx; ++i) EXPECT_EQ(static_cast<double>(dx[i]), dxd[i]) << "dx " << i;
  for (int64_t i = 0; i < nw; ++i) EXPECT_EQ(static_cast<double>(dw[i]), dwd[i]) << "dw " << i;
  for (int64_t i = 0; i < g.OC; ++i) EXPECT_EQ(static_cast<double>(db[i]), dbd[i]) << "db " << i;
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
