// Where a tensor's memory lives. The device picks the kernel; ops never mix devices silently.
#pragma once
#include <string>

#include "rosenblatt/error.h"

namespace rb {

enum class DeviceType : uint8_t { CPU = 0, CUDA = 1 };

struct Device {
  DeviceType type = DeviceType::CPU;
  int index = -1;  // -1: the current device of that type

  Device() = default;
  Device(DeviceType t, int i = -1) : type(t), index(i) {}
  // Parses "cpu", "cuda", "cuda:1".
  explicit Device(const std::string& s) {
    if (s == "cpu") return;
    if (s.rfind("cuda", 0) == 0) {
      type = DeviceType::CUDA;
      if (s.size() > 4) {
        RB_CHECK(s[4] == ':' && s.size() > 5, ValueError, "Invalid device string: '", s, "'");
        index = std::stoi(s.substr(5));
      }
      return;
    }
    throw ValueError(str("Expected one of cpu, cuda device type at start of device string: ", s));
  }
  bool is_cpu() const { return type == DeviceType::CPU; }
  bool is_cuda() const { return type == DeviceType::CUDA; }
  bool operator==(const Device& o) const { return type == o.type && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
  std::string name() const {
    if (is_cpu()) return "cpu";
    return index < 0 ? "cuda" : "cuda:" + std::to_string(index);
  }
};

}  // namespace rb
