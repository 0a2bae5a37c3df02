// The nn layers of rosenblatt/nn/*.h: each registers its parameters under PyTorch's names with
// PyTorch's default init, and forwards to the op of its family (no kernels here).
#include <cmath>

#include "rosenblatt/nn.h"

namespace rb::nn {
namespace {

// U(-bound, bound) with bound = 1/sqrt(fan_in): kaiming_uniform(a=sqrt(5)) for weights and
// PyTorch's bias init, which come to the same bound.
Tensor uniform_param(const Shape& shape, int64_t fan_in, Generator* gen) {
  double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
  Tensor t = Tensor::empty(shape);
  uniform_(t, -bound, bound, gen);
  return t;
}

int64_t prod(const std::vector<int64_t>& v) {
  int64_t p = 1;
  for (int64_t x : v) p *= x;
  return p;
}

void check_positive(const char* layer, const char* what, int64_t v) {
  RB_CHECK(v > 0, ValueError, layer, ": ", what, " must be positive, got ", v);
}

}  // namespace

std::vector<int64_t> Ints::expand(size_t n) const {
  if (v.size() == 1) return std::vector<int64_t>(n, v[0]);
  RB_CHECK(v.size() == n, ValueError, "expected ", n, " values or one, got ", v);
  return v;
}

Linear::Linear(int64_t in, int64_t out, bool with_bias, Generator* gen) {
  RB_CHECK(in >= 0 && out >= 0, ValueError, "Linear: sizes must be non-negative, got in_features=", in,
           ", out_features=", out);
  weight = register_parameter("weight", uniform_param({out, in}, in, gen));
  if (with_bias) bias = register_parameter("bias", uniform_param({out}, in, gen));
}

Tensor Linear::forward(const Tensor& x) {
  return linear(x, weight, bias.defined() ? std::optional<Tensor>(bias) : std::nullopt);
}

Embedding::Embedding(int64_t num, int64_t dim, std::optional<int64_t> pad, Generator* gen) {
  check_positive("Embedding", "num_embeddings", num);
  RB_CHECK(dim >= 0, ValueError, "Embedding: embedding_dim must be non-negative, got ", dim);
  padding_idx = -1;
  if (pad) {
    RB_CHECK(*pad >= -num && *pad < num, ValueError, "Padding_idx must be within num_embeddings");
    padding_idx = *pad < 0 ? *pad + num : *pad;
  }
  Tensor w = Tensor::empty({num, dim});
  normal_(w, 0.0, 1.0, gen);
  if (padding_idx >= 0) {
    Tensor row = select(w, 0, padding_idx);
    fill_(row, 0.0);
  }
  weight = register_parameter("weight", w);
}

Tensor Embedding::forward(const Tensor& indices) { return embedding(weight, indices, padding_idx); }

Conv2d::Conv2d(int64_t in, int64_t out, Ints k, Ints s, Ints p, Ints d, int64_t g, bool with_bias, Generator* gen)
    : stride(s.expand(2)), padding(p.expand(2)), dilation(d.expand(2)), groups(g) {
  check_positive("Conv2d", "groups", g);
  RB_CHECK(in % g == 0 && out % g == 0, ValueError, "Conv2d: in_channels (", in, ") and out_channels (", out,
           ") must be divisible by groups (", g, ")");
  std::vector<int64_t> ks = k.expand(2);
  int64_t fan_in = in / g * prod(ks);
  weight = register_parameter("weight", uniform_param({out, in / g, ks[0], ks[1]}, fan_in, gen));
  if (with_bias) bias = register_parameter("bias", uniform_param({out}, fan_in, gen));
}

Tensor Conv2d::forward(const Tensor& x) { return conv2d(x, weight, bias, stride, padding, dilation, groups); }

Conv1d::Conv1d(int64_t in, int64_t out, int64_t k, int64_t s, int64_t p, int64_t d, int64_t g, bool with_bias,
               Generator* gen)
    : stride{s}, padding{p}, dilation{d}, groups(g) {
  check_positive("Conv1d", "groups", g);
  RB_CHECK(in % g == 0 && out % g == 0, ValueError, "Conv1d: in_channels (", in, ") and out_channels (", out,
           ") must be divisible by groups (", g, ")");
  int64_t fan_in = in / g * k;
  weight = register_parameter("weight", uniform_param({out, in / g, k}, fan_in, gen));
  if (with_bias) bias = register_parameter("bias", uniform_param({out}, fan_in, gen));
}

Tensor Conv1d::forward(const Tensor& x) { return conv1d(x, weight, bias, stride, padding, dilation, groups); }

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, Ints k, Ints s, Ints p, Ints op, int64_t g, bool with_bias,
                                 Ints d, Generator* gen)
    : stride(s.expand(2)), padding(p.expand(2)), output_padding(op.expand(2)), dilation(d.expand(2)), groups(g) {
  check_positive("ConvTranspose2d", "groups", g);
  RB_CHECK(in % g == 0 && out % g == 0, ValueError, "ConvTranspose2d: in_channels (", in, ") and out_channels (", out,
           ") must be divisible by groups (", g, ")");
  std::vector<int64_t> ks = k.expand(2);
  // PyTorch computes the fan-in from dim 1 of the (in, out/groups, kh, kw) weight.
  int64_t fan_in = out / g * prod(ks);
  weight = register_parameter("weight", uniform_param({in, out / g, ks[0], ks[1]}, fan_in, gen));
  if (with_bias) bias = register_parameter("bias", uniform_param({out}, fan_in, gen));
}

Tensor ConvTranspose2d::forward(const Tensor& x) {
  return conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation);
}

MaxPool2d::MaxPool2d(Ints k, std::optional<Ints> s, Ints p, Ints d, bool ceil)
    : kernel_size(k.expand(2)), padding(p.expand(2)), dilation(d.expand(2)), ceil_mode(ceil) {
  stride = s ? s->expand(2) : kernel_size;
}

Tensor MaxPool2d::forward(const Tensor& x) { return max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode); }

AvgPool2d::AvgPool2d(Ints k, std::optional<Ints> s, Ints p, bool ceil, bool cip)
    : kernel_size(k.expand(2)), padding(p.expand(2)), ceil_mode(ceil), count_include_pad(cip) {
  stride = s ? s->expand(2) : kernel_size;
}

Tensor AvgPool2d::forward(const Tensor& x) {
  return avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad, std::nullopt);
}

BatchNorm::BatchNorm(int64_t c, double eps, double momentum, bool affine, bool track, const char* name, int64_t min_dim,
                     int64_t max_dim)
    : num_features(c), eps(eps), momentum(momentum), name_(name), min_dim_(min_dim), max_dim_(max_dim) {
  check_positive(name, "num_features", c);
  if (affine) {
    weight = register_parameter("weight", ones({c}));
    bias = register_parameter("bias", zeros({c}));
  }
  if (track) {
    running_mean = register_buffer("running_mean", zeros({c}));
    running_var = register_buffer("running_var", ones({c}));
    num_batches_tracked = register_buffer("num_batches_tracked", zeros({}, DType::Int64));
  }
}

Tensor BatchNorm::forward(const Tensor& x) {
  if (min_dim_ == max_dim_)
    RB_CHECK(x.dim() == min_dim_, ValueError, "expected ", min_dim_, "D input (got ", x.dim(), "D input)");
  else
    RB_CHECK(x.dim() >= min_dim_ && x.dim() <= max_dim_, ValueError, "expected ", min_dim_, "D or ", max_dim_,
             "D input (got ", x.dim(), "D input)");
  bool track = running_mean.defined();
  bool use_batch_stats = is_training() || !track;
  if (is_training() && track) {
    NoGradGuard no_grad;
    binary_(BinaryOp::Add, num_batches_tracked, Scalar(int64_t(1)));
  }
  auto opt = [](const Tensor& t) { return t.defined() ? std::optional<Tensor>(t) : std::nullopt; };
  // In training, running stats are passed so the op moves them; in eval it normalizes with them.
  return batch_norm(x, opt(running_mean), opt(running_var), opt(weight), opt(bias), use_batch_stats, momentum, eps);
}

LayerNorm::LayerNorm(std::vector<int64_t> shape, double eps, bool affine, bool with_bias)
    : normalized_shape(std::move(shape)), eps(eps) {
  if (affine) {
    weight = register_parameter("weight", ones(normalized_shape));
    if (with_bias) bias = register_parameter("bias", zeros(normalized_shape));
  }
}

Tensor LayerNorm::forward(const Tensor& x) {
  auto opt = [](const Tensor& t) { return t.defined() ? std::optional<Tensor>(t) : std::nullopt; };
  return layer_norm(x, normalized_shape, opt(weight), opt(bias), eps);
}

Dropout::Dropout(double p) : p(p) {
  RB_CHECK(p >= 0.0 && p <= 1.0, ValueError, "dropout probability has to be between 0 and 1, but got ", p);
}

Sequential& Sequential::add(std::shared_ptr<Module> m) {
  register_module(std::to_string(size()), std::move(m));
  return *this;
}

Module& Sequential::operator[](size_t i) const {
  RB_CHECK(i < size(), IndexError, "index ", i, " is out of range");
  return *named_children()[i].second;
}

Tensor Sequential::forward(const Tensor& x) {
  Tensor h = x;
  for (const auto& kv : named_children()) h = kv.second->forward(h);
  return h;
}

ModuleList& ModuleList::push_back(std::shared_ptr<Module> m) {
  register_module(std::to_string(size()), std::move(m));
  return *this;
}

Module& ModuleList::operator[](size_t i) const {
  RB_CHECK(i < size(), IndexError, "index ", i, " is out of range");
  return *named_children()[i].second;
}

}  // namespace rb::nn
