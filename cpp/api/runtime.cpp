// rb::set_num_threads / get_num_threads for C++ programs: the same setting rb.set_num_threads
// changes (the kernels' OpenMP thread count; the BLAS stays single-threaded inside them).
#include "rosenblatt/runtime.h"

#include "rosenblatt/error.h"

namespace rb {
namespace cpu {
int num_threads();
void set_num_threads(int n);
}  // namespace cpu

void set_num_threads(int n) {
  RB_CHECK(n > 0, ValueError, "set_num_threads expects a positive integer, got ", n);
  cpu::set_num_threads(n);
}

int get_num_threads() { return cpu::num_threads(); }

}  // namespace rb
