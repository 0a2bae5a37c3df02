// Process-wide settings of the core for C++ programs: the thread count of the CPU kernels (the
// BLAS runs single-threaded inside them), as rb.set_num_threads / rb.get_num_threads.
#pragma once

namespace rb {

void set_num_threads(int n);  // n >= 1; ValueError otherwise
int get_num_threads();

}  // namespace rb
