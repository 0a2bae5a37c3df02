// DLPack exchange: Tensor.__dlpack__/__dlpack_device__ and rb.from_dlpack, zero-copy both ways.
// An exported tensor keeps its Storage alive; an imported one keeps the producer's capsule payload.
// Also the capsule of rosenblatt/python.h (Tensor._rb_capsule, _C._rb_from_capsule), through which
// other extensions share a tensor's TensorImpl, autograd included.
#include "rosenblatt/dlpack.h"

#include "bind.h"
#include "rosenblatt/python.h"

namespace rb::bind {
namespace {

DLDataType dl_dtype(DType t) {
  switch (t) {
    case DType::Bool: return {kDLBool, 8, 1};
    case DType::Int64: return {kDLInt, 64, 1};
    case DType::Float32: return {kDLFloat, 32, 1};
    case DType::Float64: return {kDLFloat, 64, 1};
    case DType::UInt8: return {kDLUInt, 8, 1};
    case DType::Int8: return {kDLInt, 8, 1};
    case DType::Int16: return {kDLInt, 16, 1};
    case DType::Int32: return {kDLInt, 32, 1};
    case DType::Float16: return {kDLFloat, 16, 1};
    case DType::BFloat16: return {kDLBfloat, 16, 1};
  }
  return {kDLFloat, 32, 1};
}

DType dtype_of_dl(const DLDataType& d) {
  if (d.lanes == 1) {
    if (d.code == kDLFloat && d.bits == 32) return DType::Float32;
    if (d.code == kDLFloat && d.bits == 64) return DType::Float64;
    if (d.code == kDLInt && d.bits == 64) return DType::Int64;
    if (d.code == kDLBool && d.bits == 8) return DType::Bool;
    if (d.code == kDLFloat && d.bits == 16) return DType::Float16;
    if (d.code == kDLBfloat && d.bits == 16) return DType::BFloat16;
    if (d.code == kDLInt && d.bits == 32) return DType::Int32;
    if (d.code == kDLInt && d.bits == 16) return DType::Int16;
    if (d.code == kDLInt && d.bits == 8) return DType::Int8;
    if (d.code == kDLUInt && d.bits == 8) return DType::UInt8;
  }
  throw TypeError(str("from_dlpack: unsupported DLPack dtype (code ", int(d.code), ", bits ", int(d.bits), ", lanes ",
                      d.lanes, "); rosenblatt supports float16/32/64, bfloat16, int8/16/32/64, uint8 and bool"));
}

// What an exported capsule owns: the storage (kept alive) and the shape/strides arrays.
template <class Managed>
struct ExportCtx {
  std::shared_ptr<Storage> storage;
  Shape shape, strides;
  Managed managed{};
};

template <class Managed>
Managed* make_managed(const Tensor& t) {
  auto* ctx = new ExportCtx<Managed>();
  ctx->storage = t.storage();
  ctx->shape = t.shape();
  ctx->strides = t.strides();
  DLTensor& dl = ctx->managed.dl_tensor;
  dl.data = t.raw_data();
  dl.device = {kDLCPU, 0};
  dl.ndim = static_cast<int32_t>(t.dim());
  dl.dtype = dl_dtype(t.dtype());
  dl.shape = ctx->shape.data();
  dl.strides = ctx->strides.data();
  dl.byte_offset = 0;
  ctx->managed.manager_ctx = ctx;
  ctx->managed.deleter = [](Managed* self) { delete static_cast<ExportCtx<Managed>*>(self->manager_ctx); };
  return &ctx->managed;
}

// A capsule not consumed by anyone frees its payload when it dies.
template <class Managed>
void capsule_destructor(PyObject* cap, const char* name) {
  if (!PyCapsule_IsValid(cap, name)) return;  // consumed (renamed "used_..."): the consumer owns it now
  auto* m = static_cast<Managed*>(PyCapsule_GetPointer(cap, name));
  if (m && m->deleter) m->deleter(m);
}

py::object to_dlpack(const Tensor& self, py::object stream, py::object max_version, py::object dl_device,
                     py::object copy) {
  RB_CHECK(!self.requires_grad(), Error, "Can't export tensors that require gradient, use tensor.detach()");
  RB_CHECK(self.device().is_cpu(), Error, "__dlpack__: device ", self.device().name(), " is not supported");
  RB_CHECK(stream.is_none() || (PyLong_Check(stream.ptr()) && stream.cast<int64_t>() == -1), ValueError,
           "__dlpack__: stream must be None for a CPU tensor");
  if (!dl_device.is_none()) {
    auto dev = dl_device.cast<py::tuple>();
    if (dev.size() != 2 || dev[0].cast<int>() != kDLCPU)
      throw py::buffer_error("__dlpack__: unsupported dl_device " + std::string(py::repr(dl_device)) +
                             "; only (1, 0) (CPU) is supported");
  }
  const bool do_copy = !copy.is_none() && copy.cast<bool>();
  Tensor t = do_copy ? clone(self.detach()) : self;
  bool versioned = false;
  if (!max_version.is_none()) {
    auto mv = max_version.cast<py::tuple>();
    versioned = mv.size() >= 1 && mv[0].cast<int>() >= 1;
  }
  if (versioned) {
    auto* m = make_managed<DLManagedTensorVersioned>(t);
    m->version = {RB_DLPACK_MAJOR_VERSION, RB_DLPACK_MINOR_VERSION};
    m->flags = do_copy ? RB_DLPACK_FLAG_BITMASK_IS_COPIED : 0;
    PyObject* cap = PyCapsule_New(m, "dltensor_versioned", [](PyObject* c) {
      capsule_destructor<DLManagedTensorVersioned>(c, "dltensor_versioned");
    });
    if (!cap) {
      m->deleter(m);
      throw py::error_already_set();
    }
    return py::reinterpret_steal<py::object>(cap);
  }
  auto* m = make_managed<DLManagedTensor>(t);
  PyObject* cap = PyCapsule_New(m, "dltensor", [](PyObject* c) { capsule_destructor<DLManagedTensor>(c, "dltensor"); });
  if (!cap) {
    m->deleter(m);
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::object>(cap);
}

// Wraps a producer's DLTensor as a Tensor; `release` frees the producer's payload (once).
Tensor wrap_dl(const DLTensor& dl, std::shared_ptr<void> release) {
  RB_CHECK(dl.device.device_type == kDLCPU || dl.device.device_type == kDLCUDAHost, Error,
           "from_dlpack: unsupported device type ", int(dl.device.device_type), "; this build supports CPU tensors");
  RB_CHECK(dl.ndim >= 0 && dl.ndim <= kMaxDims, ValueError, "from_dlpack: unsupported number of dimensions ", dl.ndim);
  DType dt = dtype_of_dl(dl.dtype);
  Shape shape(dl.shape, dl.shape + dl.ndim);
  check_shape(shape, "from_dlpack");
  Shape strides = dl.strides ? Shape(dl.strides, dl.strides + dl.ndim) : contiguous_strides(shape);
  int64_t extent = 1;
  bool empty = false;
  for (int32_t i = 0; i < dl.ndim; ++i) {
    if (shape[i] == 0) empty = true;
    RB_CHECK(strides[i] >= 0 || shape[i] <= 1, ValueError, "from_dlpack: negative strides are not supported (strides ",
             strides, ")");
    if (shape[i] > 1) extent += (shape[i] - 1) * strides[i];
  }
  if (empty) extent = 0;
  for (int32_t i = 0; i < dl.ndim; ++i)
    if (strides[i] < 0) strides[i] = 0;  // a size-1 dim's stride is never used
  void* data = static_cast<char*>(dl.data) + dl.byte_offset;
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = Storage::wrap(data, static_cast<size_t>(extent) * itemsize(dt), Device(), std::move(release));
  impl->sizes = shape;
  impl->strides = strides;
  impl->dtype = dt;
  return Tensor(impl);
}

// The producer's deleter may run Python code (numpy's does): call it with the GIL held.
template <class Managed>
std::shared_ptr<void> owner_of(Managed* m) {
  return std::shared_ptr<void>(m, [](void* p) {
    auto* mm = static_cast<Managed*>(p);
    if (!mm->deleter) return;
    if (Py_IsInitialized()) {
      py::gil_scoped_acquire gil;
      mm->deleter(mm);
    } else {
      mm->deleter(mm);
    }
  });
}

Tensor from_capsule(py::handle cap) {
  PyObject* c = cap.ptr();
  if (PyCapsule_IsValid(c, "dltensor_versioned")) {
    auto* m = static_cast<DLManagedTensorVersioned*>(PyCapsule_GetPointer(c, "dltensor_versioned"));
    if (m->version.major > RB_DLPACK_MAJOR_VERSION)
      throw py::buffer_error(str("from_dlpack: DLPack version ", m->version.major, ".", m->version.minor,
                                 " is newer than the supported 1.0"));
    // Validate before taking ownership: on error the capsule still frees its payload.
    Tensor probe = wrap_dl(m->dl_tensor, std::shared_ptr<void>(nullptr, [](void*) {}));
    (void)probe;
    PyCapsule_SetName(c, "used_dltensor_versioned");
    const bool read_only = m->flags & RB_DLPACK_FLAG_BITMASK_READ_ONLY;
    Tensor t = wrap_dl(m->dl_tensor, owner_of(m));
    // Tensors are writable: read-only memory (a mapped file, a frozen array) is copied, since a
    // write through a shared view could fault.
    return read_only ? clone(t) : t;
  }
  if (PyCapsule_IsValid(c, "dltensor")) {
    auto* m = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(c, "dltensor"));
    Tensor probe = wrap_dl(m->dl_tensor, std::shared_ptr<void>(nullptr, [](void*) {}));
    (void)probe;
    PyCapsule_SetName(c, "used_dltensor");
    return wrap_dl(m->dl_tensor, owner_of(m));
  }
  if (PyCapsule_CheckExact(c))
    throw ValueError("from_dlpack: the DLPack capsule was already consumed (or is not a DLPack capsule)");
  throw TypeError(str("from_dlpack expects an object with __dlpack__ or a DLPack capsule, got ",
                      std::string(py::str(py::type::of(cap).attr("__name__")))));
}

Tensor from_dlpack(py::object obj) {
  if (!py::hasattr(obj, "__dlpack__")) return from_capsule(obj);
  if (py::hasattr(obj, "__dlpack_device__")) {
    py::tuple dev = obj.attr("__dlpack_device__")();
    int type = dev[0].cast<int>();
    RB_CHECK(type == kDLCPU || type == kDLCUDAHost, Error, "from_dlpack: the producer's tensor lives on DLPack device ",
             type, "; this build supports CPU tensors only");
  }
  py::object cap;
  try {
    cap = obj.attr("__dlpack__")(py::arg("max_version") =
                                     py::make_tuple(RB_DLPACK_MAJOR_VERSION, RB_DLPACK_MINOR_VERSION));
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_TypeError)) throw;  // an old producer without max_version
    cap = obj.attr("__dlpack__")();
  }
  return from_capsule(cap);
}

}  // namespace

void dlpack(py::module_& m, TensorClass& cls) {
  cls.def("__dlpack__", &to_dlpack, py::kw_only(), py::arg("stream") = py::none(), py::arg("max_version") = py::none(),
          py::arg("dl_device") = py::none(), py::arg("copy") = py::none());
  cls.def("__dlpack_device__", [](const Tensor& t) -> py::tuple {
    if (t.device().is_cpu()) return py::make_tuple(int(kDLCPU), 0);
    return py::make_tuple(int(kDLCUDA), std::max(t.device().index, 0));
  });
  m.def("from_dlpack", &from_dlpack, py::arg("ext_tensor"));

  cls.def("_rb_capsule", [](const Tensor& t) {
    auto* held = new std::shared_ptr<TensorImpl>(t.impl_ptr());
    return py::capsule(held, python::kCapsuleName, [](PyObject* c) {
      delete static_cast<std::shared_ptr<TensorImpl>*>(PyCapsule_GetPointer(c, python::kCapsuleName));
    });
  });
  m.def("_rb_from_capsule", [](const py::capsule& c) {
    RB_CHECK(c.name() != nullptr && std::string(c.name()) == python::kCapsuleName, TypeError,
             "_rb_from_capsule: expected a capsule named ", python::kCapsuleName);
    return Tensor(*c.get_pointer<std::shared_ptr<TensorImpl>>());
  });
}

}  // namespace rb::bind
