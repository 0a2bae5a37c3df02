// Exception types of the core, one per Python exception they become, and the RB_CHECK macro.
// Bindings translate them: TypeError->TypeError, ValueError->ValueError, IndexError->IndexError, Error->RuntimeError.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rb {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct ValueError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
struct IndexError : std::out_of_range {
  using std::out_of_range::out_of_range;
};
struct TypeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct NotImplementedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace detail {
template <class T>
void put(std::ostream& os, const T& v) {
  os << v;
}
// Shapes print as PyTorch prints them: [2, 3].
template <class T>
void put(std::ostream& os, const std::vector<T>& v) {
  os << '[';
  for (size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
  os << ']';
}
inline void stream_all(std::ostringstream&) {}
template <class T, class... R>
void stream_all(std::ostringstream& os, const T& v, const R&... rest) {
  put(os, v);
  stream_all(os, rest...);
}
}  // namespace detail

template <class... A>
std::string str(const A&... parts) {
  std::ostringstream os;
  detail::stream_all(os, parts...);
  return os.str();
}

}  // namespace rb

// RB_CHECK(cond, ErrorType, message parts...): throws ErrorType with the parts concatenated.
#define RB_CHECK(cond, Err, ...)                    \
  do {                                              \
    if (!(cond)) throw Err(::rb::str(__VA_ARGS__)); \
  } while (0)
