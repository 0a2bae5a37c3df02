// The public op API of the core, one header per op family (the same families as cpp/ops/ and
// cpp/kernels/). Every op checks its inputs, dispatches on device and dtype, and records autograd.
#pragma once
#include "rosenblatt/autograd.h"
#include "rosenblatt/ops/activation.h"
#include "rosenblatt/ops/elementwise.h"
#include "rosenblatt/ops/factory.h"
#include "rosenblatt/ops/indexing.h"
#include "rosenblatt/ops/linalg.h"
#include "rosenblatt/ops/loss.h"
#include "rosenblatt/ops/optim.h"
#include "rosenblatt/ops/reduce.h"
#include "rosenblatt/ops/shape.h"
#include "rosenblatt/tensor.h"
#include "rosenblatt/ops/perceptron.h"
#include "rosenblatt/ops/recurrent.h"
