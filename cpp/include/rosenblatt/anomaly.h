// Anomaly detection for backward (torch.autograd.detect_anomaly): while it is on, the engine checks
// every node's gradients and raises naming the first node whose backward produced a NaN (or failed),
// warning first with the forward traceback recorded when that node was created.
#pragma once

#include <string>

namespace rb {

void set_anomaly_enabled(bool on, bool check_nan = true);
bool anomaly_enabled();
bool anomaly_check_nan();

// Set by an embedding interpreter (the Python bindings): `capture` returns the caller's stack, called at
// node creation only while anomaly mode is on; `warn` reports the failing node's forward traceback.
void set_anomaly_hooks(std::string (*capture)(), void (*warn)(const std::string&));

}  // namespace rb
