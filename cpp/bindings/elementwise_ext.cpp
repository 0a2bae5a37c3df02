// Bindings of the elementwise extras (logical/bitwise ops and the ~ & | ^ operators, isnan/isinf/
// isfinite, floor_divide and remainder with // and %, reciprocal, square, floor/ceil/round/trunc,
// the math functions sin ... erfinv, atan2, fmod, lerp).
// Registered from indexing() (cpp/bindings/indexing.cpp), so module.cpp needs no new entry.
#include "bind.h"

namespace rb::bind {
namespace {

// The in-place form: computed out of place (from a copy when autograd saves the input), then
// written back by assign_result_.
template <class F>
Tensor& inplace(Tensor& self, const char* op, F f) {
  Tensor src = GradMode::enabled() && self.requires_grad() && !self.is_leaf() ? clone(self) : self;
  return assign_result_(self, f(src), op);
}

template <class F>
py::object inplace_op(py::object self, const char* op, F f) {
  Tensor& t = self.cast<Tensor&>();
  {
    py::gil_scoped_release released;
    inplace(t, op, f);
  }
  return self;
}

// div(input, other, *, rounding_mode): overloads after the plain ones (bound in elementwise.cpp, which
// runs first), reached only with rounding_mode given.
void def_div_rounding(py::module_& m, TensorClass& cls) {
  using Mode = std::optional<std::string>;
  auto tt = [](const Tensor& a, const Tensor& b, const Mode& mode) { return div(a, b, mode); };
  auto ts = [](const Tensor& a, Scalar b, const Mode& mode) {
    // a number divisor of a float16/bfloat16 tensor stays float32 (ATen's opmath), not rounded to the half type
    const DType dt = result_type(a, b);
    return div(a, scalar_tensor(b, is_floating(dt) ? compute_type(dt) : dt, a.device()), mode);
  };
  m.def("div", tt, py::arg("input"), py::arg("other"), py::kw_only(), py::arg("rounding_mode"), nogil);
  m.def("div", ts, py::arg("input"), py::arg("other"), py::kw_only(), py::arg("rounding_mode"), nogil);
  cls.def("div", tt, py::arg("other"), py::kw_only(), py::arg("rounding_mode"), nogil);
  cls.def("div", ts, py::arg("other"), py::kw_only(), py::arg("rounding_mode"), nogil);
  cls.def(
      "div_",
      [tt](py::object self, const Tensor& b, const Mode& mode) {
        return inplace_op(self, "div_", [&](const Tensor& s) { return tt(s, b, mode); });
      },
      py::arg("other"), py::kw_only(), py::arg("rounding_mode"));
  cls.def(
      "div_",
      [ts](py::object self, Scalar b, const Mode& mode) {
        return inplace_op(self, "div_", [&](const Tensor& s) { return ts(s, b, mode); });
      },
      py::arg("other"), py::kw_only(), py::arg("rounding_mode"));
}

}  // namespace

void elementwise_ext(py::module_& m, TensorClass& cls) {
  def_div_rounding(m, cls);
  m.def("logical_not", &logical_not, py::arg("input"), nogil);
  cls.def("logical_not", &logical_not, nogil);
  for (LogicalOp op : {LogicalOp::And, LogicalOp::Or, LogicalOp::Xor}) {
    const char* suffix = op == LogicalOp::And ? "and" : op == LogicalOp::Or ? "or" : "xor";
    std::string lname = std::string("logical_") + suffix, bname = std::string("bitwise_") + suffix;
    auto lf = [op](const Tensor& a, const Tensor& b) { return logical(op, a, b); };
    auto bt = [op](const Tensor& a, const Tensor& b) { return bitwise(op, a, b); };
    auto bs = [op](const Tensor& a, Scalar b) { return bitwise(op, a, b); };
    auto rbs = [op](const Tensor& a, Scalar b) { return bitwise(op, a, b); };  // commutative
    m.def(lname.c_str(), lf, py::arg("input"), py::arg("other"), nogil);
    cls.def(lname.c_str(), lf, py::arg("other"), nogil);
    m.def(bname.c_str(), bt, py::arg("input"), py::arg("other"), nogil);
    m.def(bname.c_str(), bs, py::arg("input"), py::arg("other"), nogil);
    cls.def(bname.c_str(), bt, py::arg("other"), nogil);
    cls.def(bname.c_str(), bs, py::arg("other"), nogil);
    std::string dunder = std::string("__") + suffix + "__", rdunder = std::string("__r") + suffix + "__",
                idunder = std::string("__i") + suffix + "__", inplace_name = bname + "_";
    cls.def(dunder.c_str(), bt, py::is_operator(), nogil);
    cls.def(dunder.c_str(), bs, py::is_operator(), nogil);
    cls.def(rdunder.c_str(), rbs, py::is_operator(), nogil);
    const char* opname = op == LogicalOp::And ? "bitwise_and_" : op == LogicalOp::Or ? "bitwise_or_" : "bitwise_xor_";
    cls.def(
        idunder.c_str(),
        [op, opname](py::object self, const Tensor& b) {
          return inplace_op(self, opname, [&](const Tensor& s) { return bitwise(op, s, b); });
        },
        py::is_operator());
    cls.def(
        idunder.c_str(),
        [op, opname](py::object self, Scalar b) {
          return inplace_op(self, opname, [&](const Tensor& s) { return bitwise(op, s, b); });
        },
        py::is_operator());
    cls.def(
        inplace_name.c_str(),
        [op, opname](py::object self, const Tensor& b) {
          return inplace_op(self, opname, [&](const Tensor& s) { return bitwise(op, s, b); });
        },
        py::arg("other"));
    cls.def(
        inplace_name.c_str(),
        [op, opname](py::object self, Scalar b) {
          return inplace_op(self, opname, [&](const Tensor& s) { return bitwise(op, s, b); });
        },
        py::arg("other"));
  }
  m.def("bitwise_not", &bitwise_not, py::arg("input"), nogil);
  cls.def("bitwise_not", &bitwise_not, nogil);
  cls.def("__invert__", &bitwise_not, nogil);

  for (FloatClass c : {FloatClass::IsNan, FloatClass::IsInf, FloatClass::IsFinite}) {
    const char* name = c == FloatClass::IsNan ? "isnan" : c == FloatClass::IsInf ? "isinf" : "isfinite";
    auto f = [c](const Tensor& x) { return classify(c, x); };
    m.def(name, f, py::arg("input"), nogil);
    cls.def(name, f, nogil);
  }

  using TT = Tensor (*)(const Tensor&, const Tensor&);
  using TS = Tensor (*)(const Tensor&, Scalar);
  using ST = Tensor (*)(Scalar, const Tensor&);
  struct DivLike {
    const char* name;
    const char* dunder;
    TT tt;
    TS ts;
    ST st;
  };
  for (DivLike d : {DivLike{"floor_divide", "floordiv", &floor_divide, &floor_divide, &floor_divide},
                    DivLike{"remainder", "mod", &remainder, &remainder, &remainder}}) {
    m.def(d.name, d.tt, py::arg("input"), py::arg("other"), nogil);
    m.def(d.name, d.ts, py::arg("input"), py::arg("other"), nogil);
    m.def(d.name, d.st, py::arg("input"), py::arg("other"), nogil);
    cls.def(d.name, d.tt, py::arg("other"), nogil);
    cls.def(d.name, d.ts, py::arg("other"), nogil);
    std::string dn = std::string("__") + d.dunder + "__", rdn = std::string("__r") + d.dunder + "__",
                idn = std::string("__i") + d.dunder + "__", ipn = std::string(d.name) + "_";
    cls.def(dn.c_str(), d.tt, py::is_operator(), nogil);
    cls.def(dn.c_str(), d.ts, py::is_operator(), nogil);
    cls.def(
        rdn.c_str(), [d](const Tensor& a, Scalar b) { return d.st(b, a); }, py::is_operator(), nogil);
    const char* nm = d.name;
    auto it = [d, nm](py::object self, const Tensor& b) {
      return inplace_op(self, nm, [&](const Tensor& s) { return d.tt(s, b); });
    };
    auto is = [d, nm](py::object self, Scalar b) {
      return inplace_op(self, nm, [&](const Tensor& s) { return d.ts(s, b); });
    };
    cls.def(idn.c_str(), it, py::is_operator());
    cls.def(idn.c_str(), is, py::is_operator());
    cls.def(ipn.c_str(), it, py::arg("other"));
    cls.def(ipn.c_str(), is, py::arg("other"));
  }

  m.def("reciprocal", &reciprocal, py::arg("input"), nogil);
  cls.def("reciprocal", &reciprocal, nogil);
  cls.def("reciprocal_", [](py::object self) {
    return inplace_op(self, "reciprocal_", [](const Tensor& s) { return reciprocal(s); });
  });
  m.def("square", &square, py::arg("input"), nogil);
  cls.def("square", &square, nogil);
  cls.def("square_",
          [](py::object self) { return inplace_op(self, "square_", [](const Tensor& s) { return square(s); }); });
  for (RoundOp op : {RoundOp::Floor, RoundOp::Ceil, RoundOp::Trunc}) {
    const char* name = op == RoundOp::Floor ? "floor" : op == RoundOp::Ceil ? "ceil" : "trunc";
    std::string iname = std::string(name) + "_";
    auto f = [op](const Tensor& x) { return rounding(op, x); };
    m.def(name, f, py::arg("input"), nogil);
    cls.def(name, f, nogil);
    cls.def(iname.c_str(), [op, name](py::object self) {
      return inplace_op(self, name, [op](const Tensor& s) { return rounding(op, s); });
    });
  }
  auto round_fn = [](const Tensor& x, int64_t decimals) { return rounding(RoundOp::Round, x, decimals); };
  m.def("round", round_fn, py::arg("input"), py::kw_only(), py::arg("decimals") = 0, nogil);
  cls.def("round", round_fn, py::kw_only(), py::arg("decimals") = 0, nogil);
  cls.def(
      "round_",
      [](py::object self, int64_t decimals) {
        return inplace_op(self, "round_",
                          [decimals](const Tensor& s) { return rounding(RoundOp::Round, s, decimals); });
      },
      py::kw_only(), py::arg("decimals") = 0);

  static const std::pair<MathOp, const char*> math_ops[] = {
      {MathOp::Sin, "sin"},     {MathOp::Cos, "cos"},     {MathOp::Tan, "tan"},       {MathOp::Asin, "asin"},
      {MathOp::Acos, "acos"},   {MathOp::Atan, "atan"},   {MathOp::Sinh, "sinh"},     {MathOp::Cosh, "cosh"},
      {MathOp::Asinh, "asinh"}, {MathOp::Acosh, "acosh"}, {MathOp::Atanh, "atanh"},   {MathOp::Log1p, "log1p"},
      {MathOp::Expm1, "expm1"}, {MathOp::Log2, "log2"},   {MathOp::Log10, "log10"},   {MathOp::Exp2, "exp2"},
      {MathOp::Erf, "erf"},     {MathOp::Erfc, "erfc"},   {MathOp::Erfinv, "erfinv"}, {MathOp::Rsqrt, "rsqrt"},
      {MathOp::Frac, "frac"}};
  for (const auto& [op, name] : math_ops) {
    auto f = [op = op](const Tensor& x) { return math(op, x); };
    std::string iname = std::string(name) + "_";
    m.def(name, f, py::arg("input"), nogil);
    cls.def(name, f, nogil);
    cls.def(iname.c_str(), [op = op, name = name](py::object self) {
      return inplace_op(self, name, [op](const Tensor& s) { return math(op, s); });
    });
  }
  for (const char* name : {"atan2", "arctan2"}) {
    m.def(name, &atan2, py::arg("input"), py::arg("other"), nogil);
    cls.def(name, &atan2, py::arg("other"), nogil);
  }
  cls.def(
      "atan2_",
      [](py::object self, const Tensor& b) {
        return inplace_op(self, "atan2_", [&](const Tensor& s) { return atan2(s, b); });
      },
      py::arg("other"));
  auto fmod_t = [](const Tensor& a, const Tensor& b) { return fmod(a, b); };
  auto fmod_s = [](const Tensor& a, Scalar b) { return fmod(a, b); };
  m.def("fmod", fmod_t, py::arg("input"), py::arg("other"), nogil);
  m.def("fmod", fmod_s, py::arg("input"), py::arg("other"), nogil);
  cls.def("fmod", fmod_t, py::arg("other"), nogil);
  cls.def("fmod", fmod_s, py::arg("other"), nogil);
  cls.def(
      "fmod_",
      [](py::object self, const Tensor& b) {
        return inplace_op(self, "fmod_", [&](const Tensor& s) { return fmod(s, b); });
      },
      py::arg("other"));
  cls.def(
      "fmod_",
      [](py::object self, Scalar b) { return inplace_op(self, "fmod_", [&](const Tensor& s) { return fmod(s, b); }); },
      py::arg("other"));
  auto lerp_t = [](const Tensor& a, const Tensor& b, const Tensor& w) { return lerp(a, b, w); };
  auto lerp_s = [](const Tensor& a, const Tensor& b, Scalar w) { return lerp(a, b, w); };
  m.def("lerp", lerp_t, py::arg("input"), py::arg("end"), py::arg("weight"), nogil);
  m.def("lerp", lerp_s, py::arg("input"), py::arg("end"), py::arg("weight"), nogil);
  cls.def("lerp", lerp_t, py::arg("end"), py::arg("weight"), nogil);
  cls.def("lerp", lerp_s, py::arg("end"), py::arg("weight"), nogil);
  cls.def(
      "lerp_",
      [](py::object self, const Tensor& b, Scalar w) {
        return inplace_op(self, "lerp_", [&](const Tensor& s) { return lerp(s, b, w); });
      },
      py::arg("end"), py::arg("weight"));
}

}  // namespace rb::bind
