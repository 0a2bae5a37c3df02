// Tensor creation, shapes and strides, and views that share storage (transpose, view, expand,
// unsqueeze) with their copy-on-contiguous behaviour.
#include "helpers.h"

using namespace rb;
using rbtest::at;
using rbtest::make;
using rbtest::values;

TEST(Tensor, EmptyHasContiguousStrides) {
  Tensor t = Tensor::empty({2, 3, 4});
  EXPECT_EQ(t.dim(), 3);
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.strides(), (Shape{12, 4, 1}));
  EXPECT_EQ(t.dtype(), DType::Float32);
  EXPECT_EQ(t.itemsize(), 4u);
  EXPECT_TRUE(t.is_contiguous());
  EXPECT_EQ(t.size(-1), 4);
}

TEST(Tensor, FactoriesFill) {
  Tensor z = zeros({3, 2}), o = ones({4}, DType::Float64), f = full({2, 2}, Scalar(7), DType::Int64);
  for (float v : values(z)) EXPECT_EQ(v, 0.0f);
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(o.data<double>()[i], 1.0);
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(f.data<int64_t>()[i], 7);
  EXPECT_EQ(f.dtype(), DType::Int64);
  Tensor zl = zeros_like(o);
  EXPECT_EQ(zl.shape(), o.shape());
  EXPECT_EQ(zl.dtype(), DType::Float64);
}

TEST(Tensor, ZeroSizedAndScalar) {
  Tensor e = zeros({0, 5});
  EXPECT_EQ(e.numel(), 0);
  EXPECT_TRUE(e.is_contiguous());
  Tensor s = scalar_tensor(Scalar(2.5), DType::Float32);
  EXPECT_EQ(s.dim(), 0);
  EXPECT_FLOAT_EQ(s.item<float>(), 2.5f);
  EXPECT_THROW(ones({2}).item<float>(), Error);
}

TEST(Tensor, TransposeIsAViewWithSwappedStrides) {
  Tensor a = make({2, 3}, {0, 1, 2, 3, 4, 5});
  Tensor t = transpose(a, 0, 1);
  EXPECT_EQ(t.shape(), (Shape{3, 2}));
  EXPECT_EQ(t.strides(), (Shape{1, 3}));
  EXPECT_FALSE(t.is_contiguous());
  EXPECT_EQ(t.storage(), a.storage());
  EXPECT_EQ(at(t, {2, 1}), 5.0f);
  EXPECT_EQ(at(t, {1, 0}), 1.0f);
  EXPECT_EQ(values(t), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  Tensor c = t.contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_NE(c.storage(), a.storage());
}

TEST(Tensor, ViewSharesStorageAndWrites) {
  Tensor a = make({2, 3}, {0, 1, 2, 3, 4, 5});
  Tensor v = view(a, {3, -1});
  EXPECT_EQ(v.shape(), (Shape{3, 2}));
  EXPECT_EQ(v.storage(), a.storage());
  v.data<float>()[5] = 42;
  EXPECT_EQ(at(a, {1, 2}), 42.0f);
  // a transposed tensor cannot be viewed, but reshape copies
  Tensor t = transpose(a, 0, 1);
  EXPECT_THROW(view(t, {6}), Error);
  Tensor r = reshape(t, {6});
  EXPECT_EQ(values(r), (std::vector<float>{0, 3, 1, 4, 2, 42}));
}

TEST(Tensor, ExpandUsesZeroStride) {
  Tensor a = make({3, 1}, {1, 2, 3});
  Tensor e = expand(a, {3, 4});
  EXPECT_EQ(e.shape(), (Shape{3, 4}));
  EXPECT_EQ(e.stride(1), 0);
  EXPECT_EQ(at(e, {2, 3}), 3.0f);
  Tensor u = unsqueeze(make({3}, {1, 2, 3}), 0);
  EXPECT_EQ(u.shape(), (Shape{1, 3}));
  Tensor s = squeeze(u);
  EXPECT_EQ(s.shape(), (Shape{3}));
  Tensor p = permute(zeros({2, 3, 4}), {2, 0, 1});
  EXPECT_EQ(p.shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(p.strides(), (Shape{1, 12, 4}));
}

TEST(Tensor, BroadcastShapes) {
  EXPECT_EQ(broadcast_shapes({3, 1}, {4}), (Shape{3, 4}));
  EXPECT_EQ(broadcast_shapes({2, 1, 5}, {3, 1}), (Shape{2, 3, 5}));
  EXPECT_EQ(broadcast_shapes({}, {2, 2}), (Shape{2, 2}));
  EXPECT_THROW(broadcast_shapes({3}, {4}), Error);
}
