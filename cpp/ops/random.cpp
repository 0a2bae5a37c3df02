// Random creation (rand, randn, randint, randperm, bernoulli, multinomial) and in-place random fills. Each op
// holds the Generator's mutex for its whole draw, so concurrent ops never interleave one stream.
#include <cmath>
#include <mutex>

#include "rosenblatt/ops.h"

#include "op_common.h"

#include "../kernels/random.h"

namespace rb {
namespace {

Generator& gen_or_default(Generator* g) { return g ? *g : default_generator(); }

// Values drawn in place carry no gradient back to what the tensor held before.
struct RandomBackward : Node {
  std::string name() const override { return "RandomBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>&) override { return {}; }
};

void check_inplace_random(const Tensor& t) { check_inplace(t); }

// The geometry of a fill of t, a contiguous buffer.
RandomGeom fill_geom(const Tensor& t) { return {t.numel(), t.dtype()}; }

// Runs fill(contiguous buffer) on t, through a temporary when t is a non-contiguous view or of a
// storage dtype (float16 draws in float32 and rounds, as PyTorch's CPU generator does).
template <class F>
Tensor& fill_inplace(Tensor& t, const F& fill) {
  check_inplace_random(t);
  if (t.is_contiguous() && is_compute_dtype(t.dtype())) {
    fill(t);
  } else {
    Tensor tmp = Tensor::empty(t.shape(), compute_type(t.dtype()), t.device());
    fill(tmp);
    copy_values(tmp, t);
  }
  t.bump_version();
  if (GradMode::enabled() && t.requires_grad()) record(std::make_shared<RandomBackward>(), {}, {&t});
  return t;
}

void check_floating(DType dt, const char* op) {
  RB_CHECK(is_floating(dt), Error, op, ": expected a floating point dtype, got ", dtype_name(dt));
}

}  // namespace

Tensor& uniform_(Tensor& t, double from, double to, Generator* gen) {
  check_floating(t.dtype(), "uniform_");
  RB_CHECK(from <= to, Error, "uniform_ expects to return a [from, to) range, but found from=", from, " > to=", to);
  RB_CHECK(std::isfinite(from) && std::isfinite(to), Error, "uniform_ expects finite bounds, got from=", from,
           " to=", to);
  Generator& g = gen_or_default(gen);
  return fill_inplace(t, [&](Tensor& buf) {
    std::lock_guard<std::mutex> lock(g.mutex());
    kernels<RandomKernels>("uniform_", buf).uniform_fill(fill_geom(buf), buf.raw_data(), from, to, g);
  });
}

Tensor& normal_(Tensor& t, double mean, double std, Generator* gen) {
  check_floating(t.dtype(), "normal_");
  RB_CHECK(std >= 0.0, Error, "normal expects std >= 0.0, but found std ", std);
  Generator& g = gen_or_default(gen);
  return fill_inplace(t, [&](Tensor& buf) {
    std::lock_guard<std::mutex> lock(g.mutex());
    kernels<RandomKernels>("normal_", buf).normal_fill(fill_geom(buf), buf.raw_data(), mean, std, g);
  });
}

Tensor& bernoulli_(Tensor& t, double p, Generator* gen) {
  RB_CHECK(p >= 0.0 && p <= 1.0, Error, "bernoulli_ expects p to be in [0, 1], but got p=", p);
  Generator& g = gen_or_default(gen);
  return fill_inplace(t, [&](Tensor& buf) {
    std::lock_guard<std::mutex> lock(g.mutex());
    kernels<RandomKernels>("bernoulli_", buf).bernoulli_fill(fill_geom(buf), buf.raw_data(), p, g);
  });
}

Tensor& random_(Tensor& t, int64_t from, int64_t to, Generator* gen) {
  RB_CHECK(from < to, Error, "random_ expects 'from' to be less than 'to', but got from=", from, " >= to=", to);
  if (t.dtype() == DType::Bool)
    RB_CHECK(from >= 0 && to <= 2, Error,
             "random_ expects 'from' and 'to' in [0, 2] for a bool tensor, got from=", from, " to=", to);
  Generator& g = gen_or_default(gen);
  const uint64_t range = static_cast<uint64_t>(to) - static_cast<uint64_t>(from);
  return fill_inplace(t, [&](Tensor& buf) {
    std::lock_guard<std::mutex> lock(g.mutex());
    kernels<RandomKernels>("random_", buf).randint_fill(fill_geom(buf), buf.raw_data(), from, range, g);
  });
}

Tensor& exponential_(Tensor& t, double lambd, Generator* gen) {
  check_floating(t.dtype(), "exponential_");
  RB_CHECK(lambd > 0.0, Error, "exponential_ expects lambda > 0.0, but found lambda=", lambd);
  Generator& g = gen_or_default(gen);
  return fill_inplace(t, [&](Tensor& buf) {
    std::lock_guard<std::mutex> lock(g.mutex());
    kernels<RandomKernels>("exponential_", buf).exponential_fill(fill_geom(buf), buf.raw_data(), lambd, g);
  });
}

Tensor rand(const Shape& shape, Generator* gen, DType dtype, Device device) {
  check_floating(dtype, "rand");
  Tensor t = Tensor::empty(shape, dtype, device);
  NoGradGuard ng;
  return uniform_(t, 0.0, 1.0, gen);
}

Tensor randn(const Shape& shape, Generator* gen, DType dtype, Device device) {
  check_floating(dtype, "randn");
  Tensor t = Tensor::empty(shape, dtype, device);
  NoGradGuard ng;
  return normal_(t, 0.0, 1.0, gen);
}

Tensor randint(int64_t low, int64_t high, const Shape& shape, Generator* gen, DType dtype, Device device) {
  Tensor t = Tensor::empty(shape, dtype, device);
  NoGradGuard ng;
  return random_(t, low, high, gen);
}

Tensor randperm(int64_t n, Generator* gen, DType dtype, Device device) {
  RB_CHECK(n >= 0, Error, "randperm: n must be non-negative, got ", n);
  RB_CHECK(dtype != DType::Bool || n <= 2, Error, "randperm: n=", n, " does not fit in dtype bool");
  if (!is_compute_dtype(dtype)) return to_dtype(randperm(n, gen, compute_type(dtype), device), dtype);
  Tensor t = Tensor::empty({n}, dtype, device);
  Generator& g = gen_or_default(gen);
  std::lock_guard<std::mutex> lock(g.mutex());
  kernels<RandomKernels>("randperm", t).randperm_fill(fill_geom(t), t.raw_data(), g);
  return t;
}

Tensor normal(const Tensor& mean, const Tensor& std, Generator* gen) {
  const DType dt = result_type(mean, std);
  check_floating(dt, "normal");
  check_same_device(mean, std, "normal");
  NoGradGuard ng;
  RB_CHECK(std.numel() == 0 || !any(binary(BinaryOp::Lt, std, Scalar(0.0))).item<bool>(), Error,
           "normal expects all elements of std >= 0.0");
  Tensor out = Tensor::empty(broadcast_shapes(mean.shape(), std.shape()), dt, mean.device());
  normal_(out, 0.0, 1.0, gen);
  return add(mean, mul(std, out));
}

Tensor bernoulli(const Tensor& p, Generator* gen) {
  check_floating(p.dtype(), "bernoulli");
  Tensor q = p.contiguous().detach();
  Tensor out = Tensor::empty(p.shape(), p.dtype(), p.device());
  Generator& g = gen_or_default(gen);
  {
    // Probabilities outside [0, 1] are an error, as in PyTorch; checked before any draw.
    RB_DISPATCH_FLOATING(q.dtype(), "bernoulli", [&] {
      const scalar_t* v = static_cast<const scalar_t*>(q.raw_data());
      for (int64_t i = 0, n = q.numel(); i < n; ++i)
        RB_CHECK(v[i] >= 0 && v[i] <= 1, Error, "Expected p_in >= 0 && p_in <= 1 to be true, but got false (p=", v[i],
                 ")");
    });
    std::lock_guard<std::mutex> lock(g.mutex());
    kernels<RandomKernels>("bernoulli", out)
        .bernoulli_tensor_fill({out.numel(), out.dtype(), q.dtype()}, out.raw_data(), q.raw_data(), g);
  }
  return out;
}

Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement, Generator* gen) {
  const auto& k = kernels<RandomKernels>("multinomial", probs);
  RB_CHECK(probs.dim() == 1 || probs.dim() == 2, Error, "prob_dist must be 1 or 2 dim (got shape ", probs.shape(), ")");
  RB_CHECK(is_floating(probs.dtype()), Error,
           "multinomial only supports floating-point dtypes for input, got: ", dtype_name(probs.dtype()));
  RB_CHECK(num_samples > 0, Error, "cannot sample n_sample <= 0 samples (n_sample = ", num_samples, ")");
  const int64_t C = probs.size(-1), rows = probs.dim() == 2 ? probs.size(0) : 1;
  RB_CHECK(replacement || num_samples <= C, Error,
           "cannot sample n_sample > prob_dist.size(-1) samples without replacement (n_sample = ", num_samples,
           ", prob_dist of shape ", probs.shape(), ")");
  Tensor out = Tensor::empty({rows, num_samples}, DType::Int64, probs.device());
  if (rows > 0) {
    NoGradGuard ng;
    // float16/bfloat16: the distribution in float32, as ATen's kernel accumulates it in opmath.
    Tensor p = reshape(widen(probs).contiguous(), {rows, C});
    // Checked before any draw, so a refused call leaves the generator where it was.
    Tensor bad =
        logical(LogicalOp::Or, logical_not(classify(FloatClass::IsFinite, p)), binary(BinaryOp::Lt, p, Scalar(0.0)));
    RB_CHECK(!any(bad).item<bool>(), Error, "probability tensor contains either `inf`, `nan` or element < 0");
    RB_CHECK(!any(binary(BinaryOp::Le, sum(p, {1}), Scalar(0.0))).item<bool>(), Error,
             "invalid multinomial distribution (sum of probabilities <= 0)");
    Generator& g = gen_or_default(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    k.multinomial({num_samples, DType::Int64, p.dtype(), rows, C}, p.raw_data(), replacement, g, out.data<int64_t>());
  }
  return probs.dim() == 1 ? reshape(out, {num_samples}) : out;
}

}  // namespace rb
