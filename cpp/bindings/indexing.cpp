// Bindings of the indexing family: Tensor.__getitem__/__setitem__ (Python index objects parsed
// into rb::TensorIndex), cat/stack/split/chunk/gather/index_select/narrow/select/unbind/masked_fill.
#include <cstring>

#include "bind.h"

namespace rb::bind {

void elementwise_ext(py::module_& m, TensorClass& cls);  // cpp/bindings/elementwise_ext.cpp

namespace {

// A list or numpy array used as an index becomes an int64 or bool tensor, or a uint8 one (a mask, as torch.tensor
// of a uint8 array is).
Tensor sequence_index(py::handle h) {
  auto np = py::module_::import("numpy");
  py::array a = np.attr("asarray")(h);
  char kind = a.dtype().kind();
  if (a.size() == 0 && kind == 'f') kind = 'i';  // x[[]] selects nothing, as in PyTorch
  RB_CHECK(kind == 'b' || kind == 'i' || kind == 'u', IndexError,
           "tensors used as indices must be long, int, byte or bool tensors");
  bool byte = kind == 'u' && a.itemsize() == 1;
  DType dt = kind == 'b' ? DType::Bool : byte ? DType::UInt8 : DType::Int64;
  // np.array keeps 0-d arrays 0-d (ascontiguousarray would make them 1-d).
  py::array c = np.attr("array")(a,
                                 py::arg("dtype") = kind == 'b' ? np.attr("bool_")
                                                    : byte      ? np.attr("uint8")
                                                                : np.attr("int64"),
                                 py::arg("order") = "C");
  Shape shape(c.shape(), c.shape() + c.ndim());
  Tensor t = Tensor::empty(shape, dt);
  if (t.numel() > 0) std::memcpy(t.raw_data(), c.data(), static_cast<size_t>(t.numel()) * t.itemsize());
  return t;
}

TensorIndex parse_one(py::handle h) {
  PyObject* o = h.ptr();
  if (o == Py_None) return TensorIndex::none();
  if (o == Py_Ellipsis) return TensorIndex::ellipsis();
  if (PyBool_Check(o)) return TensorIndex::tensor(scalar_tensor(Scalar(o == Py_True), DType::Bool));
  if (PyLong_Check(o)) return TensorIndex::integer(h.cast<int64_t>());
  if (PySlice_Check(o)) {
    // PySlice_Unpack maps None to 0 / PY_SSIZE_T_MAX (clamped by the core) and rejects step 0.
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(o, &start, &stop, &step) < 0) throw py::error_already_set();
    auto part = [](PyObject* v, Py_ssize_t x) { return v == Py_None ? std::nullopt : std::optional<int64_t>(x); };
    PySliceObject* so = reinterpret_cast<PySliceObject*>(o);
    return TensorIndex::slice(part(so->start, start), part(so->stop, stop), step);
  }
  if (py::isinstance<Tensor>(h)) return TensorIndex::tensor(h.cast<Tensor>());
  if (PyList_Check(o) || PyTuple_Check(o) || py::isinstance<py::array>(h))
    return TensorIndex::tensor(sequence_index(h));
  if (PyIndex_Check(o) && !PyFloat_Check(o))
    return TensorIndex::integer(py::reinterpret_borrow<py::object>(h).attr("__index__")().cast<int64_t>());
  throw IndexError(
      str("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got ",
          std::string(py::str(py::type::of(h).attr("__name__"))), ")"));
}

// One element of a subscript, x[...]: torch's Python indexing (not index_put's tensors) reads a 0-d integer tensor
// (uint8 and bool ones are masks) as an integer: a select, bounds-checked at once, so x[tensor(1), :, idx] keeps
// the sliced dim first where an advanced index would move the broadcast dims there. A 0-d uint8 one is x[True] or
// x[False] there, with no warning (and no masked_fill for a put).
TensorIndex subscript_one(py::handle h) {
  if (py::isinstance<Tensor>(h)) {
    const Tensor& t = h.cast<const Tensor&>();
    DType dt = t.dtype();
    if (t.dim() == 0 && (dt == DType::Int64 || dt == DType::Int32 || dt == DType::Int16 || dt == DType::Int8))
      return TensorIndex::integer(t.item<int64_t>());
    if (t.dim() == 0 && dt == DType::UInt8)
      return TensorIndex::tensor(scalar_tensor(Scalar(t.item<int64_t>() != 0), DType::Bool));
  }
  return parse_one(h);
}

// torch's treatSequenceAsTuple (NumPy's old heuristic): a short non-tuple sequence holding a tensor, a sequence, a
// slice, None or Ellipsis is read as a tuple of indices, with its deprecation warning; a numpy array never is.
bool sequence_as_tuple(py::handle key) {
  PyObject* o = key.ptr();
  if (PyTuple_Check(o)) return true;
  if (py::isinstance<Tensor>(key) || py::isinstance<py::array>(key) || !PySequence_Check(o)) return false;
  Py_ssize_t n = PySequence_Size(o);
  if (n < 0) PyErr_Clear();
  if (n < 0 || n >= 32) return false;
  for (Py_ssize_t i = 0; i < n; ++i) {
    py::object e = py::reinterpret_steal<py::object>(PySequence_GetItem(o, i));
    if (!e) {
      PyErr_Clear();
      return false;
    }
    if (py::isinstance<Tensor>(e) || PySequence_Check(e.ptr()) || PySlice_Check(e.ptr()) || e.is_none() ||
        e.ptr() == Py_Ellipsis) {
      if (PyErr_WarnEx(PyExc_UserWarning,
                       "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
                       "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
                       "tensor index, x[torch.tensor(seq)], which will result either in an error or a different result",
                       1) != 0)
        throw py::error_already_set();
      return true;
    }
  }
  return false;
}

IndexList parse_index(py::handle key) {
  IndexList out;
  if (sequence_as_tuple(key)) {
    for (py::handle h : key) out.push_back(subscript_one(h));
  } else {
    out.push_back(subscript_one(key));
  }
  return out;
}

// ATen's expandTensors warns for each uint8 index tensor it reads as a mask (x[True]'s 0-d form never gets there);
// a put that goes to masked_fill with one raises instead (index_put_), before any warning.
void warn_byte_masks(const IndexList& idx) {
  for (const TensorIndex& e : idx)
    if (e.kind == TensorIndex::Kind::Tensor && e.t.dtype() == DType::UInt8 && e.t.dim() > 0 &&
        PyErr_WarnEx(PyExc_UserWarning,
                     "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.",
                     1) != 0)
      throw py::error_already_set();
}

void warn_byte_masks(const IndexList& idx, const Tensor& value, bool accumulate) {
  if (!put_mask(idx, value, accumulate)) warn_byte_masks(idx);
}

IndexList parsed_with_warnings(py::handle key) {
  IndexList idx = parse_index(key);
  warn_byte_masks(idx);
  return idx;
}

py::tuple to_tuple(const std::vector<Tensor>& ts) {
  py::tuple t(ts.size());
  for (size_t i = 0; i < ts.size(); ++i) t[i] = py::cast(ts[i]);
  return t;
}

std::vector<Tensor> split_any(const Tensor& x, py::handle sizes, int64_t dim) {
  if (PyLong_Check(sizes.ptr())) return split(x, sizes.cast<int64_t>(), dim);
  return split_with_sizes(x, shape_from_object(sizes), dim);
}

}  // namespace

void indexing(py::module_& m, TensorClass& cls) {
  cls.def("__getitem__", [](const Tensor& x, py::handle key) { return index(x, parsed_with_warnings(key)); });
  cls.def("__setitem__", [](Tensor& x, py::handle key, const Tensor& v) {
    IndexList idx = parse_index(key);
    warn_byte_masks(idx, v, false);
    index_put_(x, idx, v);
  });
  cls.def("__setitem__", [](Tensor& x, py::handle key, Scalar v) {
    IndexList idx = parse_index(key);  // a number is a one-element value: a single mask goes to masked_fill
    warn_byte_masks(idx, scalar_tensor(v, x.dtype()), false);
    index_put_(x, idx, v);
  });

  // index_put(indices: a sequence of index tensors, values, accumulate): PyTorch's functional form.
  // index_put's indices: tensors only (torch's binding refuses None and lists: "argument" counts from self's next).
  auto tensors_index = [](py::handle indices, const Tensor& v, bool accumulate, int argument) {
    IndexList out;
    for (py::handle h : indices) {
      if (!py::isinstance<Tensor>(h))
        throw TypeError(str("expected Tensor as element ", out.size(), " in argument ", argument, ", but got ",
                            std::string(py::str(py::type::of(h).attr("__name__")))));
      out.push_back(TensorIndex::tensor(h.cast<Tensor>()));
    }
    warn_byte_masks(out, v, accumulate);
    return out;
  };
  cls.def(
      "index_put_",
      [tensors_index](Tensor& x, py::handle indices, const Tensor& v, bool accumulate) -> Tensor& {
        return index_put_(x, tensors_index(indices, v, accumulate, 0), v, accumulate);
      },
      py::arg("indices"), py::arg("values"), py::arg("accumulate") = false,
      py::return_value_policy::reference_internal);
  auto put_fn = [tensors_index](int argument) {
    return [tensors_index, argument](const Tensor& x, py::handle indices, const Tensor& v, bool accumulate) {
      return index_put(x, tensors_index(indices, v, accumulate, argument), v, accumulate);
    };
  };
  cls.def("index_put", put_fn(0), py::arg("indices"), py::arg("values"), py::arg("accumulate") = false);
  m.def("index_put", put_fn(1), py::arg("input"), py::arg("indices"), py::arg("values"), py::arg("accumulate") = false);

  auto cat_fn = [](const std::vector<Tensor>& xs, int64_t dim) { return cat(xs, dim); };
  m.def("cat", cat_fn, py::arg("tensors"), py::arg("dim") = 0);
  m.def("concat", cat_fn, py::arg("tensors"), py::arg("dim") = 0);
  m.def("concatenate", cat_fn, py::arg("tensors"), py::arg("axis") = 0);
  m.def("stack", &stack, py::arg("tensors"), py::arg("dim") = 0);
  m.def(
      "split", [](const Tensor& x, py::handle s, int64_t dim) { return to_tuple(split_any(x, s, dim)); },
      py::arg("tensor"), py::arg("split_size_or_sections"), py::arg("dim") = 0);
  cls.def(
      "split", [](const Tensor& x, py::handle s, int64_t dim) { return to_tuple(split_any(x, s, dim)); },
      py::arg("split_size"), py::arg("dim") = 0);
  auto chunk_fn = [](const Tensor& x, int64_t chunks, int64_t dim) { return to_tuple(chunk(x, chunks, dim)); };
  m.def("chunk", chunk_fn, py::arg("input"), py::arg("chunks"), py::arg("dim") = 0);
  cls.def("chunk", chunk_fn, py::arg("chunks"), py::arg("dim") = 0);
  auto unbind_fn = [](const Tensor& x, int64_t dim) { return to_tuple(unbind(x, dim)); };
  m.def("unbind", unbind_fn, py::arg("input"), py::arg("dim") = 0);
  cls.def("unbind", unbind_fn, py::arg("dim") = 0);
  // sparse_grad: there are no sparse tensors, so the gradient is dense either way (the same values)
  auto gather_fn = [](const Tensor& x, int64_t dim, const Tensor& index, bool) { return gather(x, dim, index); };
  m.def("gather", gather_fn, py::arg("input"), py::arg("dim"), py::arg("index"), py::kw_only(),
        py::arg("sparse_grad") = false);
  cls.def("gather", gather_fn, py::arg("dim"), py::arg("index"), py::kw_only(), py::arg("sparse_grad") = false);
  m.def("scatter_add", &scatter_add, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("src"));
  cls.def("scatter_add", &scatter_add, py::arg("dim"), py::arg("index"), py::arg("src"));
  cls.def(
      "scatter_add_",  // ATen's scatter_add_ is scatter_reduce_ "sum" including self, gradients too
      [](Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) -> Tensor& {
        return scatter_reduce_(x, dim, index, src, "sum", true);
      },
      py::arg("dim"), py::arg("index"), py::arg("src"), py::return_value_policy::reference_internal);
  auto scatter_t = [](const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
    return scatter(x, dim, index, src);
  };
  auto scatter_s = [](const Tensor& x, int64_t dim, const Tensor& index, Scalar v) {
    return scatter(x, dim, index, scalar_tensor(v, x.dtype(), x.device()));
  };
  m.def("scatter", scatter_t, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("src"));
  m.def("scatter", scatter_s, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("value"));
  cls.def("scatter", scatter_t, py::arg("dim"), py::arg("index"), py::arg("src"));
  cls.def("scatter", scatter_s, py::arg("dim"), py::arg("index"), py::arg("value"));
  cls.def(
      "scatter_",
      [](Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) -> Tensor& {
        return scatter_(x, dim, index, src);
      },
      py::arg("dim"), py::arg("index"), py::arg("src"), py::return_value_policy::reference_internal);
  cls.def(
      "scatter_",
      [](Tensor& x, int64_t dim, const Tensor& index, Scalar v) -> Tensor& {
        return scatter_(x, dim, index, scalar_tensor(v, x.dtype(), x.device()));
      },
      py::arg("dim"), py::arg("index"), py::arg("value"), py::return_value_policy::reference_internal);
  m.def("masked_select", &masked_select, py::arg("input"), py::arg("mask"));
  cls.def("masked_select", &masked_select, py::arg("mask"));
  m.def("index_select", &index_select, py::arg("input"), py::arg("dim"), py::arg("index"));
  cls.def("index_select", &index_select, py::arg("dim"), py::arg("index"));
  m.def("narrow", &narrow, py::arg("input"), py::arg("dim"), py::arg("start"), py::arg("length"));
  cls.def("narrow", &narrow, py::arg("dim"), py::arg("start"), py::arg("length"));
  m.def("select", &select, py::arg("input"), py::arg("dim"), py::arg("index"));
  cls.def("select", &select, py::arg("dim"), py::arg("index"));
  auto nonzero_fn = [](const Tensor& x, bool as_tuple) -> py::object {
    Tensor nz = nonzero(x);
    if (!as_tuple) return py::cast(nz);
    if (x.dim() == 0) return to_tuple({reshape(nz, {-1})});
    return to_tuple(unbind(transpose(nz, 0, 1), 0));
  };
  m.def("nonzero", nonzero_fn, py::arg("input"), py::kw_only(), py::arg("as_tuple") = false);
  m.def(  // torch.where(condition): nonzero(condition, as_tuple=True)
      "where", [nonzero_fn](const Tensor& c) { return nonzero_fn(c, true); }, py::arg("condition"));
  cls.def("nonzero", nonzero_fn, py::kw_only(), py::arg("as_tuple") = false);

  auto mf_t = [](const Tensor& x, const Tensor& mask, const Tensor& v) { return masked_fill(x, mask, v); };
  auto mf_s = [](const Tensor& x, const Tensor& mask, Scalar v) { return masked_fill(x, mask, v); };
  m.def("masked_fill", mf_t, py::arg("input"), py::arg("mask"), py::arg("value"));
  m.def("masked_fill", mf_s, py::arg("input"), py::arg("mask"), py::arg("value"));
  cls.def("masked_fill", mf_t, py::arg("mask"), py::arg("value"));
  cls.def("masked_fill", mf_s, py::arg("mask"), py::arg("value"));
  cls.def(
      "masked_fill_", [](Tensor& x, const Tensor& mask, Scalar v) -> Tensor& { return masked_fill_(x, mask, v); },
      py::arg("mask"), py::arg("value"), py::return_value_policy::reference_internal);
  cls.def(
      "masked_fill_",
      [](Tensor& x, const Tensor& mask, const Tensor& v) -> Tensor& {
        RB_CHECK(v.dim() == 0, Error, "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
                 v.dim(), " dimension(s).");
        RB_CHECK(!v.requires_grad() || !GradMode::enabled(), Error,
                 "masked_fill_: a value tensor that requires grad is not supported in place; use masked_fill");
        return masked_fill_(x, mask, Scalar(v.item<double>()));
      },
      py::arg("mask"), py::arg("value"), py::return_value_policy::reference_internal);

  elementwise_ext(m, cls);
}

}  // namespace rb::bind
