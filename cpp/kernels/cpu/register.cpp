// Fills the CPU slots of the kernel seam (kernels/registry.h) with every family's CPU table. Each
// slot returns the copy compiled for the instruction set in use (capability.h).
#include "../registry.h"
#include "activation.h"
#include "attention.h"
#include "blas.h"
#include "conv.h"
#include "ctc.h"
#include "elementwise.h"
#include "elementwise_ext.h"
#include "embedding.h"
#include "grid_sample.h"
#include "indexing.h"
#include "lapack.h"
#include "linear.h"
#include "loss.h"
#include "norm.h"
#include "numeric.h"
#include "optim.h"
#include "perceptron.h"
#include "pool.h"
#include "random.h"
#include "recurrent.h"
#include "reduce.h"
#include "resize.h"
#include "scan.h"
#include "search.h"
#include "sort.h"
#include "transform.h"

namespace rb {
namespace {

template <class... Tables>
void register_cpu() {
  (register_kernels<Tables>(DeviceType::CPU, &cpu::kernels<Tables>), ...);
}

}  // namespace

void register_builtin_kernels() {
  // A function-local static: the registration runs once, even when two threads ask at once.
  static const bool done = [] {
    register_cpu<ActivationKernels, AttentionKernels<float>, AttentionKernels<double>, ConvKernels<float>,
                 ConvKernels<double>, ConvKernels<int64_t>, ElementwiseKernels, ElementwiseExtKernels, EmbeddingKernels,
                 GridSampleKernels, IndexingKernels, LinearKernels, LossKernels, NormKernels, OptimKernels<float>,
                 OptimKernels<double>, PerceptronKernels, PoolKernels, RandomKernels, RecurrentKernels<float>,
                 RecurrentKernels<double>, ReduceKernels, ResizeKernels, ScanKernels, SearchKernels, SortKernels,
                 TransformKernels, BlasKernels<float>, BlasKernels<double>, BlasKernels<int64_t>, LapackKernels<float>,
                 LapackKernels<double>, CtcKernels, NumericKernels>();
    return true;
  }();
  (void)done;
}

}  // namespace rb
