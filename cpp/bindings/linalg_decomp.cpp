// Bindings of the factorizations (ops/linalg_decomp.h): module _C._linalg with torch.linalg's names, the
// older top-level functions (inverse, det, svd returning V, qr(some=), pinverse) and their Tensor methods.
// Tuple results are named tuples with torch.return_types' names and fields.
#include "rosenblatt/ops/linalg_decomp.h"
#include "bind.h"

namespace rb::bind {
namespace {

// atol / rtol: None, a number or a tensor.
std::optional<Tensor> tol_arg(py::handle h) {
  if (h.is_none()) return std::nullopt;
  if (py::isinstance<Tensor>(h)) return h.cast<Tensor>();
  return scalar_tensor(h.cast<double>(), DType::Float64);
}

template <class Pair>
py::object pair_of(py::handle type, const Pair& p) {
  return type(py::cast(p.first), py::cast(p.second));
}

}  // namespace

void linalg_decomp(py::module_& m, TensorClass& cls) {
  py::module_ la = m.def_submodule("_linalg", "the C++ ops behind rosenblatt.linalg");
  py::register_exception<LinAlgError>(m, "_LinAlgError", PyExc_RuntimeError);
  py::module_ types = py::module_::import("rosenblatt.return_types");
  py::object inv_ex_t = types.attr("linalg_inv_ex"), solve_ex_t = types.attr("linalg_solve_ex"),
             chol_ex_t = types.attr("linalg_cholesky_ex"), slogdet_t = types.attr("linalg_slogdet"),
             qr_t = types.attr("linalg_qr"), svd_t = types.attr("linalg_svd"), eigh_t = types.attr("linalg_eigh"),
             old_slogdet_t = types.attr("slogdet"), old_svd_t = types.attr("svd"), old_qr_t = types.attr("qr");

  la.def("inv", &linalg_inv, py::arg("A"), nogil);
  la.def(
      "inv_ex", [inv_ex_t](const Tensor& A, bool check) { return pair_of(inv_ex_t, linalg_inv_ex(A, check)); },
      py::arg("A"), py::kw_only(), py::arg("check_errors") = false);
  la.def("solve", &linalg_solve, py::arg("A"), py::arg("B"), py::kw_only(), py::arg("left") = true, nogil);
  la.def(
      "solve_ex",
      [solve_ex_t](const Tensor& A, const Tensor& B, bool left, bool check) {
        return pair_of(solve_ex_t, linalg_solve_ex(A, B, left, check));
      },
      py::arg("A"), py::arg("B"), py::kw_only(), py::arg("left") = true, py::arg("check_errors") = false);
  la.def("solve_triangular", &linalg_solve_triangular, py::arg("A"), py::arg("B"), py::kw_only(), py::arg("upper"),
         py::arg("left") = true, py::arg("unitriangular") = false, nogil);
  la.def("det", &linalg_det, py::arg("A"), nogil);
  la.def(
      "slogdet", [slogdet_t](const Tensor& A) { return pair_of(slogdet_t, linalg_slogdet(A)); }, py::arg("A"));
  la.def("cholesky", &linalg_cholesky, py::arg("A"), py::kw_only(), py::arg("upper") = false, nogil);
  la.def(
      "cholesky_ex",
      [chol_ex_t](const Tensor& A, bool upper, bool check) {
        return pair_of(chol_ex_t, linalg_cholesky_ex(A, upper, check));
      },
      py::arg("A"), py::kw_only(), py::arg("upper") = false, py::arg("check_errors") = false);
  la.def(
      "qr", [qr_t](const Tensor& A, const std::string& mode) { return pair_of(qr_t, linalg_qr(A, mode)); },
      py::arg("A"), py::arg("mode") = "reduced");
  auto no_driver = [](py::handle driver) {
    RB_CHECK(driver.is_none(), Error,
             "torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER backend.");
  };
  la.def(
      "svd",
      [svd_t, no_driver](const Tensor& A, bool full, py::object driver) {
        no_driver(driver);
        auto [U, S, Vh] = linalg_svd(A, full);
        return svd_t(U, S, Vh);
      },
      py::arg("A"), py::arg("full_matrices") = true, py::kw_only(), py::arg("driver") = py::none());
  la.def(
      "svdvals",
      [no_driver](const Tensor& A, py::object driver) {
        no_driver(driver);
        return linalg_svdvals(A);
      },
      py::arg("A"), py::kw_only(), py::arg("driver") = py::none());
  la.def(
      "eigh", [eigh_t](const Tensor& A, const std::string& UPLO) { return pair_of(eigh_t, linalg_eigh(A, UPLO)); },
      py::arg("A"), py::arg("UPLO") = "L");
  la.def("eigvalsh", &linalg_eigvalsh, py::arg("A"), py::arg("UPLO") = "L", nogil);
  la.def(
      "pinv",
      [](const Tensor& A, py::object atol, py::object rtol, bool hermitian) {
        return linalg_pinv(A, tol_arg(atol), tol_arg(rtol), hermitian);
      },
      py::arg("A"), py::kw_only(), py::arg("atol") = py::none(), py::arg("rtol") = py::none(),
      py::arg("hermitian") = false);
  // matrix_rank(A, tol, hermitian=False): the older overload, an absolute tolerance with rtol 0 (ATen's).
  la.def(
      "matrix_rank",
      [](const Tensor& A, py::object tol, bool hermitian) {
        RB_CHECK(!tol.is_none(), TypeError, "matrix_rank(): argument 'tol' must be float or Tensor, not NoneType");
        return linalg_matrix_rank(A, tol_arg(tol), scalar_tensor(0.0, DType::Float64), hermitian);
      },
      py::arg("A"), py::arg("tol"), py::arg("hermitian") = false);
  la.def(
      "matrix_rank",
      [](const Tensor& A, py::object atol, py::object rtol, bool hermitian) {
        return linalg_matrix_rank(A, tol_arg(atol), tol_arg(rtol), hermitian);
      },
      py::arg("A"), py::kw_only(), py::arg("atol") = py::none(), py::arg("rtol") = py::none(),
      py::arg("hermitian") = false);

  py::object lstsq_t = types.attr("linalg_lstsq");
  la.def(
      "lstsq",
      [lstsq_t](const Tensor& A, const Tensor& B, std::optional<double> rcond, std::optional<std::string> driver) {
        LstsqResult r = linalg_lstsq(A, B, rcond, driver.value_or("gelsy"));
        return lstsq_t(r.solution, r.residuals, r.rank, r.singular_values);
      },
      py::arg("A"), py::arg("B"), py::arg("rcond") = py::none(), py::kw_only(), py::arg("driver") = py::none());

  // ---- the older top-level API, as functions and Tensor methods ----
  auto old_slogdet = [old_slogdet_t](const Tensor& A) { return pair_of(old_slogdet_t, linalg_slogdet(A)); };
  // torch.svd: V rather than Vh; without compute_uv, U and V are zero-filled (m, m) and (n, n).
  auto old_svd = [old_svd_t](const Tensor& A, bool some, bool compute_uv) {
    if (!compute_uv) {
      Tensor S = linalg_svdvals(A);
      Shape b(A.shape().begin(), A.shape().end() - 2), bu = b, bv = b;
      bu.insert(bu.end(), {A.size(-2), A.size(-2)});
      bv.insert(bv.end(), {A.size(-1), A.size(-1)});
      return old_svd_t(zeros(bu, A.dtype(), A.device()), S, zeros(bv, A.dtype(), A.device()));
    }
    auto [U, S, Vh] = linalg_svd(A, !some);
    return old_svd_t(U, S, transpose(Vh, -2, -1));
  };
  // torch.cholesky and torch.qr are deprecated there, with a UserWarning: the same one here.
  auto old_qr = [old_qr_t](const Tensor& A, bool some) {
    PyErr_WarnEx(PyExc_UserWarning,
                 "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.",
                 1);
    return pair_of(old_qr_t, linalg_qr(A, some ? "reduced" : "complete"));
  };
  auto old_cholesky = [](const Tensor& A, bool upper) {
    PyErr_WarnEx(PyExc_UserWarning,
                 "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future "
                 "PyTorch release.",
                 1);
    py::gil_scoped_release released;
    return linalg_cholesky(A, upper);
  };
  auto pinverse = [](const Tensor& A, double rcond) {
    return linalg_pinv(A, std::nullopt, scalar_tensor(rcond, DType::Float64));
  };
  m.def("inverse", &linalg_inv, py::arg("input"), nogil);
  m.def("det", &linalg_det, py::arg("input"), nogil);
  m.def("logdet", &logdet, py::arg("input"), nogil);
  m.def("slogdet", old_slogdet, py::arg("input"));
  m.def("cholesky", old_cholesky, py::arg("input"), py::arg("upper") = false);
  m.def("svd", old_svd, py::arg("input"), py::arg("some") = true, py::arg("compute_uv") = true);
  m.def("qr", old_qr, py::arg("input"), py::arg("some") = true);
  m.def("pinverse", pinverse, py::arg("input"), py::arg("rcond") = 1e-15);
  cls.def("inverse", &linalg_inv, nogil);
  cls.def("det", &linalg_det, nogil);
  cls.def("logdet", &logdet, nogil);
  cls.def("slogdet", old_slogdet);
  cls.def("cholesky", old_cholesky, py::arg("upper") = false);
  cls.def("svd", old_svd, py::arg("some") = true, py::arg("compute_uv") = true);
  cls.def("qr", old_qr, py::arg("some") = true);
  cls.def("pinverse", pinverse, py::arg("rcond") = 1e-15);
}

}  // namespace rb::bind
