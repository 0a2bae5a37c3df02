// The C++ training API (rosenblatt/rosenblatt.h): optimizer steps against hand-computed updates,
// PyTorch's state_dict keys, load_state_dict's checks, train/eval, to(dtype) and safetensors files.
#include <cmath>

#include "helpers.h"
#include "rosenblatt/hooks.h"
#include "rosenblatt/rosenblatt.h"

namespace {

using rbtest::make;
using rbtest::values;
namespace nn = rb::nn;

std::vector<std::string> keys(const nn::StateDict& sd) {
  std::vector<std::string> k;
  for (const auto& kv : sd) k.push_back(kv.first);
  return k;
}

// loss = sum(x W^T + b): dW[i][j] = sum_n x[n][j] and db[i] = N, whatever W is.
TEST(CppApiOptim, LinearSgdMomentumStepsMatchHandComputedUpdates) {
  nn::Linear lin(2, 3);
  std::vector<float> w0 = values(lin.weight), b0 = values(lin.bias);
  rb::Tensor x = make({2, 2}, {1, 2, 3, 5});  // column sums 4, 7
  rb::optim::SGD opt(lin.parameters(), 0.1, 0.9);
  const float dw[2] = {4, 7};
  for (int step = 1; step <= 2; ++step) {
    opt.zero_grad();
    rb::backward(rb::sum(lin(x)));
    opt.step();
    // buf_1 = g, buf_2 = 0.9 g + g: the weight moves by lr * g and then lr * 1.9 g.
    float moved = step == 1 ? 0.1f : 0.1f + 0.19f;
    std::vector<float> w = values(lin.weight), b = values(lin.bias);
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 2; ++j) EXPECT_NEAR(w[i * 2 + j], w0[i * 2 + j] - moved * dw[j], 1e-5);
      EXPECT_NEAR(b[i], b0[i] - moved * 2, 1e-5);
    }
  }
}

// After one Adam step m_hat = g and v_hat = g^2, so p moves by lr * g / (|g| + eps) = lr * sign(g).
TEST(CppApiOptim, AdamFirstStepMovesByLrTimesSign) {
  rb::Tensor p = make({3}, {1, -2, 3});
  p.set_requires_grad(true);
  rb::optim::Adam opt({p}, 0.01);
  rb::backward(rb::sum(rb::mul(p, make({3}, {2, -3, 0.5}))));  // grad (2, -3, 0.5)
  opt.step();
  std::vector<float> v = values(p);
  EXPECT_NEAR(v[0], 1 - 0.01, 1e-6);
  EXPECT_NEAR(v[1], -2 + 0.01, 1e-6);
  EXPECT_NEAR(v[2], 3 - 0.01, 1e-6);
  EXPECT_EQ(opt.state[0].step.item<double>(), 1.0);
}

// AdamW's decoupled decay: p *= 1 - lr * wd before the Adam move.
TEST(CppApiOptim, AdamWDecaysTheWeightThenMoves) {
  rb::Tensor p = make({1}, {2});
  p.set_requires_grad(true);
  rb::optim::AdamW opt({p}, 0.1, {0.9, 0.999}, 1e-8, 0.5);
  rb::backward(rb::sum(p));
  opt.step();
  EXPECT_NEAR(values(p)[0], 2 * (1 - 0.1 * 0.5) - 0.1, 1e-6);
}

// RMSprop's first step: v = (1 - alpha) g^2, p -= lr * g / (sqrt(v) + eps).
TEST(CppApiOptim, RmspropFirstStep) {
  rb::Tensor p = make({1}, {1});
  p.set_requires_grad(true);
  rb::optim::RMSprop opt({p}, 0.01, 0.99);
  rb::backward(rb::mul(rb::sum(p), 3.0));  // g = 3
  opt.step();
  EXPECT_NEAR(values(p)[0], 1 - 0.01 * 3 / (std::sqrt(0.01 * 9) + 1e-8), 1e-6);
}

// A hook may change a gradient's values, not its dtype or size: the backward reading it was planned
// for both (prod's backward read a float64 gradient as float32, a shorter one past its end).
TEST(CppApiHooks, HookChangingTheGradientsDtypeOrSizeRaises) {
  rb::Tensor x = make({2, 3}, {1, 2, 3, 4, 5, 6});
  x.set_requires_grad(true);
  rb::Tensor y = rb::prod(x, 1);
  rb::register_grad_hook(y, [](const rb::Tensor& g) { return rb::to_dtype(g, rb::DType::Float64); });
  EXPECT_THROW(rb::backward(rb::sum(y)), rb::Error);
  rb::Tensor z = rb::prod(x, 1);
  rb::register_grad_hook(z, [](const rb::Tensor&) { return rb::ones({1}); });
  EXPECT_THROW(rb::backward(rb::sum(z)), rb::Error);
  rb::Tensor w = rb::prod(x, 1);
  rb::register_grad_hook(w, [](const rb::Tensor& g) { return rb::mul(g, 2.0); });  // values only: allowed
  rb::backward(rb::sum(w));
  EXPECT_NEAR(values(x.grad())[0], 2 * 2 * 3, 1e-6);
}

TEST(CppApiOptim, BadHyperparametersRaiseValueError) {
  rb::Tensor p = make({1}, {1});
  p.set_requires_grad(true);
  EXPECT_THROW(rb::optim::SGD({p}, -1.0), rb::ValueError);
  EXPECT_THROW(rb::optim::SGD({p}, 0.1, 0.0, 0.0, 0.0, true), rb::ValueError);  // Nesterov without momentum
  EXPECT_THROW(rb::optim::Adam({p}, 0.1, {1.0, 0.999}), rb::ValueError);
  EXPECT_THROW(rb::optim::RMSprop({p}, 0.1, -0.5), rb::ValueError);
}

TEST(CppApiModules, StateDictKeysArePyTorchs) {
  nn::Sequential seq{std::make_shared<nn::Conv2d>(1, 4, 3), std::make_shared<nn::ReLU>(),
                     std::make_shared<nn::BatchNorm2d>(4), std::make_shared<nn::Flatten>(),
                     std::make_shared<nn::Linear>(4, 2, false)};
  EXPECT_EQ(keys(seq.state_dict()),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var",
                                      "2.num_batches_tracked", "4.weight"}));
  EXPECT_EQ(keys(seq.named_parameters()),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "4.weight"}));
  EXPECT_EQ(seq.parameters().size(), 5u);
  EXPECT_EQ(seq.state_dict()[0].second.shape(), (rb::Shape{4, 1, 3, 3}));

  nn::LSTM lstm(3, 5, 2, true, false, 0.0, true);
  std::vector<std::string> k = keys(lstm.state_dict());
  ASSERT_EQ(k.size(), 16u);
  EXPECT_EQ(k[0], "weight_ih_l0");
  EXPECT_EQ(k[3], "bias_hh_l0");
  EXPECT_EQ(k[4], "weight_ih_l0_reverse");
  EXPECT_EQ(k[8], "weight_ih_l1");
  EXPECT_EQ(lstm.state_dict()[8].second.shape(), (rb::Shape{20, 10}));  // 4 gates x 5, 2 directions x 5
}

struct Net : nn::Module {
  std::shared_ptr<nn::Sequential> features =
      register_module("features", std::make_shared<nn::Sequential>(std::initializer_list<std::shared_ptr<nn::Module>>{
                                      std::make_shared<nn::Linear>(4, 8), std::make_shared<nn::Tanh>()}));
  std::shared_ptr<nn::Linear> head = register_module("head", std::make_shared<nn::Linear>(8, 2));
  rb::Tensor forward(const rb::Tensor& x) override { return (*head)((*features)(x)); }
};

TEST(CppApiModules, NestedModulesGetDottedKeysAndLoadStateDictChecks) {
  Net a, b;
  EXPECT_EQ(keys(a.state_dict()),
            (std::vector<std::string>{"features.0.weight", "features.0.bias", "head.weight", "head.bias"}));
  rb::Tensor x = rb::randn({5, 4});
  b.load_state_dict(a.state_dict());
  EXPECT_EQ(values(a(x)), values(b(x)));

  nn::StateDict missing = a.state_dict();
  missing.pop_back();
  try {
    b.load_state_dict(missing);
    FAIL() << "a missing key must raise";
  } catch (const rb::Error& e) {
    EXPECT_NE(std::string(e.what()).find("head.bias"), std::string::npos) << e.what();
  }
  b.load_state_dict(missing, false);  // non-strict: the rest is loaded

  nn::StateDict wrong = a.state_dict();
  wrong[2].second = rb::zeros({3, 8});
  std::vector<float> before = values(b.head->bias);
  EXPECT_THROW(b.load_state_dict(wrong), rb::Error);
  EXPECT_EQ(values(b.head->bias), before);  // nothing changed by a failed load
}

TEST(CppApiModules, BatchNormTrainMovesRunningStatsEvalUsesThem) {
  nn::BatchNorm1d bn(2);
  rb::Tensor x = make({2, 2}, {1, 10, 3, 20});  // batch means 2, 15
  rb::Tensor y = bn(x);
  EXPECT_EQ(bn.num_batches_tracked.item<int64_t>(), 1);
  std::vector<float> rm = values(bn.running_mean);
  EXPECT_NEAR(rm[0], 0.2, 1e-6);
  EXPECT_NEAR(rm[1], 1.5, 1e-6);
  EXPECT_NEAR(values(y)[0], -1.0, 1e-3);  // (1 - 2) / 1 with the biased batch variance
  bn.eval();
  rb::Tensor z = bn(x);
  EXPECT_EQ(bn.num_batches_tracked.item<int64_t>(), 1);
  // running_var = 0.9 + 0.1 * 2 (unbiased) for channel 0
  EXPECT_NEAR(values(z)[0], (1 - 0.2) / std::sqrt(1.1 + 1e-5), 1e-4);
  EXPECT_THROW(bn(rb::zeros({1, 2, 3, 4})), rb::ValueError);
}

TEST(CppApiModules, DropoutIsIdentityInEval) {
  nn::Sequential seq{std::make_shared<nn::Dropout>(0.5)};
  rb::Tensor x = rb::ones({1000});
  std::vector<float> train = values(seq(x));
  int zeros = 0;
  for (float v : train) zeros += v == 0.0f;
  EXPECT_GT(zeros, 350);
  EXPECT_LT(zeros, 650);
  seq.eval();
  EXPECT_FALSE(seq[0].is_training());
  EXPECT_EQ(values(seq(x)), values(x));
}

TEST(CppApiModules, ToDtypeConvertsInPlaceForEveryHandle) {
  nn::Linear lin(3, 2);
  rb::optim::SGD opt(lin.parameters(), 0.1);
  lin.to(rb::DType::Float64);
  EXPECT_EQ(lin.weight.dtype(), rb::DType::Float64);
  EXPECT_EQ(opt.params()[0].dtype(), rb::DType::Float64);
  EXPECT_TRUE(lin.weight.requires_grad());
  rb::Tensor y = lin(rb::randn({4, 3}, nullptr, rb::DType::Float64));
  EXPECT_EQ(y.dtype(), rb::DType::Float64);
  EXPECT_THROW(lin.to(rb::Device("cuda")), rb::Error);
}

TEST(CppApiModules, RecurrentLayersGiveTorchShapesAndGradients) {
  nn::GRU gru(3, 4, 2, true, true);  // batch_first
  rb::Tensor x = rb::randn({5, 7, 3});
  nn::RNNResult r = gru.forward_with_state(x);
  EXPECT_EQ(r.output.shape(), (rb::Shape{5, 7, 4}));
  EXPECT_EQ(r.h_n.shape(), (rb::Shape{2, 5, 4}));
  rb::backward(rb::sum(r.output));
  for (const rb::Tensor& p : gru.parameters()) EXPECT_TRUE(p.grad().defined());
  nn::LSTM lstm(3, 4);
  nn::RNNResult s = lstm.forward_with_state(rb::randn({6, 2, 3}));
  EXPECT_EQ(s.c_n.shape(), (rb::Shape{1, 2, 4}));
  EXPECT_THROW(lstm(rb::randn({6, 2, 5})), rb::ValueError);
}

TEST(CppApiModules, ConvPoolEmbeddingShapes) {
  nn::Sequential seq{std::make_shared<nn::Conv2d>(3, 6, 3, 1, 1), std::make_shared<nn::MaxPool2d>(2),
                     std::make_shared<nn::AvgPool2d>(2), std::make_shared<nn::ConvTranspose2d>(6, 2, 2, 2),
                     std::make_shared<nn::AdaptiveAvgPool2d>(1)};
  EXPECT_EQ(seq(rb::randn({2, 3, 8, 8})).shape(), (rb::Shape{2, 2, 1, 1}));
  nn::Embedding emb(10, 4, 0);
  EXPECT_EQ(values(emb.weight)[0], 0.0f);  // the padding row starts at zero
  rb::Tensor ids = rb::Tensor::empty({3}, rb::DType::Int64);
  for (int i = 0; i < 3; ++i) ids.data<int64_t>()[i] = i;
  EXPECT_EQ(emb(ids).shape(), (rb::Shape{3, 4}));
  nn::LayerNorm ln({4});
  EXPECT_EQ(keys(ln.state_dict()), (std::vector<std::string>{"weight", "bias"}));
}

TEST(CppApiSerialize, SafetensorsRoundTripKeepsKeysDtypesShapesAndValues) {
  rb::Tensor i64 = rb::Tensor::empty({2}, rb::DType::Int64);
  i64.data<int64_t>()[0] = -7;
  i64.data<int64_t>()[1] = int64_t(1) << 40;
  nn::StateDict sd{{"a.weight", make({2, 3}, {1, 2, 3, 4, 5, 6})},
                   {"b", rb::full({}, 2.5, rb::DType::Float64)},
                   {"n", i64},
                   {"mask", rb::ones({3}, rb::DType::Bool)},
                   {"empty", rb::zeros({0, 4})},
                   {"t\"q", transpose(make({2, 2}, {1, 2, 3, 4}), 0, 1)},  // a view is saved contiguous
                   {"half", rb::ones({2}, rb::DType::Float16)},
                   {"u8", rb::ones({3}, rb::DType::UInt8)}};
  nn::StateDict back = rb::load_from_bytes(rb::save_to_bytes(sd));
  ASSERT_EQ(keys(back), keys(sd));
  for (size_t i = 0; i < sd.size(); ++i) {
    EXPECT_EQ(back[i].second.dtype(), sd[i].second.dtype()) << sd[i].first;
    EXPECT_EQ(back[i].second.shape(), sd[i].second.shape()) << sd[i].first;
  }
  EXPECT_EQ(values(back[0].second), values(sd[0].second));
  EXPECT_EQ(back[1].second.item<double>(), 2.5);
  EXPECT_EQ(back[2].second.data<int64_t>()[1], int64_t(1) << 40);
  EXPECT_EQ(values(back[5].second), (std::vector<float>{1, 3, 2, 4}));
}

TEST(CppApiSerialize, MalformedFilesRaiseValueError) {
  std::string good = rb::save_to_bytes({{"w", make({2}, {1, 2})}});
  EXPECT_THROW(rb::load_from_bytes(good.substr(0, 5)), rb::ValueError);                // truncated length
  EXPECT_THROW(rb::load_from_bytes(good.substr(0, good.size() - 1)), rb::ValueError);  // truncated data
  std::string huge = good;
  huge[7] = '\x7f';
  EXPECT_THROW(rb::load_from_bytes(huge), rb::ValueError);  // header length beyond the file
  std::string bad_json = good;
  bad_json[8] = '[';
  EXPECT_THROW(rb::load_from_bytes(bad_json), rb::ValueError);
  std::string bad_dtype = good;
  bad_dtype.replace(bad_dtype.find("F32"), 3, "X32");
  EXPECT_THROW(rb::load_from_bytes(bad_dtype), rb::ValueError);
  EXPECT_THROW(rb::load_from_bytes("PK\x03\x04 not a safetensors file"), rb::ValueError);
  EXPECT_THROW(rb::save_to_bytes({{"w", make({1}, {1})}, {"w", make({1}, {2})}}), rb::ValueError);
  EXPECT_THROW(rb::load("/nonexistent/dir/x.safetensors"), rb::Error);
}

// Uniform frames over {blank, 1}: 6 of the 8 paths of 3 frames collapse to "1" (a run of 1s anywhere).
TEST(CppApiLoss, CtcLossCountsAlignmentsAndRefusesLabelsOutOfRange) {
  rb::Tensor lp = rb::full({3, 1, 2}, rb::Scalar(std::log(0.5)));
  rb::Tensor tg = rb::full({1, 1}, rb::Scalar(int64_t(1)), rb::DType::Int64);
  rb::Tensor loss = rb::ctc_loss(lp, tg, std::vector<int64_t>{3}, std::vector<int64_t>{1}, 0, rb::Reduction::Sum);
  EXPECT_NEAR(values(loss)[0], -std::log(0.75), 1e-6);
  rb::Tensor bad = rb::full({1, 1}, rb::Scalar(int64_t(2)), rb::DType::Int64);
  EXPECT_THROW(rb::ctc_loss(lp, bad, std::vector<int64_t>{3}, std::vector<int64_t>{1}), rb::IndexError);
}

}  // namespace
