// The default Generator and Generator state (de)serialization: the seed, the engine's words and
// the normal distribution's cached draw, as text, so a state round-trips exactly.
#include "rosenblatt/generator.h"

#include <sstream>

#include "rosenblatt/error.h"

namespace rb {

Generator& default_generator() {
  static Generator* g = new Generator();  // leaked: used until process exit
  return *g;
}

std::string Generator::state() const {
  std::ostringstream os;
  os << seed_ << ' ' << engine_ << ' ' << normal_;
  return os.str();
}

void Generator::set_state(const std::string& s) {
  // Parse into temporaries first: a malformed state must leave the generator as it was.
  std::istringstream is(s);
  uint64_t seed = 0;
  std::mt19937_64 engine;
  std::normal_distribution<double> normal;
  is >> seed >> engine >> normal;
  RB_CHECK(!is.fail(), Error, "Generator.set_state: invalid RNG state (", s.size(), " bytes)");
  seed_ = seed, engine_ = engine, normal_ = normal;
}

}  // namespace rb
