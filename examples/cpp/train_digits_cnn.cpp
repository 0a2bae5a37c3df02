// Trains the demo's CNN (python -m rosenblatt demo) on the bundled digits from C++ and saves it as
// safetensors; with --eval, scores a checkpoint instead (one written by Python's rb.save, say).
//   train_digits_cnn DATA_DIR OUT.safetensors     (exit 1 below 97% test accuracy)
//   train_digits_cnn --eval DATA_DIR CKPT.safetensors
// DATA_DIR holds train.csv and test.csv, rows of 64 pixels in [0, 1] then the label, written by
// digits_check.py prepare from rb.datasets.load_digits, so both sides use the same split.
#include <rosenblatt/rosenblatt.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace nn = rb::nn;

struct Dataset {
  rb::Tensor images, labels;  // (N, 1, 8, 8) float32, (N) int64
};

Dataset read_csv(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error("cannot open " + path);
  std::vector<float> pixels;
  std::vector<int64_t> labels;
  std::string line;
  while (std::getline(f, line)) {
    std::stringstream row(line);
    std::string cell;
    std::vector<double> values;
    while (std::getline(row, cell, ',')) values.push_back(std::stod(cell));
    if (values.size() != 65) throw std::runtime_error(path + ": a row without 65 values");
    pixels.insert(pixels.end(), values.begin(), values.begin() + 64);
    labels.push_back(static_cast<int64_t>(values[64]));
  }
  auto n = static_cast<int64_t>(labels.size());
  Dataset d{rb::Tensor::empty({n, 1, 8, 8}), rb::Tensor::empty({n}, rb::DType::Int64)};
  std::copy(pixels.begin(), pixels.end(), d.images.data<float>());
  std::copy(labels.begin(), labels.end(), d.labels.data<int64_t>());
  return d;
}

// Conv(32)-Pool-Conv(64)-Pool-MLP: the keys of its state_dict are the Python demo's ("0.weight", ...).
nn::Sequential make_cnn(int64_t hidden) {
  return nn::Sequential{std::make_shared<nn::Conv2d>(1, 32, 3, 1, 1),
                        std::make_shared<nn::ReLU>(),
                        std::make_shared<nn::MaxPool2d>(2),
                        std::make_shared<nn::Conv2d>(32, 64, 3, 1, 1),
                        std::make_shared<nn::ReLU>(),
                        std::make_shared<nn::MaxPool2d>(2),
                        std::make_shared<nn::Flatten>(),
                        std::make_shared<nn::Linear>(256, hidden),
                        std::make_shared<nn::ReLU>(),
                        std::make_shared<nn::Linear>(hidden, 10)};
}

double accuracy(nn::Module& model, const Dataset& d) {
  rb::NoGradGuard no_grad;
  model.eval();
  rb::Tensor pred = rb::argmax(model(d.images), 1);
  rb::Tensor right = rb::sum(rb::binary(rb::BinaryOp::Eq, pred, d.labels));
  model.train();
  return static_cast<double>(right.item<int64_t>()) / static_cast<double>(d.labels.numel());
}

int main(int argc, char** argv) {
  bool eval_only = argc == 4 && std::string(argv[1]) == "--eval";
  if (argc != 3 && !eval_only) {
    std::cerr << "usage: " << argv[0] << " DATA_DIR OUT.safetensors | --eval DATA_DIR CKPT.safetensors\n";
    return 2;
  }
  std::string dir = argv[eval_only ? 2 : 1], ckpt = argv[eval_only ? 3 : 2];
  Dataset train = read_csv(dir + "/train.csv"), test = read_csv(dir + "/test.csv");
  rb::default_generator().manual_seed(0);
  nn::Sequential model = make_cnn(128);
  if (eval_only) {
    model.load_state_dict(rb::load(ckpt));
    std::printf("test accuracy %.4f\n", accuracy(model, test));
    return 0;
  }

  rb::optim::Adam opt(model.parameters(), 3e-3);
  const int64_t n = train.labels.numel(), batch = 32, epochs = 15;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    rb::Tensor order = rb::randperm(n);
    double total = 0;
    for (int64_t start = 0; start < n; start += batch) {
      rb::Tensor idx = rb::slice(order, 0, start, std::min(start + batch, n));
      rb::Tensor x = rb::index_select(train.images, 0, idx), y = rb::index_select(train.labels, 0, idx);
      rb::Tensor loss = rb::cross_entropy(model(x), y);
      opt.zero_grad();
      rb::backward(loss);
      opt.step();
      total += loss.item<double>() * static_cast<double>(idx.numel());
    }
    std::printf("epoch %2d  loss %.4f\n", epoch, total / static_cast<double>(n));
  }
  double acc = accuracy(model, test);
  rb::save(model.state_dict(), ckpt);
  std::printf("test accuracy %.4f\nwrote %s\n", acc, ckpt.c_str());
  return acc >= 0.97 ? 0 : 1;
}
