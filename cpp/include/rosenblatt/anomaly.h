// Anomaly detection for backward (torch.autograd.detect_anomaly): while it is on, the engine checks
// every node's gradients and raises naming the first node whose backward produced a NaN.
#pragma once

namespace rb {

void set_anomaly_enabled(bool on, bool check_nan = true);
bool anomaly_enabled();
bool anomaly_check_nan();

}  // namespace rb
