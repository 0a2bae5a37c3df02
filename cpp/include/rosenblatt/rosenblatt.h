// The whole public C++ API in one include: tensors and ops (rb::randn, rb::relu, rb::cross_entropy),
// autograd (rb::backward, rb::NoGradGuard), modules (rb::nn), optimizers (rb::optim), rb::save/load.
//
//   #include <rosenblatt/rosenblatt.h>
//   rb::nn::Sequential net{std::make_shared<rb::nn::Linear>(4, 8), std::make_shared<rb::nn::ReLU>(),
//                          std::make_shared<rb::nn::Linear>(8, 1)};
//   rb::optim::SGD opt(net.parameters(), 0.1);
//   rb::Tensor loss = rb::mse_loss(net(rb::randn({16, 4})), rb::zeros({16, 1}));
//   opt.zero_grad(); rb::backward(loss); opt.step();
//   rb::save(net.state_dict(), "net.safetensors");
#pragma once
#include "rosenblatt/autograd.h"
#include "rosenblatt/nn.h"
#include "rosenblatt/ops.h"
#include "rosenblatt/ops/ctc.h"  // these three outside ops.h, which every op file includes
#include "rosenblatt/ops/device.h"
#include "rosenblatt/ops/linalg_decomp.h"
#include "rosenblatt/optim.h"
#include "rosenblatt/runtime.h"
#include "rosenblatt/serialize.h"
#include "rosenblatt/tensor.h"
