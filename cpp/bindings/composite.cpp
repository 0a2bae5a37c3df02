// Bindings of the torch-level composites (ops/composite.h): functions at the top level, in _C._linalg,
// _C._special and _C._nn, and the Tensor methods, with PyTorch's argument names and defaults.
#include <cmath>

#include "bind.h"
#include "rosenblatt/ops/composite.h"

namespace rb::bind {
namespace {

// The in-place form: computed out of place (from a copy when autograd saves the input), then written back.
template <class F>
py::object inplace_out_of_place(py::object self, const char* op, F f) {
  Tensor& t = self.cast<Tensor&>();
  py::gil_scoped_release released;
  Tensor src = GradMode::enabled() && t.requires_grad() && !t.is_leaf() ? clone(t) : t;
  assign_result_(t, f(src), op);
  return self;
}

// A Python number as a 0-d tensor of the other operand's kind (a float beside an integer tensor is float32).
Tensor operand(py::handle h, const Tensor& like) {
  if (py::isinstance<Tensor>(h)) return h.cast<Tensor>();
  Scalar s = h.cast<Scalar>();
  DType dt = s.is_floating() && !is_floating(like.dtype())                ? DType::Float32
             : s.kind == Scalar::Kind::Int && like.dtype() == DType::Bool ? DType::Int64
                                                                          : like.dtype();
  return scalar_tensor(s, dt, like.device());
}

std::vector<Tensor> tensor_list(const py::args& args) {
  if (args.size() == 1 && !py::isinstance<Tensor>(args[0])) return args[0].cast<std::vector<Tensor>>();
  return args.cast<std::vector<Tensor>>();
}

py::tuple as_tuple(const std::vector<Tensor>& ts) {
  py::tuple t(ts.size());
  for (size_t i = 0; i < ts.size(); ++i) t[i] = py::cast(ts[i]);
  return t;
}

// All dims when dim is None, as the norms read it.
Dims dims_or_all(py::handle dim, const Tensor& x) {
  if (!dim.is_none()) return dims_from_object(dim);
  Dims d(x.dim());
  for (int64_t i = 0; i < x.dim(); ++i) d[i] = i;
  return d;
}

double ord_value(py::handle ord) {
  if (py::isinstance<py::str>(ord)) {
    std::string s = ord.cast<std::string>();
    if (s == "inf") return INFINITY;
    if (s == "-inf") return -INFINITY;
    throw Error("linalg.vector_norm: ord must be a number, got '" + s + "'");
  }
  return ord.cast<double>();
}

Tensor vector_norm_py(const Tensor& x, py::object ord, py::object dim, bool keepdim, std::optional<DType> dtype) {
  // PyTorch checks x's own dtype before converting it: an integer x raises (in the op) whatever dtype says.
  Tensor t = dtype && is_floating(x.dtype()) ? to_dtype(x, *dtype) : x;
  double p = ord_value(ord);
  Dims d = dims_or_all(dim, t);
  py::gil_scoped_release released;
  return linalg_vector_norm(t, p, d, keepdim);
}

Tensor matrix_norm_py(const Tensor& x, py::object ord, py::object dim, bool keepdim, std::optional<DType> dtype) {
  Tensor t = dtype ? to_dtype(x, *dtype) : x;
  Dims d = dims_from_object(dim);
  if (py::isinstance<py::str>(ord)) return linalg_matrix_norm(t, ord.cast<std::string>(), d, keepdim);
  return linalg_matrix_norm(t, ord.cast<double>(), d, keepdim);
}

Tensor linalg_norm_py(const Tensor& x, py::object ord, py::object dim, bool keepdim, std::optional<DType> dtype) {
  if (!dim.is_none()) {
    Dims d = dims_from_object(dim);
    RB_CHECK(d.size() == 1 || d.size() == 2, Error,
             "linalg.norm: If dim is specified, it must be of length 1 or 2. Got ", py::str(dim).cast<std::string>());
    if (d.size() == 1) return vector_norm_py(x, ord.is_none() ? py::float_(2.0) : ord, dim, keepdim, dtype);
    return matrix_norm_py(x, ord.is_none() ? py::str("fro") : ord, dim, keepdim, dtype);
  }
  if (ord.is_none()) return vector_norm_py(x, py::float_(2.0), py::none(), keepdim, dtype);
  RB_CHECK(x.dim() == 1 || x.dim() == 2, Error,
           "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ", x.dim(), "D.");
  if (x.dim() == 1) {
    RB_CHECK(!py::isinstance<py::str>(ord), Error, "linalg.vector_norm: ord must be a number, got ",
             ord.cast<std::string>());
    return vector_norm_py(x, ord, py::none(), keepdim, dtype);
  }
  return matrix_norm_py(x, ord, py::make_tuple(-2, -1), keepdim, dtype);
}

// torch.norm: p 'fro' (the 2-norm over dim, or over everything), 'nuc', or a number.
Tensor norm_py(const Tensor& x, py::object p, py::object dim, bool keepdim, std::optional<DType> dtype) {
  if (py::isinstance<py::str>(p)) {
    std::string s = p.cast<std::string>();
    if (s == "nuc") {
      RB_CHECK(!dim.is_none() || x.dim() == 2, Error, "torch.norm: nuclear norm needs a 2-D input or two dims");
      return matrix_norm_py(x, p, dim.is_none() ? py::object(py::make_tuple(-2, -1)) : dim, keepdim, dtype);
    }
    RB_CHECK(s == "fro", Error, "torch.norm: p must be 'fro', 'nuc' or a number, got '", s, "'");
    return vector_norm_py(x, py::float_(2.0), dim, keepdim, dtype);
  }
  return vector_norm_py(x, p.is_none() ? py::float_(2.0) : p, dim, keepdim, dtype);
}

// var/std spellings: (dim, *, correction), (dim, unbiased) and (unbiased).
double correction_of(py::object& dim, py::object unbiased, py::object correction) {
  if (PyBool_Check(dim.ptr())) unbiased = dim, dim = py::none();
  RB_CHECK(unbiased.is_none() || correction.is_none(), Error,
           "var_mean/std_mean: cannot specify both unbiased and correction");
  return !correction.is_none() ? correction.cast<double>()
                               : (!unbiased.is_none() && !unbiased.cast<bool>() ? 0.0 : 1.0);
}

void bind_linalg_special(py::module_& m) {
  py::module_ la = m.def_submodule("_linalg", "the C++ ops behind rosenblatt.linalg");
  la.def("vector_norm", &vector_norm_py, py::arg("x"), py::arg("ord") = 2.0, py::arg("dim") = py::none(),
         py::arg("keepdim") = false, py::kw_only(), py::arg("dtype") = py::none());
  la.def("matrix_norm", &matrix_norm_py, py::arg("A"), py::arg("ord") = "fro", py::arg("dim") = py::make_tuple(-2, -1),
         py::arg("keepdim") = false, py::kw_only(), py::arg("dtype") = py::none());
  la.def("norm", &linalg_norm_py, py::arg("A"), py::arg("ord") = py::none(), py::arg("dim") = py::none(),
         py::arg("keepdim") = false, py::kw_only(), py::arg("dtype") = py::none());
  la.def("cross", &cross, py::arg("input"), py::arg("other"), py::kw_only(), py::arg("dim") = -1, nogil);
  py::module_ sp = m.def_submodule("_special", "the C++ ops behind rosenblatt.special");
  sp.def(
      "xlogy",
      [](py::object a, py::object b) {
        Tensor x = py::isinstance<Tensor>(a) ? a.cast<Tensor>() : operand(a, b.cast<Tensor>());
        return xlogy(x, operand(b, x));
      },
      py::arg("input"), py::arg("other"));
  sp.def("entr", &special_entr, py::arg("input"), nogil);
  sp.def("sinc", &sinc, py::arg("input"), nogil);
  sp.def(
      "logsumexp",
      [](const Tensor& x, py::object dim, bool keepdim) { return logsumexp(x, dims_from_object(dim), keepdim); },
      py::arg("input"), py::arg("dim"), py::arg("keepdim") = false);
}

void bind_nn(py::module_& m) {
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  nn.def("pad_mode", &pad_mode, py::arg("input"), py::arg("pad"), py::arg("mode"), nogil);
  nn.def("unfold", &im2col, py::arg("input"), py::arg("kernel_size"), py::arg("dilation"), py::arg("padding"),
         py::arg("stride"), nogil);
  nn.def("fold", &col2im, py::arg("input"), py::arg("output_size"), py::arg("kernel_size"), py::arg("dilation"),
         py::arg("padding"), py::arg("stride"), nogil);
  for (py::module_* mod : {&m, &nn})
    mod->def("channel_shuffle", &channel_shuffle, py::arg("input"), py::arg("groups"), nogil);
  // align_corners=None: False, with torch's warning that the default changed in 1.3.
  auto align_of = [](std::optional<bool> align_corners) {
    if (!align_corners &&
        PyErr_WarnEx(PyExc_UserWarning,
                     "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                     "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                     "grid_sample for details.",
                     1) != 0)
      throw py::error_already_set();
    return align_corners.value_or(false);
  };
  nn.def(
      "affine_grid",
      [align_of](const Tensor& theta, const std::vector<int64_t>& size, std::optional<bool> align_corners) {
        return affine_grid(theta, size, align_of(align_corners), [](const std::string& msg) {
          if (PyErr_WarnEx(PyExc_UserWarning, msg.c_str(), 1) != 0) throw py::error_already_set();
        });
      },
      py::arg("theta"), py::arg("size"), py::arg("align_corners") = py::none());
  nn.def(
      "grid_sample",
      [align_of](const Tensor& input, const Tensor& grid, const std::string& mode, const std::string& padding_mode,
                 std::optional<bool> align_corners) {
        return grid_sample(input, grid, mode, padding_mode, align_of(align_corners));
      },
      py::arg("input"), py::arg("grid"), py::arg("mode") = "bilinear", py::arg("padding_mode") = "zeros",
      py::arg("align_corners") = py::none());
  nn.def("local_response_norm", &local_response_norm, py::arg("input"), py::arg("size"), py::arg("alpha") = 1e-4,
         py::arg("beta") = 0.75, py::arg("k") = 1.0, nogil);
}

}  // namespace

void composite(py::module_& m, TensorClass& cls) {
  bind_linalg_special(m);
  bind_nn(m);

  // ---- norms, cdist, cross ----
  m.def("norm", &norm_py, py::arg("input"), py::arg("p") = "fro", py::arg("dim") = py::none(),
        py::arg("keepdim") = false, py::arg("dtype") = py::none());
  cls.def("norm", &norm_py, py::arg("p") = "fro", py::arg("dim") = py::none(), py::arg("keepdim") = false,
          py::arg("dtype") = py::none());
  m.def("cdist", &cdist, py::arg("x1"), py::arg("x2"), py::arg("p") = 2.0,
        py::arg("compute_mode") = "use_mm_for_euclid_dist_if_necessary", nogil);
  // torch.cross: dim None is the first dim of size 3 (deprecated in PyTorch, still the default).
  auto cross_fn = [](const Tensor& a, const Tensor& b, std::optional<int64_t> dim) {
    if (!dim) {
      Shape s = broadcast_shapes(a.shape(), b.shape());
      for (size_t i = 0; i < s.size() && !dim; ++i)
        if (s[i] == 3) dim = static_cast<int64_t>(i);
      RB_CHECK(dim.has_value(), Error, "no dimension of size 3 in input");
    }
    return cross(a, b, *dim);
  };
  m.def("cross", cross_fn, py::arg("input"), py::arg("other"), py::arg("dim") = py::none(), nogil);
  cls.def("cross", cross_fn, py::arg("other"), py::arg("dim") = py::none(), nogil);

  // ---- the addmm family ----
  using Tern = Tensor (*)(const Tensor&, const Tensor&, const Tensor&, Scalar, Scalar);
  const std::tuple<const char*, Tern, const char*, const char*> mms[] = {{"addmm", &addmm, "mat1", "mat2"},
                                                                         {"addmv", &addmv, "mat", "vec"},
                                                                         {"addbmm", &addbmm, "batch1", "batch2"},
                                                                         {"baddbmm", &baddbmm, "batch1", "batch2"}};
  for (const auto& [name, f, a1, a2] : mms) {
    m.def(name, f, py::arg("input"), py::arg(a1), py::arg(a2), py::kw_only(), py::arg("beta") = 1, py::arg("alpha") = 1,
          nogil);
    cls.def(name, f, py::arg(a1), py::arg(a2), py::kw_only(), py::arg("beta") = 1, py::arg("alpha") = 1, nogil);
    std::string iname = std::string(name) + "_";
    cls.def(
        iname.c_str(),
        [f, name](py::object self, const Tensor& b1, const Tensor& b2, Scalar beta, Scalar alpha) {
          return inplace_out_of_place(self, name, [&](const Tensor& s) { return f(s, b1, b2, beta, alpha); });
        },
        py::arg(a1), py::arg(a2), py::kw_only(), py::arg("beta") = 1, py::arg("alpha") = 1);
  }
  using Addc = Tensor (*)(const Tensor&, const Tensor&, const Tensor&, Scalar);
  for (auto [name, f] : {std::pair<const char*, Addc>{"addcmul", &addcmul}, {"addcdiv", &addcdiv}}) {
    m.def(name, f, py::arg("input"), py::arg("tensor1"), py::arg("tensor2"), py::kw_only(), py::arg("value") = 1,
          nogil);
    cls.def(name, f, py::arg("tensor1"), py::arg("tensor2"), py::kw_only(), py::arg("value") = 1, nogil);
    std::string iname = std::string(name) + "_";
    cls.def(
        iname.c_str(),
        [f, name](py::object self, const Tensor& t1, const Tensor& t2, Scalar value) {
          return inplace_out_of_place(self, name, [&](const Tensor& s) { return f(s, t1, t2, value); });
        },
        py::arg("tensor1"), py::arg("tensor2"), py::kw_only(), py::arg("value") = 1);
  }

  // ---- pointwise: binary ops take a number on either side where PyTorch does ----
  using Bin = Tensor (*)(const Tensor&, const Tensor&);
  const std::pair<const char*, Bin> bins[] = {
      {"logaddexp", &logaddexp}, {"logaddexp2", &logaddexp2}, {"hypot", &hypot}, {"copysign", &copysign},
      {"xlogy", &xlogy},         {"heaviside", &heaviside},   {"gcd", &gcd},     {"lcm", &lcm}};
  for (const auto& [name, f] : bins) {
    const char* second = std::string(name) == "heaviside" ? "values" : "other";
    m.def(
        name,
        [f](py::object a, py::object b) {
          Tensor x = py::isinstance<Tensor>(a) ? a.cast<Tensor>() : operand(a, b.cast<Tensor>());
          Tensor y = operand(b, x);
          py::gil_scoped_release released;
          return f(x, y);
        },
        py::arg("input"), py::arg(second));
    cls.def(
        name,
        [f](const Tensor& x, py::object b) {
          Tensor y = operand(b, x);
          py::gil_scoped_release released;
          return f(x, y);
        },
        py::arg(second));
    if (std::string(name) != "logaddexp" && std::string(name) != "logaddexp2") {
      std::string iname = std::string(name) + "_";
      cls.def(
          iname.c_str(),
          [f, name](py::object self, py::object b) {
            Tensor y = operand(b, self.cast<Tensor&>());
            return inplace_out_of_place(self, name, [&](const Tensor& s) { return f(s, y); });
          },
          py::arg(second));
    }
  }
  using Un = Tensor (*)(const Tensor&);
  for (auto [name, f] : {std::pair<const char*, Un>{"signbit", &signbit}, {"sinc", &sinc}}) {
    m.def(name, f, py::arg("input"), nogil);
    cls.def(name, f, nogil);
  }
  cls.def("sinc_",
          [](py::object self) { return inplace_out_of_place(self, "sinc", [](const Tensor& s) { return sinc(s); }); });
  m.def("nan_to_num", &nan_to_num, py::arg("input"), py::arg("nan") = 0.0, py::arg("posinf") = py::none(),
        py::arg("neginf") = py::none(), nogil);
  cls.def("nan_to_num", &nan_to_num, py::arg("nan") = 0.0, py::arg("posinf") = py::none(),
          py::arg("neginf") = py::none(), nogil);
  cls.def(
      "nan_to_num_",
      [](py::object self, std::optional<double> nan, std::optional<double> pi, std::optional<double> ni) {
        return inplace_out_of_place(self, "nan_to_num", [&](const Tensor& s) { return nan_to_num(s, nan, pi, ni); });
      },
      py::arg("nan") = 0.0, py::arg("posinf") = py::none(), py::arg("neginf") = py::none());
  for (bool is_min : {true, false}) {
    const char* name = is_min ? "clamp_min" : "clamp_max";
    const char* arg = is_min ? "min" : "max";
    auto f = [is_min](const Tensor& x, py::object v) {
      if (py::isinstance<Tensor>(v)) {
        Tensor t = v.cast<Tensor>();
        return binary(is_min ? BinaryOp::Maximum : BinaryOp::Minimum, x, t);
      }
      Scalar s = v.cast<Scalar>();
      Tensor t = x.dtype() == result_type(x, s) ? x : to_dtype(x, result_type(x, s));  // int clamped by 0.5: float
      return is_min ? clamp(t, s, std::nullopt) : clamp(t, std::nullopt, s);
    };
    m.def(name, f, py::arg("input"), py::arg(arg));
    cls.def(name, f, py::arg(arg));
    cls.def((std::string(name) + "_").c_str(),
            [f, name](py::object self, py::object v) {
              Tensor r = f(self.cast<Tensor&>(), v);
              return inplace_out_of_place(self, name, [&](const Tensor&) { return r; });
            },
            py::arg(arg));
  }

  // ---- reductions ----
  auto count_fn = [](const Tensor& x, py::object dim) { return count_nonzero(x, dims_from_object(dim)); };
  m.def("count_nonzero", count_fn, py::arg("input"), py::arg("dim") = py::none());
  cls.def("count_nonzero", count_fn, py::arg("dim") = py::none());
  auto nansum_fn = [](const Tensor& x, py::object dim, bool keepdim, std::optional<DType> dtype) {
    return nansum(x, dims_from_object(dim), keepdim, dtype);
  };
  m.def("nansum", nansum_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
        py::arg("dtype") = py::none());
  cls.def("nansum", nansum_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
          py::arg("dtype") = py::none());
  auto nanmean_fn = [](const Tensor& x, py::object dim, bool keepdim, std::optional<DType> dtype) {
    return nanmean(dtype ? to_dtype(x, *dtype) : x, dims_from_object(dim), keepdim);
  };
  m.def("nanmean", nanmean_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
        py::arg("dtype") = py::none());
  cls.def("nanmean", nanmean_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
          py::arg("dtype") = py::none());
  for (bool is_std : {false, true}) {
    auto f = [is_std](const Tensor& x, py::object dim, py::object unbiased, bool keepdim, py::object correction) {
      double c = correction_of(dim, unbiased, correction);
      Dims d = dims_from_object(dim);
      auto r = is_std ? std_mean(x, d, c, keepdim) : var_mean(x, d, c, keepdim);
      return py::make_tuple(r.first, r.second);
    };
    m.def(is_std ? "std_mean" : "var_mean", f, py::arg("input"), py::arg("dim") = py::none(),
          py::arg("unbiased") = py::none(), py::arg("keepdim") = false, py::kw_only(),
          py::arg("correction") = py::none());
  }
  py::object aminmax_t = py::module_::import("rosenblatt.return_types").attr("aminmax");
  auto aminmax_fn = [aminmax_t](const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
    auto r = aminmax(x, dim, keepdim);
    return aminmax_t(r.first, r.second);
  };
  m.def("aminmax", aminmax_fn, py::arg("input"), py::kw_only(), py::arg("dim") = py::none(),
        py::arg("keepdim") = false);
  cls.def("aminmax", aminmax_fn, py::kw_only(), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  m.def("renorm", &renorm, py::arg("input"), py::arg("p"), py::arg("dim"), py::arg("maxnorm"), nogil);
  cls.def("renorm", &renorm, py::arg("p"), py::arg("dim"), py::arg("maxnorm"), nogil);
  cls.def(
      "renorm_",
      [](py::object self, double p, int64_t dim, double maxnorm) {
        return inplace_out_of_place(self, "renorm", [&](const Tensor& s) { return renorm(s, p, dim, maxnorm); });
      },
      py::arg("p"), py::arg("dim"), py::arg("maxnorm"));

  // ---- shape ----
  m.def("diff", &diff, py::arg("input"), py::arg("n") = 1, py::arg("dim") = -1, py::arg("prepend") = py::none(),
        py::arg("append") = py::none(), nogil);
  cls.def("diff", &diff, py::arg("n") = 1, py::arg("dim") = -1, py::arg("prepend") = py::none(),
          py::arg("append") = py::none(), nogil);
  m.def(
      "meshgrid",
      [](const py::args& args, py::object indexing) {
        if (indexing.is_none()) {
          PyErr_WarnEx(PyExc_UserWarning,
                       "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.", 1);
        }
        return as_tuple(meshgrid(tensor_list(args), indexing.is_none() ? "ij" : indexing.cast<std::string>()));
      },
      py::kw_only(), py::arg("indexing") = py::none());
  m.def("broadcast_tensors", [](const py::args& args) { return as_tuple(broadcast_tensors(tensor_list(args))); });
  m.def("cartesian_prod", [](const py::args& args) { return cartesian_prod(tensor_list(args)); });
  m.def("block_diag", [](const py::args& args) { return block_diag(tensor_list(args)); });
  m.def("kron", &kron, py::arg("input"), py::arg("other"), nogil);
  cls.def("kron", &kron, py::arg("other"), nogil);
  m.def(
      "tensordot",
      [](const Tensor& a, const Tensor& b, py::object dims) {
        if (PyLong_Check(dims.ptr())) return tensordot(a, b, dims.cast<int64_t>());
        if (py::isinstance<Tensor>(dims)) {
          Tensor d = dims.cast<Tensor>();
          if (d.dim() == 0) return tensordot(a, b, d.item<int64_t>());
          dims = py::list(dims.attr("tolist")());
        }
        py::sequence pair = dims.cast<py::sequence>();
        RB_CHECK(pair.size() == 2, Error, "tensordot expects dims to be an int or a pair of lists of dims");
        return tensordot(a, b, dims_from_object(pair[0]), dims_from_object(pair[1]));
      },
      py::arg("a"), py::arg("b"), py::arg("dims") = 2);
  for (bool lower : {true, false}) {
    m.def(
        lower ? "tril_indices" : "triu_indices",
        [lower](int64_t row, int64_t col, int64_t offset, std::optional<DType> dtype, std::optional<Device> device,
                std::optional<TensorLayout>, bool pin_memory) {
          check_pin_memory(pin_memory);
          DType dt = dtype.value_or(DType::Int64);
          Device dev = device.value_or(Device{});
          return lower ? tril_indices(row, col, offset, dt, dev) : triu_indices(row, col, offset, dt, dev);
        },
        py::arg("row"), py::arg("col"), py::arg("offset") = 0, py::kw_only(), py::arg("dtype") = py::none(),
        py::arg("device") = py::none(), py::arg("layout") = TensorLayout::Strided, py::arg("pin_memory") = false);
  }
  m.def("vander", &vander, py::arg("x"), py::arg("N") = py::none(), py::arg("increasing") = false, nogil);
  auto rot90_fn = [](const Tensor& x, int64_t k, py::object dims) { return rot90(x, k, dims_from_object(dims)); };
  m.def("rot90", rot90_fn, py::arg("input"), py::arg("k") = 1, py::arg("dims") = py::make_tuple(0, 1));
  cls.def("rot90", rot90_fn, py::arg("k") = 1, py::arg("dims") = py::make_tuple(0, 1));
  auto split_fn = [](const Tensor& x, py::object ios, int64_t dim) {
    if (py::isinstance<Tensor>(ios)) {
      Tensor t = ios.cast<Tensor>();
      RB_CHECK(t.dim() <= 1 && !is_floating(t.dtype()), Error,
               "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor,"
               " but got a tensor with ",
               t.dim(), " dims");
      ios = t.dim() == 0 ? py::object(py::int_(t.item<int64_t>())) : py::object(ios.attr("tolist")());
    }
    if (PyLong_Check(ios.ptr())) return as_tuple(tensor_split(x, ios.cast<int64_t>(), dim));
    return as_tuple(tensor_split(x, dims_from_object(ios), dim));
  };
  m.def("tensor_split", split_fn, py::arg("input"), py::arg("indices_or_sections"), py::arg("dim") = 0);
  cls.def("tensor_split", split_fn, py::arg("indices_or_sections"), py::arg("dim") = 0);
  m.def("narrow_copy", &narrow_copy, py::arg("input"), py::arg("dim"), py::arg("start"), py::arg("length"), nogil);
  cls.def("narrow_copy", &narrow_copy, py::arg("dim"), py::arg("start"), py::arg("length"), nogil);
}

}  // namespace rb::bind
