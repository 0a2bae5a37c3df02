// The LAPACK factorizations through the public C++ API (rosenblatt/ops/linalg_decomp.h): results on small
// known matrices, LinAlgError for a singular one (a rb::Error, so C++ callers can catch either), info codes.
#include "helpers.h"
#include "rosenblatt/ops/linalg_decomp.h"

using namespace rb;
using rbtest::make;
using rbtest::values;

TEST(Linalg, InvSolveDet) {
  Tensor a = make({2, 2}, {2, 0, 0, 4});
  EXPECT_EQ(values(linalg_inv(a)), (std::vector<float>{0.5f, 0, 0, 0.25f}));
  EXPECT_EQ(values(linalg_solve(a, make({2}, {2, 2}))), (std::vector<float>{1, 0.5f}));
  EXPECT_FLOAT_EQ(linalg_det(make({2, 2}, {1, 2, 3, 4})).item<float>(), -2.0f);
  auto [sign, logabs] = linalg_slogdet(make({2, 2}, {0, 1, 1, 0}));
  EXPECT_FLOAT_EQ(sign.item<float>(), -1.0f);
  EXPECT_FLOAT_EQ(logabs.item<float>(), 0.0f);
}

TEST(Linalg, SingularRaisesLinAlgErrorOrReportsInfo) {
  Tensor s = make({2, 2}, {1, 2, 2, 4});
  EXPECT_THROW(linalg_inv(s), LinAlgError);
  EXPECT_THROW(linalg_cholesky(s), Error);  // LinAlgError is a rb::Error (RuntimeError in Python)
  EXPECT_EQ(linalg_inv_ex(s).second.item<int64_t>(), 2);
  EXPECT_EQ(linalg_cholesky_ex(make({2, 2}, {1, 0, 0, -1})).second.item<int64_t>(), 2);
}

TEST(Linalg, FactorsRebuildTheInput) {
  Tensor a = make({3, 2}, {3, 0, 4, 5, 0, 1});
  auto [q, r] = linalg_qr(a);
  auto [u, sv, vh] = linalg_svd(a, false);
  Tensor qr_a = matmul(q, r), svd_a = matmul(mul(u, unsqueeze(sv, -2)), vh);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_NEAR(values(qr_a)[i], values(a)[i], 1e-5);
    EXPECT_NEAR(values(svd_a)[i], values(a)[i], 1e-5);
  }
  Tensor spd = make({2, 2}, {4, 2, 2, 2});
  EXPECT_EQ(values(linalg_cholesky(spd)), (std::vector<float>{2, 0, 1, 1}));
  EXPECT_EQ(values(linalg_eigvalsh(make({2, 2}, {2, 1, 1, 2}))), (std::vector<float>{1, 3}));
}
