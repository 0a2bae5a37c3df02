// The search and order-statistic ops through the C++ API (rosenblatt/ops/search.h): the values the
// definitions give on small inputs, one gradient split at a tie, and PyTorch's error types.
#include <cmath>
#include <limits>

#include "helpers.h"
#include "rosenblatt/ops/search.h"

using namespace rb;
using rbtest::make;
using rbtest::values;

namespace {
std::vector<int64_t> ints(const Tensor& t) {
  Tensor c = t.contiguous();
  const int64_t* p = c.data<int64_t>();
  return std::vector<int64_t>(p, p + c.numel());
}
}  // namespace

TEST(Search, SearchsortedLeftRightAndBucketize) {
  Tensor seq = make({4}, {1, 2, 2, 5});
  Tensor v = make({4}, {0, 2, 3, 9});
  EXPECT_EQ(ints(searchsorted(seq, v)), (std::vector<int64_t>{0, 1, 3, 4}));
  EXPECT_EQ(ints(searchsorted(seq, v, false, true)), (std::vector<int64_t>{0, 3, 3, 4}));
  EXPECT_EQ(ints(bucketize(v, seq, false, false)), ints(searchsorted(seq, v)));
  EXPECT_EQ(searchsorted(seq, v, true).dtype(), DType::Int32);
  EXPECT_THROW(searchsorted(seq, v, false, true, std::string("left")), Error);
}

TEST(Search, UniqueCountsAndInverse) {
  Tensor x = full({5}, Scalar(int64_t(0)), DType::Int64);
  int64_t* p = x.data<int64_t>();
  p[0] = 3, p[1] = 1, p[2] = 3, p[3] = 2, p[4] = 1;
  UniqueResult r = unique(x, true, true, true);
  EXPECT_EQ(ints(r.values), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(ints(r.inverse), (std::vector<int64_t>{2, 0, 2, 1, 0}));
  EXPECT_EQ(ints(r.counts), (std::vector<int64_t>{2, 1, 2}));
  EXPECT_EQ(ints(bincount(x)), (std::vector<int64_t>{0, 2, 1, 2}));
}

TEST(Search, ScatterReduceAmaxSplitsTies) {
  // out[0] = max(x[0]=2, src 2, src 1) = 2, reached by x[0] and src[0]: each gets half the gradient.
  Tensor x = make({2}, {2, 0});
  Tensor src = make({3}, {2, 1, 5});
  x.set_requires_grad(true);
  src.set_requires_grad(true);
  Tensor idx = full({3}, Scalar(int64_t(0)), DType::Int64);
  idx.data<int64_t>()[2] = 1;
  Tensor out = scatter_reduce(x, 0, idx, src, "amax");
  EXPECT_EQ(values(out), (std::vector<float>{2, 5}));
  run_backward({sum(out)}, {Tensor()}, /*retain_graph=*/false);
  EXPECT_EQ(values(x.grad()), (std::vector<float>{0.5f, 0}));
  EXPECT_EQ(values(src.grad()), (std::vector<float>{0.5f, 0, 1}));
  EXPECT_THROW(scatter_reduce(x, 0, idx, src, "max_of"), Error);
}

TEST(Search, MedianQuantileAndNaN) {
  Tensor x = make({2, 4}, {4, 1, 3, 2, 1, NAN, 0, 2});
  ValuesIndices m = median(x, 1);
  EXPECT_EQ(values(m.values)[0], 2.0f);  // the lower of the two middle values
  EXPECT_TRUE(std::isnan(values(m.values)[1]));
  EXPECT_EQ(ints(m.indices), (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(values(nanmedian(x, 1).values), (std::vector<float>{2, 1}));
  // Linear interpolation between the sorted values 1, 2, 3, 4 at rank 0.5 * 3 = 1.5.
  EXPECT_FLOAT_EQ(values(quantile(narrow(x, 0, 0, 1), 0.5))[0], 2.5f);
  EXPECT_THROW(quantile(x, 1.5), Error);
  EXPECT_THROW(mode(zeros({2, 0}), 1), IndexError);
}

TEST(Search, CummaxAndLogcumsumexp) {
  Tensor x = make({5}, {1, 3, 3, 2, 4});
  ValuesIndices c = cummax(x, 0);
  EXPECT_EQ(values(c.values), (std::vector<float>{1, 3, 3, 3, 4}));
  EXPECT_EQ(ints(c.indices), (std::vector<int64_t>{0, 1, 2, 2, 4}));  // a tie moves the index on
  std::vector<float> got = values(logcumsumexp(x, 0)), xs = values(x);
  double acc = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    acc += std::exp(static_cast<double>(xs[i]));
    EXPECT_NEAR(got[i], std::log(acc), 1e-5);
  }
}
