// The perceptron rule's entry points: shape, dtype and label checks, then the CPU kernels. The
// weights are plain (non-autograd) tensors updated in place, so every write bumps their version.
#include "rosenblatt/ops.h"

#include "op_common.h"

#include "../kernels/perceptron.h"

namespace rb {
namespace {

void check_params(const Tensor& w, const Tensor& b, const char* op) {
  RB_CHECK(w.defined() && b.defined(), ValueError, op, ": weight and bias must be defined");
  RB_CHECK(w.dim() == 1, ValueError, op, ": weight must be 1-D (n_features,), got shape ", w.shape());
  RB_CHECK(b.dim() == 0 || (b.dim() == 1 && b.numel() == 1), ValueError, op, ": bias must hold one value, got shape ",
           b.shape());
  RB_CHECK(is_floating(w.dtype()) && w.dtype() == b.dtype(), TypeError, op,
           ": weight and bias must share a floating dtype, got ", w.dtype(), " and ", b.dtype());
  RB_CHECK(w.is_contiguous(), ValueError, op, ": weight must be contiguous");
  RB_CHECK(w.device().type == DeviceType::CPU && b.device().type == DeviceType::CPU, NotImplementedError, op,
           ": only CPU tensors are supported");
  RB_CHECK(!(w.requires_grad() || b.requires_grad()), ValueError, op,
           ": weight and bias are updated in place by the rule and must not require grad");
}

// X as a contiguous (N, F) tensor in the weight dtype.
Tensor features(const Tensor& X, const Tensor& w, const char* op) {
  RB_CHECK(X.defined(), ValueError, op, ": X must be defined");
  RB_CHECK(X.dim() == 2, ValueError, op, ": X must be 2-D (n_samples, n_features), got shape ", X.shape());
  RB_CHECK(X.size(1) == w.size(0), ValueError, op, ": X has shape ", X.shape(), " but the perceptron has ", w.size(0),
           " features (weight shape ", w.shape(), ")");
  NoGradGuard ng;
  Tensor c = X.dtype() == w.dtype() ? X.detach() : to_dtype(X.detach(), w.dtype());
  return c.contiguous();
}

}  // namespace

PerceptronFit perceptron_fit(const Tensor& w, const Tensor& b, const Tensor& X, const Tensor& y, double lr,
                             int64_t max_epochs) {
  check_params(w, b, "perceptron_fit");
  Tensor x = features(X, w, "perceptron_fit");
  RB_CHECK(y.defined() && y.dim() == 1, ValueError, "perceptron_fit: y must be 1-D (n_samples,), got shape ",
           y.defined() ? y.shape() : Shape{});
  RB_CHECK(y.size(0) == X.size(0), ValueError, "perceptron_fit: X has shape ", X.shape(), " but y has shape ",
           y.shape(), "; they must hold the same number of samples");
  RB_CHECK(max_epochs >= 0, ValueError, "perceptron_fit: max_epochs must be non-negative, got ", max_epochs);
  Tensor t;
  {
    NoGradGuard ng;
    t = (y.dtype() == DType::Float64 ? y.detach() : to_dtype(y.detach(), DType::Float64)).contiguous();
  }
  // Labels: all in {0, 1} or all in {-1, 1}.
  const double* py = static_cast<const double*>(t.raw_data());
  bool has_neg = false, has_zero = false;
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = py[i];
    RB_CHECK(v == 0 || v == 1 || v == -1, ValueError, "perceptron_fit: labels must be in {0, 1} or {-1, 1}, found ", v,
             " at index ", i);
    has_neg |= v == -1;
    has_zero |= v == 0;
  }
  RB_CHECK(!(has_neg && has_zero), ValueError,
           "perceptron_fit: labels must be in {0, 1} or {-1, 1}, found both 0 and -1");
  PerceptronFit r;
  r.lo = has_neg ? -1 : 0;
  r.hi = 1;
  const PerceptronGeom g{x.size(0), x.size(1), w.dtype()};
  const auto& k = kernels<PerceptronKernels>("perceptron_epoch", x);
  for (int64_t e = 0; e < max_epochs; ++e) {
    int64_t m = k.perceptron_epoch(g, x.raw_data(), py, w.raw_data(), b.raw_data(), lr, r.lo, r.hi);
    r.errors.push_back(m);
    ++r.n_epochs;
    if (m > 0) w.bump_version(), b.bump_version();
    if (m == 0) {
      r.converged = true;
      break;
    }
  }
  return r;
}

Tensor perceptron_predict(const Tensor& w, const Tensor& b, const Tensor& X, double lo, double hi) {
  check_params(w, b, "perceptron_predict");
  Tensor x = features(X, w, "perceptron_predict");
  Tensor out = Tensor::empty({x.size(0)}, DType::Int64, w.device());
  kernels<PerceptronKernels>("perceptron_predict", x)
      .perceptron_predict({x.size(0), x.size(1), w.dtype()}, x.raw_data(), w.raw_data(), b.raw_data(), lo, hi,
                          static_cast<int64_t*>(out.raw_data()));
  return out;
}

void perceptron_update(const Tensor& w, const Tensor& b, const Tensor& x, double target, double prediction, double lr) {
  check_params(w, b, "perceptron_update");
  RB_CHECK(x.defined() && x.dim() == 1 && x.size(0) == w.size(0), ValueError, "perceptron_update: x must have shape [",
           w.size(0), "] (one sample), got shape ", x.defined() ? x.shape() : Shape{});
  Tensor c;
  {
    NoGradGuard ng;
    c = (x.dtype() == w.dtype() ? x.detach() : to_dtype(x.detach(), w.dtype())).contiguous();
  }
  kernels<PerceptronKernels>("perceptron_update", c)
      .perceptron_update({1, w.size(0), w.dtype()}, c.raw_data(), w.raw_data(), b.raw_data(),
                         lr * (target - prediction));
  w.bump_version();
  b.bump_version();
}

}  // namespace rb
