// The default Generator and Generator state (de)serialization.
#include "rosenblatt/generator.h"

#include <sstream>

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
  std::istringstream is(s);
  is >> seed_ >> engine_ >> normal_;
}

}  // namespace rb
