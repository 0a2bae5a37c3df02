// Random number generation: a seedable Generator (rb.Generator / rb.manual_seed) that random
// creation ops, dropout and nn.init draw from. Draws are sequential, so a seed fixes the stream.
#pragma once
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace rb {

class Generator {
 public:
  explicit Generator(uint64_t seed = 67280421310721ULL) { manual_seed(seed); }
  void manual_seed(uint64_t seed) {
    seed_ = seed;
    engine_.seed(seed);
  }
  uint64_t initial_seed() const { return seed_; }
  uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1) with the full mantissa of the type.
  double uniform_double() { return (next_u64() >> 11) * 0x1.0p-53; }
  float uniform_float() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }
  double normal() { return normal_(engine_); }  // standard normal
  // Serialized engine state (get_state/set_state).
  std::string state() const;
  void set_state(const std::string& s);
  std::mutex& mutex() { return mu_; }  // held by an op for the whole of its draw

 private:
  uint64_t seed_ = 0;
  std::mt19937_64 engine_;
  std::normal_distribution<double> normal_;
  std::mutex mu_;
};

Generator& default_generator();

}  // namespace rb
