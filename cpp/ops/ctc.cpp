// CTC loss: PyTorch's argument checks and messages (ATen's LossCTC.cpp), every index validated before
// the kernels run, the per-sample losses with their autograd node, and the reductions from primitives.
#include <limits>

#include "rosenblatt/ops/ctc.h"

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"

#include "../kernels/ctc.h"

namespace rb {
namespace {

// PyTorch's TensorArg checks name where they ran.
constexpr const char* kWhile = " (while checking arguments for ctc_loss_allocate_outputs)";

// The backward ran a kernel autograd cannot see: PyTorch has no derivative of _ctc_loss_backward,
// so a gradient taken with create_graph raises when differentiated again.
struct CtcLossBackward : Node {
  SavedTensor log_probs;  // (T, N, C), for its version and, with create_graph, its history
  SavedTensor nll;        // the node's output: an in-place change to the loss makes backward raise
  Tensor targets, log_alpha;
  CtcGeometry geo;
  bool zero_infinity = false;
  std::string name() const override { return "CtcLossBackward0"; }
  void release_saved() override { log_probs.reset(), nll.reset(), targets = log_alpha = Tensor(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    check_not_released();
    Tensor lp = log_probs.unpack(*this);
    Tensor lpc = contiguous_nograd(lp), g = contiguous_nograd(cast(grads[0], lpc.dtype())),
           nl = nll.unpack(*this).detach();
    std::vector<Tensor> r{Tensor::empty(lpc.shape(), lpc.dtype(), lpc.device())};
    kernels<CtcKernels>("ctc_loss_backward", lpc)
        .ctc_loss_backward(geo, g.raw_data(), lpc.raw_data(), targets.data<int64_t>(), nl.raw_data(),
                           log_alpha.raw_data(), zero_infinity, r[0].raw_data());
    if (GradMode::enabled()) mark_once_differentiable("CtcLoss", {&grads[0], &lp}, r);
    return r;
  }
};

// Lengths given as a tensor: any integral dtype, any shape (read flat), as PyTorch.
std::vector<int64_t> lengths_of(const Tensor& t, const char* what) {
  RB_CHECK(!is_floating(t.dtype()) && t.dtype() != DType::Bool, Error, what, " must be integral");
  NoGradGuard ng;
  Tensor c = cast(t.detach(), DType::Int64).contiguous();
  const int64_t* p = c.data<int64_t>();
  return std::vector<int64_t>(p, p + c.numel());
}

// Checks the targets and lengths against log_probs (T, N, C) and lays out where each target starts.
CtcGeometry ctc_geometry(const Tensor& lp, const Tensor& targets, const std::vector<int64_t>& il,
                         const std::vector<int64_t>& tl, int64_t blank) {
  CtcGeometry g;
  g.T = lp.size(0), g.N = lp.size(1), g.C = lp.size(2), g.blank = blank, g.dtype = lp.dtype();
  RB_CHECK(targets.dim() >= 1 && targets.dim() <= 2, Error, "Expected 1 to 2 dimensions, but got ", targets.dim(),
           "-dimensional tensor for argument #2 'targets'", kWhile);
  RB_CHECK(static_cast<int64_t>(il.size()) == g.N, Error, "input_lengths must be of size batch_size (got ", il.size(),
           " lengths for log_probs of shape ", lp.shape(), ")");
  RB_CHECK(static_cast<int64_t>(tl.size()) == g.N, Error, "target_lengths must be of size batch_size (got ", tl.size(),
           " lengths for log_probs of shape ", lp.shape(), ")");
  int64_t pos = 0;
  for (int64_t b = 0; b < g.N; ++b) {
    RB_CHECK(tl[b] >= 0, Error, "Expected target_lengths to have value at least 0, but got value ", tl[b], kWhile);
    g.target_offsets.push_back(targets.dim() == 1 ? pos : b * (targets.dim() == 2 ? targets.size(1) : 0));
    // Saturating: lengths summing past int64 must fail the size check below, not wrap around to pass it.
    pos = tl[b] > std::numeric_limits<int64_t>::max() - pos ? std::numeric_limits<int64_t>::max() : pos + tl[b];
    g.max_target = std::max(g.max_target, tl[b]);
  }
  if (targets.dim() == 1) {
    RB_CHECK(targets.size(0) == pos, Error, "Expected tensor to have size ", pos, " at dimension 0, but got size ",
             targets.size(0), " for argument #2 'targets'", kWhile);
  } else {
    RB_CHECK(targets.size(0) == g.N, Error, "Expected tensor to have size ", g.N, " at dimension 0, but got size ",
             targets.size(0), " for argument #2 'targets'", kWhile);
    RB_CHECK(targets.size(1) >= g.max_target, Error, "Expected tensor to have size at least ", g.max_target,
             " at dimension 1, but got size ", targets.size(1), " for argument #2 'targets'", kWhile);
  }
  for (int64_t b = 0; b < g.N; ++b) {
    RB_CHECK(il[b] >= 0, Error, "Expected input_lengths to have value at least 0, but got value ", il[b], kWhile);
    RB_CHECK(il[b] <= g.T, Error, "Expected input_lengths to have value at most ", g.T, ", but got value ", il[b],
             kWhile);
  }
  g.input_lengths = il, g.target_lengths = tl;
  return g;
}

// Every label the kernels will read must index log_probs' class dim (PyTorch's CPU kernel reads out
// of bounds instead); padding past a target's length is never read and may hold anything.
void check_labels(const Tensor& tg, const CtcGeometry& g) {
  const int64_t* p = tg.data<int64_t>();
  for (int64_t b = 0; b < g.N; ++b)
    for (int64_t i = 0; i < g.target_lengths[b]; ++i) {
      const int64_t v = p[g.target_offsets[b] + i];
      if (v < 0 || v >= g.C)
        throw IndexError(str("ctc_loss: target ", v, " (label ", i, " of sample ", b,
                             ") is out of bounds for log_probs with ", g.C, " classes"));
    }
}

}  // namespace

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const std::vector<int64_t>& input_lengths,
                const std::vector<int64_t>& target_lengths, int64_t blank, Reduction reduction, bool zero_infinity) {
  const bool batched = log_probs.dim() == 3;
  Tensor lp = batched ? log_probs : unsqueeze(log_probs, 1);
  RB_CHECK(lp.dim() == 3, Error, "Expected 3-dimensional tensor, but got ", lp.dim(),
           "-dimensional tensor for argument #1 'log_probs'", kWhile);
  const DType dt = lp.dtype();
  RB_CHECK(dt == DType::Float32 || dt == DType::Float64, NotImplementedError, "\"ctc_loss_cpu\" not implemented for '",
           aten_name(dt), "'");
  RB_CHECK(lp.numel() > 0, Error, "log_probs tensor must not be empty (got shape ", lp.shape(), ")");
  RB_CHECK(blank >= 0 && blank < lp.size(2), Error, "blank must be in label range (got blank ", blank, " for ",
           lp.size(2), " classes)");
  const auto& k = kernels<CtcKernels>("ctc_loss", lp);
  CtcGeometry g = ctc_geometry(lp, targets, input_lengths, target_lengths, blank);
  Tensor tg;
  {
    NoGradGuard ng;  // labels as int64, as PyTorch converts them (floats truncate)
    tg = cast(targets.detach(), DType::Int64).contiguous();
  }
  check_labels(tg, g);
  Tensor lpc = contiguous_nograd(lp);
  Tensor nll = Tensor::empty({g.N}, dt, lp.device());
  Tensor log_alpha = Tensor::empty({g.N, g.T, 2 * g.max_target + 1}, dt, lp.device());
  k.ctc_loss_forward(g, lpc.raw_data(), tg.data<int64_t>(), nll.raw_data(), log_alpha.raw_data());
  Tensor res = nll;
  if (needs_grad(lp)) {
    auto node = std::make_shared<CtcLossBackward>();
    node->log_probs = SavedTensor(lp);
    node->targets = tg, node->log_alpha = log_alpha, node->zero_infinity = zero_infinity;
    node->geo = std::move(g);
    node->nll = SavedTensor::output(res);
    record(node, {&lp}, {&res});
  }
  if (zero_infinity)
    res = where(binary(BinaryOp::Eq, res, Scalar(std::numeric_limits<double>::infinity())), zeros({}, dt, res.device()),
                res);
  switch (reduction) {
    case Reduction::Mean: {
      // Each loss over its target length (at least 1), then the batch mean, as PyTorch.
      Tensor lens = Tensor::empty({static_cast<int64_t>(target_lengths.size())}, dt, res.device());
      RB_DISPATCH_FLOATING(dt, "ctc_loss", [&] {
        for (size_t i = 0; i < target_lengths.size(); ++i)
          lens.data<scalar_t>()[i] = static_cast<scalar_t>(std::max<int64_t>(target_lengths[i], 1));
      });
      return mean(div(res, lens));
    }
    case Reduction::Sum: return sum(res);
    case Reduction::None: return batched ? res : squeeze(res, std::vector<int64_t>{0});
  }
  return res;
}

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, int64_t blank, Reduction reduction, bool zero_infinity) {
  return ctc_loss(log_probs, targets, lengths_of(input_lengths, "input_lengths"),
                  lengths_of(target_lengths, "target_lengths"), blank, reduction, zero_infinity);
}

}  // namespace rb
