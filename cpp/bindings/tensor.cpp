// Tensor attributes, dtype/device objects, numpy exchange (zero-copy both ways) and the autograd
// entry points (backward, autograd.grad, grad mode, grad_fn nodes).
#include "bind.h"
#include "rosenblatt/anomaly.h"
#include "rosenblatt/hooks.h"
#include "rosenblatt/ops/device.h"

namespace rb::bind {
void dlpack(py::module_& m, TensorClass& cls);  // dlpack.cpp

namespace {

py::object size_type;  // rosenblatt.Size, installed by the Python package

py::tuple shape_tuple(const Shape& s) {
  py::tuple t(s.size());
  for (size_t i = 0; i < s.size(); ++i) t[i] = py::int_(s[i]);
  return t;
}

}  // namespace

py::object as_size(const Shape& s) { return size_type ? size_type(shape_tuple(s)) : py::object(shape_tuple(s)); }

namespace {

py::dtype numpy_dtype(DType t) {
  switch (t) {
    case DType::Bool: return py::dtype::of<bool>();
    case DType::Int64: return py::dtype::of<int64_t>();
    case DType::Float32: return py::dtype::of<float>();
    case DType::Float64: return py::dtype::of<double>();
    case DType::UInt8: return py::dtype::of<uint8_t>();
    case DType::Int8: return py::dtype::of<int8_t>();
    case DType::Int16: return py::dtype::of<int16_t>();
    case DType::Int32: return py::dtype::of<int32_t>();
    case DType::Float16: return py::dtype("float16");
    case DType::BFloat16: break;
  }
  throw TypeError(str("Got unsupported ScalarType ", t == DType::BFloat16 ? "BFloat16" : dtype_name(t)));
}

py::array to_numpy(const Tensor& t) {
  RB_CHECK(t.device().is_cpu(), TypeError, "can't convert ", t.device().name(),
           " device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.");
  RB_CHECK(!t.requires_grad(), Error,
           "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
  std::vector<py::ssize_t> shape(t.shape().begin(), t.shape().end()), strides;
  for (int64_t s : t.strides()) strides.push_back(s * static_cast<py::ssize_t>(t.itemsize()));
  // The capsule keeps the storage alive as long as the array (and its views) live.
  auto* keep = new std::shared_ptr<Storage>(t.storage());
  py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<Storage>*>(p); });
  return py::array(numpy_dtype(t.dtype()), shape, strides, t.raw_data(), base);
}

Tensor from_numpy(py::array a) {
  DType dt;
  char kind = a.dtype().kind();
  size_t isz = a.dtype().itemsize();
  if (kind == 'f' && isz == 4)
    dt = DType::Float32;
  else if (kind == 'f' && isz == 8)
    dt = DType::Float64;
  else if (kind == 'f' && isz == 2)
    dt = DType::Float16;
  else if (kind == 'i' && isz == 8)
    dt = DType::Int64;
  else if (kind == 'i' && isz == 4)
    dt = DType::Int32;
  else if (kind == 'i' && isz == 2)
    dt = DType::Int16;
  else if (kind == 'i' && isz == 1)
    dt = DType::Int8;
  else if (kind == 'u' && isz == 1)
    dt = DType::UInt8;
  else if (kind == 'b')
    dt = DType::Bool;
  else
    throw TypeError(
        str("can't convert np.ndarray of type numpy.", std::string(py::str(a.dtype())),
            ". The only supported types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."));
  RB_CHECK(a.dtype().attr("byteorder").cast<std::string>() != ">", TypeError,
           "given numpy array has byte order different from the native byte order");
  Shape shape(a.shape(), a.shape() + a.ndim()), strides;
  for (py::ssize_t i = 0; i < a.ndim(); ++i) {
    py::ssize_t s = a.strides()[i];
    RB_CHECK(s >= 0 && s % static_cast<py::ssize_t>(isz) == 0, ValueError,
             "At least one stride in the given numpy array is negative or not a multiple of the element size, and "
             "tensors with negative strides are not currently supported. (You can probably work around this by making "
             "a copy of your array  with array.copy().)");
    strides.push_back(s / static_cast<py::ssize_t>(isz));
  }
  check_shape(shape, "from_numpy");
  int64_t extent = 1;
  for (size_t i = 0; i < shape.size(); ++i) extent += (shape[i] - 1) * strides[i];
  // A read-only array (np.memmap mode 'r', a broadcast view) is shared, not copied, as PyTorch
  // does: memory-mapped datasets must not be duplicated. Writing to it is the caller's error.
  if (!a.writeable() &&
      PyErr_WarnEx(PyExc_UserWarning,
                   "The given NumPy array is not writable, and rosenblatt does not support non-writable tensors. This "
                   "means writing to this tensor will result in undefined behavior. You may want to copy the array to "
                   "protect its data or make it writable before converting it to a tensor.",
                   1) < 0)
    throw py::error_already_set();
  // Releasing the array may run Python code: take the GIL in the deleter.
  auto* owner = new py::object(a);
  std::shared_ptr<void> hold(owner, [](void* p) {
    py::gil_scoped_acquire g;
    delete static_cast<py::object*>(p);
  });
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = Storage::wrap(const_cast<void*>(a.data()), static_cast<size_t>(std::max<int64_t>(extent, 0)) * isz,
                                Device(), hold);
  impl->sizes = shape;
  impl->strides = strides;
  impl->dtype = dt;
  return Tensor(impl);
}

py::object element_to_py(DType dt, const char* p) {
  switch (dt) {
    case DType::Bool: return py::bool_(*reinterpret_cast<const bool*>(p));
    case DType::Int64: return py::int_(*reinterpret_cast<const int64_t*>(p));
    case DType::Float32: return py::float_(*reinterpret_cast<const float*>(p));
    case DType::Float64: return py::float_(*reinterpret_cast<const double*>(p));
    case DType::UInt8: return py::int_(*reinterpret_cast<const uint8_t*>(p));
    case DType::Int8: return py::int_(*reinterpret_cast<const int8_t*>(p));
    case DType::Int16: return py::int_(*reinterpret_cast<const int16_t*>(p));
    case DType::Int32: return py::int_(*reinterpret_cast<const int32_t*>(p));
    case DType::Float16: return py::float_(static_cast<float>(*reinterpret_cast<const Half*>(p)));
    case DType::BFloat16: return py::float_(static_cast<float>(*reinterpret_cast<const BFloat16*>(p)));
  }
  return py::none();
}

py::object tolist_rec(const Tensor& t, int64_t d, const char* p) {
  if (d == t.dim()) return element_to_py(t.dtype(), p);
  // PyList_New itself, not py::list(n): a list too large for memory raises MemoryError, as PyTorch's
  // tolist does, where pybind11 turns the failed allocation into a RuntimeError.
  auto l = py::reinterpret_steal<py::list>(PyList_New(static_cast<Py_ssize_t>(t.shape()[d])));
  if (!l) throw py::error_already_set();
  for (int64_t i = 0; i < t.shape()[d]; ++i)
    PyList_SET_ITEM(l.ptr(), i,
                    tolist_rec(t, d + 1, p + i * t.strides()[d] * static_cast<int64_t>(t.itemsize())).release().ptr());
  return l;
}

// t itself on the CPU; a device tensor's values copied to the host (item, tolist: they read them there).
Tensor on_host(const Tensor& t) {
  if (t.device() == Device()) return t;
  py::gil_scoped_release nogil;
  return to_device(t, Device());
}

py::object item(const Tensor& t) {
  RB_CHECK(t.numel() == 1, Error, "a Tensor with ", t.numel(), " elements cannot be converted to Scalar");
  const Tensor h = on_host(t);
  return element_to_py(h.dtype(), static_cast<const char*>(h.raw_data()));
}

}  // namespace

void tensor(py::module_& m, TensorClass& cls) {
  py::enum_<DType> dtype_cls(m, "dtype");
  dtype_cls.value("bool", DType::Bool)
      .value("int64", DType::Int64)
      .value("float32", DType::Float32)
      .value("float64", DType::Float64)
      .value("uint8", DType::UInt8)
      .value("int8", DType::Int8)
      .value("int16", DType::Int16)
      .value("int32", DType::Int32)
      .value("float16", DType::Float16)
      .value("bfloat16", DType::BFloat16)
      .def("__str__", [](DType t) { return std::string("rosenblatt.") + dtype_name(t); })
      .def_property_readonly("is_floating_point", [](DType t) { return is_floating(t); })
      .def_property_readonly("itemsize", [](DType t) { return itemsize(t); })
      .def_property_readonly("is_signed", [](DType t) { return t != DType::Bool && t != DType::UInt8; });
  // repr as torch's (`torch.int64`): replaces py::enum_'s own, which a .def would only overload.
  dtype_cls.attr("__repr__") =
      py::cpp_function([](DType t) { return std::string("rosenblatt.") + dtype_name(t); }, py::is_method(dtype_cls));

  // torch.memory_format and torch.layout: objects named rosenblatt.<name>, also bound at the top level
  // (rb.channels_last), as the dtypes.
  py::enum_<MemoryFormat> format_cls(m, "memory_format");
  for (MemoryFormat f :
       {MemoryFormat::Contiguous, MemoryFormat::Preserve, MemoryFormat::ChannelsLast, MemoryFormat::ChannelsLast3d}) {
    format_cls.value(memory_format_name(f), f);
    m.attr(memory_format_name(f)) = f;
  }
  py::enum_<TensorLayout> layout_cls(m, "layout");
  layout_cls.value("strided", TensorLayout::Strided);
  m.attr("strided") = TensorLayout::Strided;
  auto format_repr = [](MemoryFormat f) { return std::string("rosenblatt.") + memory_format_name(f); };
  auto layout_repr = [](TensorLayout) { return std::string("rosenblatt.strided"); };
  format_cls.def("__str__", format_repr);
  layout_cls.def("__str__", layout_repr);
  format_cls.attr("__repr__") = py::cpp_function(format_repr, py::is_method(format_cls));
  layout_cls.attr("__repr__") = py::cpp_function(layout_repr, py::is_method(layout_cls));

  py::class_<Device>(m, "device")
      .def(py::init<const std::string&>(), py::arg("type"))
      .def(py::init([](const std::string& type, int index) {
             Device d(type);
             d.index = index;
             return d;
           }),
           py::arg("type"), py::arg("index"))
      .def_property_readonly("type", [](const Device& d) { return d.is_cpu() ? "cpu" : "cuda"; })
      .def_property_readonly("index",
                             [](const Device& d) -> py::object {
                               return d.index < 0 ? py::object(py::none()) : py::object(py::int_(d.index));
                             })
      .def("__eq__", [](const Device& a, const Device& b) { return a == b; })
      .def("__eq__", [](const Device& a, const std::string& b) { return a == Device(b); })
      .def("__hash__", [](const Device& d) { return static_cast<int>(d.type) * 1000 + d.index; })
      .def("__str__", &Device::name)
      .def("__repr__", [](const Device& d) {
        return d.index < 0 ? str("device(type='", d.is_cpu() ? "cpu" : "cuda", "')")
                           : str("device(type='cuda', index=", d.index, ")");
      });
  py::implicitly_convertible<std::string, Device>();

  py::class_<Node, std::shared_ptr<Node>>(m, "Node")
      .def("name", &Node::name)
      .def_property_readonly("next_functions",
                             [](const Node& n) {
                               py::tuple t(n.next.size());
                               for (size_t i = 0; i < n.next.size(); ++i)
                                 t[i] = py::make_tuple(n.next[i].fn ? py::cast(n.next[i].fn) : py::none(),
                                                       n.next[i].input_nr);
                               return t;
                             })
      .def("__repr__", [](const Node& n) { return "<" + n.name() + " object>"; });

  m.def("_set_size_type", [](py::object t) { size_type = t; });
  m.def("_set_grad_enabled", &GradMode::set_enabled);
  m.def("is_grad_enabled", &GradMode::enabled);
  m.def("_set_anomaly_enabled", &set_anomaly_enabled, py::arg("enabled"), py::arg("check_nan") = true);
  m.def("is_anomaly_enabled", &anomaly_enabled);
  m.def("is_anomaly_check_nan_enabled", &anomaly_check_nan);
  // Anomaly mode's forward tracebacks: the Python stack at node creation, warned as PyTorch does.
  set_anomaly_hooks(
      [] {
        py::gil_scoped_acquire gil;
        return py::str("").attr("join")(py::module_::import("traceback").attr("format_stack")()).cast<std::string>();
      },
      [](const std::string& msg) {
        py::gil_scoped_acquire gil;
        if (PyErr_WarnEx(PyExc_UserWarning, msg.c_str(), 1) != 0) PyErr_Clear();  // the error itself follows
      });
  m.def("from_numpy", &from_numpy, py::arg("ndarray"));
  m.def(
      "_run_backward",
      [](const std::vector<Tensor>& roots, const std::vector<std::optional<Tensor>>& grads, bool retain_graph,
         const std::vector<Tensor>& inputs, bool allow_unused, bool create_graph) {
        std::vector<Tensor> g;
        for (auto& x : grads) g.push_back(x ? *x : Tensor());
        std::vector<Tensor> res;
        {
          py::gil_scoped_release nogil;
          res = run_backward(roots, g, retain_graph, inputs, allow_unused, create_graph);
        }
        // An input the graph never reached has no gradient: None, never an empty Tensor object.
        py::list out;
        for (auto& r : res) out.append(r.defined() ? py::cast(r) : py::none());
        return out;
      },
      py::arg("roots"), py::arg("grads"), py::arg("retain_graph"), py::arg("inputs"), py::arg("allow_unused"),
      py::arg("create_graph") = false);

  // Python hooks run inside backward, which released the GIL: they take it back, and so does the
  // deleter of the callable (a tensor or node holding hooks may die on any thread).
  auto hold = [](py::function fn) {
    return std::shared_ptr<py::function>(new py::function(std::move(fn)), [](py::function* f) {
      if (!Py_IsInitialized()) return;  // the interpreter is gone: nothing left to release
      py::gil_scoped_acquire g;
      delete f;
    });
  };
  // Registered before the functions returning it, so their signatures (and the stubs) name it.
  py::class_<GradHookHandle>(m, "_GradHookHandle", "What register_hook returns: remove() unregisters the hook.")
      .def("remove", &GradHookHandle::remove, "Unregisters the hook; a no-op once its tensor is gone.")
      .def_readonly("id", &GradHookHandle::id);
  m.def(
      "_register_grad_hook",
      [hold](const Tensor& t, py::function fn) {
        auto f = hold(std::move(fn));
        return register_grad_hook(t, [f](const Tensor& g) {
          py::gil_scoped_acquire gil;
          py::object r = (*f)(g);
          return r.is_none() ? Tensor() : r.cast<Tensor>();
        });
      },
      py::arg("tensor"), py::arg("hook"));
  m.def(
      "_register_post_accumulate_grad_hook",
      [hold](const Tensor& t, py::function fn) {
        auto f = hold(std::move(fn));
        return register_post_accumulate_grad_hook(t, [f](const Tensor& leaf) {
          py::gil_scoped_acquire gil;
          (*f)(leaf);
        });
      },
      py::arg("tensor"), py::arg("hook"));

  cls.def(py::init([](const Tensor& t) { return t; }), py::arg("data"))  // alias (used by Parameter)
      .def_property_readonly("shape", [](const Tensor& t) { return as_size(t.shape()); })
      .def(
          "size",
          [](const Tensor& t, py::object dim) -> py::object {
            if (dim.is_none()) return as_size(t.shape());
            return py::int_(t.size(dim.cast<int64_t>()));
          },
          py::arg("dim") = py::none())
      .def(
          "stride",
          [](const Tensor& t, py::object dim) -> py::object {
            if (dim.is_none()) return shape_tuple(t.strides());
            return py::int_(t.stride(dim.cast<int64_t>()));
          },
          py::arg("dim") = py::none())
      .def("dim", &Tensor::dim)
      .def("ndimension", &Tensor::dim)
      .def_property_readonly("ndim", &Tensor::dim)
      .def("numel", &Tensor::numel)
      .def("nelement", &Tensor::numel)
      .def("element_size", &Tensor::itemsize)
      .def("storage_offset", &Tensor::offset)
      .def("data_ptr", [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.raw_data()); })
      .def_property_readonly("dtype", &Tensor::dtype)
      .def_property_readonly("device", &Tensor::device)
      .def_property_readonly("is_cuda", [](const Tensor& t) { return t.device().is_cuda(); })
      .def("is_floating_point", [](const Tensor& t) { return is_floating(t.dtype()); })
      .def(
          "is_contiguous", [](const Tensor& x, MemoryFormat fmt) { return is_contiguous(x, fmt); },
          py::arg("memory_format") = MemoryFormat::Contiguous)
      .def(
          "contiguous", [](const Tensor& x, MemoryFormat fmt) { return contiguous(x, fmt); },
          py::arg("memory_format") = MemoryFormat::Contiguous)
      .def("__len__",
           [](const Tensor& t) {
             RB_CHECK(t.dim() > 0, TypeError, "len() of a 0-d tensor");
             return t.shape()[0];
           })
      .def("__hash__", [](py::handle self) { return reinterpret_cast<intptr_t>(self.ptr()); })
      .def("item", &item)
      .def("tolist",
           [](const Tensor& t) {
             const Tensor h = on_host(t);
             return tolist_rec(h, 0, static_cast<const char*>(h.raw_data()));
           })
      .def(
          "numpy", [](const Tensor& t, bool force) { return to_numpy(force ? t.detach() : t); },
          py::arg("force") = false)
      .def(
          "__array__",
          [](const Tensor& t, py::object dtype, py::object copy) -> py::object {
            py::array a = to_numpy(t.detach());
            return dtype.is_none() ? py::object(a) : a.attr("astype")(dtype);
          },
          py::arg("dtype") = py::none(), py::arg("copy") = py::none())
      .def_property_readonly_static("__array_priority__", [](py::object) { return 1000; })
      // autograd
      .def_property("requires_grad", &Tensor::requires_grad, [](Tensor& t, bool r) { t.set_requires_grad(r); })
      .def(
          "requires_grad_", [](Tensor& t, bool r) -> Tensor& { return t.set_requires_grad(r); },
          py::arg("requires_grad") = true, py::return_value_policy::reference_internal)
      .def_property(
          "grad",
          [](const Tensor& t) -> py::object {
            Tensor g = t.grad();
            return g.defined() ? py::cast(g) : py::none();
          },
          [](Tensor& t, std::optional<Tensor> g) {
            if (g) {
              RB_CHECK(g->shape() == t.shape(), Error, "assigned grad has data of a different size: ", g->shape(),
                       " vs ", t.shape());
              RB_CHECK(g->dtype() == t.dtype(), Error, "assigned grad has data of a different type");
            }
            t.set_grad(g ? *g : Tensor());
          })
      .def_property_readonly(
          "grad_fn", [](const Tensor& t) -> py::object { return t.grad_fn() ? py::cast(t.grad_fn()) : py::none(); })
      .def_property_readonly("is_leaf", &Tensor::is_leaf)
      .def_property_readonly("retains_grad", [](const Tensor& t) { return t.impl()->retains_grad; })
      .def("retain_grad", &Tensor::retain_grad)
      .def_property_readonly("_version", &Tensor::version)
      .def("detach", &Tensor::detach)
      .def(
          "detach_",
          [](Tensor& t) -> Tensor& {
            t.impl()->grad_fn.reset();
            t.impl()->requires_grad = false;
            return t;
          },
          py::return_value_policy::reference_internal)
      .def_property("data", &Tensor::detach, [](Tensor& t, const Tensor& src) {
        // Rebinds this tensor to src's memory and layout, keeping its identity and autograd flags.
        TensorImpl* a = t.impl();
        a->storage = src.storage(), a->sizes = src.shape(), a->strides = src.strides();
        a->offset = src.offset(), a->dtype = src.dtype();
      });
  dlpack(m, cls);
}

}  // namespace rb::bind
