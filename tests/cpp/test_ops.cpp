// Ops through the public API: broadcasting arithmetic with autograd on a tiny graph, matmul
// against a naive triple loop (several shapes, transposed inputs, float64), sums over dims.
#include <cmath>
#include <random>

#include "helpers.h"

using namespace rb;
using rbtest::at;
using rbtest::make;
using rbtest::values;

TEST(Elementwise, BroadcastAdd) {
  Tensor a = make({2, 3}, {0, 1, 2, 3, 4, 5});
  Tensor b = make({3}, {10, 20, 30});
  Tensor c = a + b;
  EXPECT_EQ(c.shape(), (Shape{2, 3}));
  EXPECT_EQ(values(c), (std::vector<float>{10, 21, 32, 13, 24, 35}));
  Tensor col = make({2, 1}, {100, 200});
  EXPECT_EQ(values(a * col), (std::vector<float>{0, 100, 200, 600, 800, 1000}));
  EXPECT_THROW(a + make({2}, {1, 2}), Error);
}

TEST(Elementwise, TypePromotion) {
  Tensor i = full({2}, Scalar(int64_t(3)), DType::Int64);
  Tensor f = ones({2});
  EXPECT_EQ((i + f).dtype(), DType::Float32);
  EXPECT_EQ((f + ones({2}, DType::Float64)).dtype(), DType::Float64);
  EXPECT_EQ(div(i, i).dtype(), DType::Float32);  // true division of integers gives float
}

TEST(Autograd, BroadcastAddMulBackward) {
  // y = sum((a + b) * a), a: (2, 3), b: (3) broadcast over rows.
  // dy/da = 2a + b, dy/db = sum over rows of a.
  Tensor a = make({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make({3}, {-1, 0, 1});
  a.set_requires_grad(true);
  b.set_requires_grad(true);
  Tensor y = sum((a + b) * a);
  EXPECT_FALSE(y.is_leaf());
  EXPECT_TRUE(y.requires_grad());
  EXPECT_FLOAT_EQ(y.item<float>(), (0 * 1 + 2 * 2 + 4 * 3) + (3 * 4 + 5 * 5 + 7 * 6));
  run_backward({y}, {Tensor()}, /*retain_graph=*/false);
  ASSERT_TRUE(a.grad().defined());
  ASSERT_TRUE(b.grad().defined());
  EXPECT_EQ(b.grad().shape(), (Shape{3}));
  EXPECT_EQ(values(a.grad()), (std::vector<float>{1, 4, 7, 7, 10, 13}));
  EXPECT_EQ(values(b.grad()), (std::vector<float>{5, 7, 9}));
  // the graph was freed: a second backward raises
  EXPECT_THROW(run_backward({y}, {Tensor()}, false), Error);
}

TEST(Autograd, GradAccumulatesAndNoGradRecordsNothing) {
  Tensor w = make({2}, {3, 4});
  w.set_requires_grad(true);
  for (int i = 0; i < 2; ++i) run_backward({sum(w * w)}, {Tensor()}, false);
  EXPECT_EQ(values(w.grad()), (std::vector<float>{12, 16}));  // 2 * (2w)
  {
    NoGradGuard g;
    Tensor y = w * w;
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.grad_fn(), nullptr);
  }
}

TEST(Autograd, InPlaceChangeOfSavedTensorRaises) {
  Tensor a = make({2}, {1, 2});
  a.set_requires_grad(true);
  Tensor h = mul(a, Scalar(1.0));  // non-leaf
  Tensor y = sum(h * h);           // saves h
  mul_(h, Scalar(2.0));
  EXPECT_THROW(run_backward({y}, {Tensor()}, false), Error);
}

TEST(Autograd, NonScalarRootNeedsGradient) {
  Tensor a = make({2}, {1, 2});
  a.set_requires_grad(true);
  Tensor y = a * a;
  EXPECT_THROW(run_backward({y}, {Tensor()}, false), Error);
  run_backward({y}, {make({2}, {1, 1})}, false);
  EXPECT_EQ(values(a.grad()), (std::vector<float>{2, 4}));
}

template <class T>
static Tensor random_tensor(const Shape& shape, std::mt19937& gen) {
  Tensor t = Tensor::empty(shape, dtype_of<T>::value);
  std::uniform_real_distribution<double> u(-1, 1);
  T* p = t.data<T>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<T>(u(gen));
  return t;
}

template <class T>
static void expect_matmul_matches_naive(const Tensor& a, const Tensor& b, double tol) {
  Tensor c = matmul(a, b);
  int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  ASSERT_EQ(c.shape(), (Shape{M, N}));
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double ref = 0;
      for (int64_t k = 0; k < K; ++k) ref += double(at<T>(a, {i, k})) * double(at<T>(b, {k, j}));
      ASSERT_NEAR(double(at<T>(c, {i, j})), ref, tol * (1 + std::abs(ref))) << "at (" << i << ", " << j << ")";
    }
}

TEST(Matmul, MatchesNaiveLoop) {
  std::mt19937 gen(0);
  // small, odd, and large enough to take the multithreaded split
  for (auto [M, K, N] : {std::tuple{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {130, 70, 150}, {64, 200, 300}}) {
    SCOPED_TRACE(testing::Message() << M << "x" << K << " @ " << K << "x" << N);
    expect_matmul_matches_naive<float>(random_tensor<float>({M, K}, gen), random_tensor<float>({K, N}, gen), 1e-4);
  }
  expect_matmul_matches_naive<double>(random_tensor<double>({40, 30}, gen), random_tensor<double>({30, 20}, gen),
                                      1e-12);
}

TEST(Matmul, TransposedOperands) {
  std::mt19937 gen(1);
  Tensor a = random_tensor<float>({50, 40}, gen), b = random_tensor<float>({60, 50}, gen);
  expect_matmul_matches_naive<float>(transpose(a, 0, 1), transpose(b, 0, 1), 1e-4);
}

TEST(Matmul, BatchedAndVector) {
  Tensor a = make({2, 2, 3}, {1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0});
  Tensor b = make({3, 1}, {1, 1, 1});
  Tensor c = matmul(a, b);  // (2, 2, 3) @ (3, 1) broadcasts b over the batch
  EXPECT_EQ(c.shape(), (Shape{2, 2, 1}));
  EXPECT_EQ(values(c), (std::vector<float>{6, 15, 1, 1}));
  Tensor v = matmul(make({3}, {1, 2, 3}), make({3}, {4, 5, 6}));
  EXPECT_EQ(v.dim(), 0);
  EXPECT_FLOAT_EQ(v.item<float>(), 32.0f);
}

TEST(Matmul, Backward) {
  // d sum(A @ B) / dA = ones @ B^T: row sums of B, repeated
  Tensor a = make({2, 2}, {1, 2, 3, 4}), b = make({2, 3}, {1, 2, 3, 4, 5, 6});
  a.set_requires_grad(true);
  b.set_requires_grad(true);
  run_backward({sum(mm(a, b))}, {Tensor()}, false);
  EXPECT_EQ(values(a.grad()), (std::vector<float>{6, 15, 6, 15}));
  EXPECT_EQ(values(b.grad()), (std::vector<float>{4, 4, 4, 6, 6, 6}));
}

TEST(Reduce, SumOverDims) {
  Tensor a = make({2, 3}, {0, 1, 2, 3, 4, 5});
  EXPECT_FLOAT_EQ(sum(a).item<float>(), 15.0f);
  EXPECT_EQ(values(sum(a, {0})), (std::vector<float>{3, 5, 7}));
  EXPECT_EQ(values(sum(a, {1})), (std::vector<float>{3, 12}));
  EXPECT_EQ(sum(a, {1}, /*keepdim=*/true).shape(), (Shape{2, 1}));
  EXPECT_EQ(sum(a, {-1, 0}).dim(), 0);
  EXPECT_FLOAT_EQ(mean(a, {0, 1}).item<float>(), 2.5f);
  EXPECT_EQ(values(sum(transpose(a, 0, 1), {1})), (std::vector<float>{3, 5, 7}));
  Tensor big = ones({1000, 37});
  EXPECT_FLOAT_EQ(sum(big).item<float>(), 37000.0f);
  EXPECT_EQ(values(sum_to(ones({4, 3}), {1, 3})), (std::vector<float>{4, 4, 4}));
}

TEST(Errors, BadInputsThrowTypedErrors) {
  Tensor a = ones({2, 3});
  EXPECT_THROW(sum(a, {2}), IndexError);
  EXPECT_THROW(sum(a, {-3}), IndexError);
  EXPECT_THROW(sum(a, {0, 0}), Error);
  EXPECT_THROW(a.size(5), IndexError);
  EXPECT_THROW(transpose(a, 0, 2), IndexError);
  EXPECT_THROW(mm(a, ones({2, 3})), Error);
  EXPECT_THROW(mm(a, ones({3, 2}, DType::Float64)), Error);
  EXPECT_THROW(matmul(scalar_tensor(Scalar(1.0), DType::Float32), a), Error);
  EXPECT_THROW(zeros({2, -1}), Error);
  EXPECT_THROW(zeros({int64_t(1) << 40, int64_t(1) << 40}), Error);
  EXPECT_THROW(view(a, {4, -1}), Error);
  EXPECT_THROW(view(a, {-1, -1}), Error);
  EXPECT_THROW(expand(a, {3, 3}), Error);
  EXPECT_THROW(a.data<double>(), TypeError);
  EXPECT_THROW(full({2}, Scalar(int64_t(1)), DType::Int64).set_requires_grad(true), Error);
  try {
    mm(a, ones({2, 3}));
    FAIL() << "mm of mismatched shapes did not throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be multiplied (2x3 and 2x3)"), std::string::npos) << e.what();
  }
}

TEST(Errors, FailedCallLeavesNoState) {
  Tensor a = make({2}, {1, 2});
  a.set_requires_grad(true);
  EXPECT_THROW(a + ones({3}), Error);
  EXPECT_FALSE(a.grad().defined());
  EXPECT_EQ(a.version(), 0u);
}

TEST(Linear, MatchesMatmulPlusBiasAndBackward) {
  std::mt19937 gen(2);
  Tensor x = random_tensor<float>({5, 7}, gen), w = random_tensor<float>({3, 7}, gen),
         b = random_tensor<float>({3}, gen);
  Tensor ref = mm(x, transpose(w, 0, 1)) + b;
  Tensor y = linear(x, w, b);
  ASSERT_EQ(y.shape(), (Shape{5, 3}));
  for (int64_t i = 0; i < 5; ++i)
    for (int64_t j = 0; j < 3; ++j) EXPECT_NEAR(at(y, {i, j}), at(ref, {i, j}), 1e-5);
  EXPECT_EQ(values(linear(x, w)), values(mm(x, transpose(w, 0, 1))));
  // d sum(y) / db = batch size; d sum(y) / dW[j, :] = column sums of x
  w.set_requires_grad(true);
  b.set_requires_grad(true);
  run_backward({sum(linear(x, w, b))}, {Tensor()}, false);
  EXPECT_EQ(values(b.grad()), (std::vector<float>{5, 5, 5}));
  Tensor colsum = sum(x, {0});
  for (int64_t j = 0; j < 3; ++j)
    for (int64_t k = 0; k < 7; ++k) EXPECT_NEAR(at(w.grad(), {j, k}), at(colsum, {k}), 1e-5);
  EXPECT_THROW(linear(x, random_tensor<float>({3, 6}, gen)), Error);
}
