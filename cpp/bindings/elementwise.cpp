// Bindings of the elementwise family: rb.add/... and the Tensor operators and methods.
#include "bind.h"

namespace rb::bind {
namespace {

// other * alpha, PyTorch's `alpha=` of add and sub (`p.add_(g, alpha=-lr)`); other itself when alpha is 1.
bool is_one(Scalar alpha) { return alpha.is_floating() ? alpha.f == 1.0 : alpha.i == 1; }
Tensor scaled(const Tensor& b, Scalar alpha) { return is_one(alpha) ? b : mul(b, alpha); }
Scalar scaled(Scalar b, Scalar alpha) {
  if (is_one(alpha)) return b;
  return b.is_floating() || alpha.is_floating() ? Scalar(b.f * alpha.f) : Scalar(b.i * alpha.i);
}

template <BinaryOp op>
void def_binary(py::module_& m, TensorClass& cls, const char* name, const char* dunder, const char* rdunder,
                const char* idunder) {
  if constexpr (op == BinaryOp::Add || op == BinaryOp::Sub) {
    m.def(
        name, [](const Tensor& a, const Tensor& b, Scalar alpha) { return binary(op, a, scaled(b, alpha)); },
        py::arg("input"), py::arg("other"), py::kw_only(), py::arg("alpha") = 1, nogil);
    m.def(
        name, [](const Tensor& a, Scalar b, Scalar alpha) { return binary(op, a, scaled(b, alpha)); }, py::arg("input"),
        py::arg("other"), py::kw_only(), py::arg("alpha") = 1, nogil);
    m.def(
        name, [](Scalar a, const Tensor& b, Scalar alpha) { return binary(op, a, scaled(b, alpha)); }, py::arg("input"),
        py::arg("other"), py::kw_only(), py::arg("alpha") = 1, nogil);
    cls.def(
        name, [](const Tensor& a, const Tensor& b, Scalar alpha) { return binary(op, a, scaled(b, alpha)); },
        py::arg("other"), py::kw_only(), py::arg("alpha") = 1, nogil);
    cls.def(
        name, [](const Tensor& a, Scalar b, Scalar alpha) { return binary(op, a, scaled(b, alpha)); }, py::arg("other"),
        py::kw_only(), py::arg("alpha") = 1, nogil);
    std::string inplace = std::string(name) + "_";
    cls.def(
        inplace.c_str(),
        [](Tensor& a, const Tensor& b, Scalar alpha) -> Tensor& { return binary_(op, a, scaled(b, alpha)); },
        py::arg("other"), py::kw_only(), py::arg("alpha") = 1, py::return_value_policy::reference_internal, nogil);
    cls.def(
        inplace.c_str(), [](Tensor& a, Scalar b, Scalar alpha) -> Tensor& { return binary_(op, a, scaled(b, alpha)); },
        py::arg("other"), py::kw_only(), py::arg("alpha") = 1, py::return_value_policy::reference_internal, nogil);
  } else {
    // torch names pow's operands (input, exponent), and a number base `self`: `rb.pow(x, exponent=2)` works.
    const char* other = op == BinaryOp::Pow ? "exponent" : "other";
    const char* first_number = op == BinaryOp::Pow ? "self" : "input";
    m.def(
        name, [](const Tensor& a, const Tensor& b) { return binary(op, a, b); }, py::arg("input"), py::arg(other),
        nogil);
    m.def(
        name, [](const Tensor& a, Scalar b) { return binary(op, a, b); }, py::arg("input"), py::arg(other), nogil);
    m.def(
        name, [](Scalar a, const Tensor& b) { return binary(op, a, b); }, py::arg(first_number), py::arg(other), nogil);
    cls.def(
        name, [](const Tensor& a, const Tensor& b) { return binary(op, a, b); }, py::arg(other), nogil);
    cls.def(
        name, [](const Tensor& a, Scalar b) { return binary(op, a, b); }, py::arg(other), nogil);
    std::string inplace = std::string(name) + "_";
    cls.def(
        inplace.c_str(), [](Tensor& a, const Tensor& b) -> Tensor& { return binary_(op, a, b); }, py::arg(other),
        py::return_value_policy::reference_internal, nogil);
    cls.def(
        inplace.c_str(), [](Tensor& a, Scalar b) -> Tensor& { return binary_(op, a, b); }, py::arg(other),
        py::return_value_policy::reference_internal, nogil);
  }
  if (dunder) {
    cls.def(
        dunder, [](const Tensor& a, const Tensor& b) { return binary(op, a, b); }, py::is_operator(), nogil);
    cls.def(
        dunder, [](const Tensor& a, Scalar b) { return binary(op, a, b); }, py::is_operator(), nogil);
  }
  if (rdunder)
    cls.def(
        rdunder, [](const Tensor& a, Scalar b) { return binary(op, b, a); }, py::is_operator(), nogil);
  if (idunder) {
    // In-place operators return self (the same Python object), as Python requires.
    cls.def(
        idunder,
        [](py::object self, const Tensor& b) {
          Tensor& a = self.cast<Tensor&>();
          {
            py::gil_scoped_release released;
            binary_(op, a, b);
          }
          return self;
        },
        py::is_operator());
    cls.def(
        idunder,
        [](py::object self, Scalar b) {
          Tensor& a = self.cast<Tensor&>();
          {
            py::gil_scoped_release released;
            binary_(op, a, b);
          }
          return self;
        },
        py::is_operator());
  }
}

template <UnaryOp op>
void def_unary(py::module_& m, TensorClass& cls, const char* name) {
  m.def(
      name, [](const Tensor& x) { return unary(op, x); }, py::arg("input"), nogil);
  cls.def(
      name, [](const Tensor& x) { return unary(op, x); }, nogil);
  std::string inplace = std::string(name) + "_";
  cls.def(
      inplace.c_str(), [](Tensor& x) -> Tensor& { return unary_(op, x); }, py::return_value_policy::reference_internal,
      nogil);
}

}  // namespace

void elementwise(py::module_& m, TensorClass& cls) {
  def_binary<BinaryOp::Add>(m, cls, "add", "__add__", "__radd__", "__iadd__");
  def_binary<BinaryOp::Sub>(m, cls, "sub", "__sub__", "__rsub__", "__isub__");
  def_binary<BinaryOp::Mul>(m, cls, "mul", "__mul__", "__rmul__", "__imul__");
  def_binary<BinaryOp::Div>(m, cls, "div", "__truediv__", "__rtruediv__", "__itruediv__");
  def_binary<BinaryOp::Pow>(m, cls, "pow", "__pow__", "__rpow__", "__ipow__");
  def_binary<BinaryOp::Maximum>(m, cls, "maximum", nullptr, nullptr, nullptr);
  def_binary<BinaryOp::Minimum>(m, cls, "minimum", nullptr, nullptr, nullptr);
  def_binary<BinaryOp::Eq>(m, cls, "eq", "__eq__", nullptr, nullptr);
  def_binary<BinaryOp::Ne>(m, cls, "ne", "__ne__", nullptr, nullptr);
  def_binary<BinaryOp::Lt>(m, cls, "lt", "__lt__", nullptr, nullptr);
  def_binary<BinaryOp::Le>(m, cls, "le", "__le__", nullptr, nullptr);
  def_binary<BinaryOp::Gt>(m, cls, "gt", "__gt__", nullptr, nullptr);
  def_binary<BinaryOp::Ge>(m, cls, "ge", "__ge__", nullptr, nullptr);
  def_unary<UnaryOp::Neg>(m, cls, "neg");
  def_unary<UnaryOp::Exp>(m, cls, "exp");
  def_unary<UnaryOp::Log>(m, cls, "log");
  def_unary<UnaryOp::Sqrt>(m, cls, "sqrt");
  def_unary<UnaryOp::Abs>(m, cls, "abs");
  def_unary<UnaryOp::Sign>(m, cls, "sign");
  cls.def(
      "__neg__", [](const Tensor& x) { return neg(x); }, nogil);
  cls.def(
      "__abs__", [](const Tensor& x) { return unary(UnaryOp::Abs, x); }, nogil);

  m.def("where", &where, py::arg("condition"), py::arg("input"), py::arg("other"), nogil);
  m.def(
      "where",
      [](const Tensor& c, const Tensor& a, Scalar b) {
        return where(c, a, scalar_tensor(b, result_type(a, b), a.device()));
      },
      py::arg("condition"), py::arg("input"), py::arg("other"), nogil);
  m.def(
      "where",
      [](const Tensor& c, Scalar a, const Tensor& b) {
        return where(c, scalar_tensor(a, result_type(b, a), b.device()), b);
      },
      py::arg("condition"), py::arg("input"), py::arg("other"), nogil);
  m.def(
      "where",
      [](const Tensor& c, Scalar a, Scalar b) {  // two numbers: the default dtype of their kind, as torch
        DType t = promote(a.dtype(), b.dtype());
        return where(c, scalar_tensor(a, t, c.device()), scalar_tensor(b, t, c.device()));
      },
      py::arg("condition"), py::arg("input"), py::arg("other"), nogil);
  auto clamp_fn = [](const Tensor& x, std::optional<Scalar> lo, std::optional<Scalar> hi) { return clamp(x, lo, hi); };
  // Tensor bounds (either may be a number next to a tensor): the second overload.
  auto clamp_t = [](const Tensor& x, py::object lo, py::object hi) {
    auto bound = [&x](py::object b) -> std::optional<Tensor> {
      if (b.is_none()) return std::nullopt;
      if (py::isinstance<Tensor>(b)) return b.cast<Tensor>();
      const Scalar s = b.cast<Scalar>();
      return scalar_tensor(s, result_type(x, s), x.device());
    };
    std::optional<Tensor> l = bound(lo), h = bound(hi);
    py::gil_scoped_release released;
    return clamp(x, l, h);
  };
  for (const char* name : {"clamp", "clip"}) {
    m.def(name, clamp_fn, py::arg("input"), py::arg("min") = py::none(), py::arg("max") = py::none(), nogil);
    m.def(name, clamp_t, py::arg("input"), py::arg("min") = py::none(), py::arg("max") = py::none());
    cls.def(name, clamp_fn, py::arg("min") = py::none(), py::arg("max") = py::none(), nogil);
    cls.def(name, clamp_t, py::arg("min") = py::none(), py::arg("max") = py::none());
  }
  cls.def(
      "clamp_",
      [](Tensor& x, std::optional<Scalar> lo, std::optional<Scalar> hi) -> Tensor& {
        Tensor r = clamp(x.detach(), lo, hi);
        RB_CHECK(!(GradMode::enabled() && x.requires_grad()), Error,
                 "clamp_: in-place clamp of a tensor that requires grad is not supported; use clamp");
        copy_(x, r);
        return x;
      },
      py::arg("min") = py::none(), py::arg("max") = py::none(), py::return_value_policy::reference_internal, nogil);

  // torch's default keeps the strides of a dense tensor (a transposed one stays transposed).
  auto clone_fn = [](const Tensor& x, MemoryFormat fmt) { return clone(x, fmt); };
  cls.def("clone", clone_fn, py::kw_only(), py::arg("memory_format") = MemoryFormat::Preserve, nogil);
  m.def("clone", clone_fn, py::arg("input"), py::kw_only(), py::arg("memory_format") = MemoryFormat::Preserve, nogil);
  cls.def(
      "copy_", [](Tensor& d, const Tensor& s, bool) -> Tensor& { return copy_(d, s); }, py::arg("src"),
      py::arg("non_blocking") = false, py::return_value_policy::reference_internal, nogil);  // copies are synchronous
  cls.def(
      "fill_", [](Tensor& d, Scalar v) -> Tensor& { return fill_(d, v); }, py::arg("value"),
      py::return_value_policy::reference_internal, nogil);
  // fill_(0-d tensor): a broadcasting copy, so the gradient reaches the value as torch's fill_.Tensor
  cls.def(
      "fill_",
      [](Tensor& d, const Tensor& v) -> Tensor& {
        RB_CHECK(v.dim() == 0, Error, "fill_ only supports 0-dimension value tensor but got tensor with ", v.dim(),
                 " dimensions.");
        return copy_(d, v);
      },
      py::arg("value"), py::return_value_policy::reference_internal, nogil);
  cls.def(
      "zero_", [](Tensor& d) -> Tensor& { return fill_(d, Scalar(int64_t(0))); },
      py::return_value_policy::reference_internal, nogil);
  cls.def(
      "_to_dtype", [](const Tensor& x, DType dt) { return x.dtype() == dt ? x : to_dtype(x, dt); }, nogil);
  m.def(
      "result_type", [](const Tensor& a, const Tensor& b) { return result_type(a, b); }, nogil);
  m.def(
      "result_type", [](const Tensor& a, Scalar b) { return result_type(a, b); }, nogil);
}

}  // namespace rb::bind
