// Bindings of the tensor's memory block (rb::Storage) as _C._StorageImpl, behind rosenblatt.UntypedStorage
// and TypedStorage (python/rosenblatt/storage.py): its bytes, address and device, byte-range views
// (storage[a:b]), and Tensor._set_storage_, which points a tensor at a storage with a geometry checked
// against the storage's bytes (Tensor.set_, Tensor.new(storage), rosenblatt.Tensor(storage)).
#include "bind.h"

namespace rb::bind {

void check_storage_geometry(const Shape& sizes, const Shape& strides, int64_t off, int64_t itemsize, size_t nbytes) {
  RB_CHECK(sizes.size() == strides.size(), Error, "mismatch in length of strides and shape");
  check_shape(sizes, "as_strided");
  RB_CHECK(off >= 0, Error, "as_strided: Negative storage offset ", off);
  for (int64_t s : strides)
    RB_CHECK(s >= 0, Error, "as_strided: Negative strides are not supported at the moment, got strides: ", strides);
  // The last element's index, overflow-checked: off + sum((size - 1) * stride) must fit the storage.
  const int64_t avail = static_cast<int64_t>(nbytes / static_cast<size_t>(itemsize));
  bool empty = numel_of(sizes) == 0, fits = off <= avail;
  int64_t last = off;
  for (size_t i = 0; i < sizes.size() && !empty && fits; ++i) {
    int64_t span = sizes[i] - 1;
    fits = strides[i] == 0 || span <= (avail - last) / strides[i];
    if (fits) last += span * strides[i];
  }
  fits = fits && (empty || last < avail);
  RB_CHECK(fits, Error, "setStorage: sizes ", sizes, ", strides ", strides, ", storage offset ", off, " and itemsize ",
           itemsize, " are out of bounds for storage of size ", nbytes);
}

void storage(py::module_& m, TensorClass& cls) {
  using StoragePtr = std::shared_ptr<Storage>;
  py::class_<Storage, StoragePtr>(m, "_StorageImpl")
      .def(py::init([](int64_t nbytes, const Device& device) {
             RB_CHECK(nbytes >= 0, Error, "Storage size must be non-negative, got ", nbytes);
             return Storage::allocate(static_cast<size_t>(nbytes), device);
           }),
           py::arg("nbytes"), py::arg("device"))
      .def("nbytes", [](const Storage& s) { return s.nbytes; })
      .def("data_ptr", [](const Storage& s) { return reinterpret_cast<uintptr_t>(s.data); })
      .def_property_readonly("device", [](const Storage& s) { return s.device; })
      // Bytes [start, stop) as a storage of their own: the same memory, which keeps this block alive.
      .def("_slice", [](const StoragePtr& s, int64_t start, int64_t stop) {
        RB_CHECK(0 <= start && start <= stop && static_cast<size_t>(stop) <= s->nbytes, IndexError, "storage slice [",
                 start, ":", stop, "] out of range for a storage of ", s->nbytes, " bytes");
        auto* data = static_cast<char*>(s->data) + start;
        return Storage::wrap(data, static_cast<size_t>(stop - start), s->device, s);
      });
  cls.def("_storage_impl", [](const Tensor& t) { return t.storage(); });
  // Points this tensor at `storage` as a (sizes, strides, offset) view of `dtype` elements, in place. Saved
  // tensors hold their own storage, so what autograd saved stays as it was.
  // Not on a tensor that autograd tracks: a leaf raises PyTorch's in-place error, and a non-leaf would
  // lose its history (PyTorch leaves it with a grad_fn that cannot run), so it raises too.
  cls.def(
      "_set_storage_",
      [](Tensor& t, const StoragePtr& storage, DType dtype, int64_t offset, py::object size, py::object stride) {
        Shape sizes = shape_from_object(size), strides = shape_from_object(stride);
        check_storage_geometry(sizes, strides, offset, itemsize(dtype), storage->nbytes);
        if (t.requires_grad() && GradMode::enabled()) {
          RB_CHECK(!t.is_leaf(), Error, "a leaf Variable that requires grad is being used in an in-place operation.");
          RB_CHECK(false, Error,
                   "set_(): cannot change the storage of a tensor that autograd records (its history "
                   "would be lost); call it on a detached tensor or under no_grad()");
        }
        TensorImpl* a = t.impl();
        a->storage = storage, a->sizes = std::move(sizes), a->strides = std::move(strides);
        a->offset = offset, a->dtype = dtype;  // no version bump: no memory was written
      },
      py::arg("storage"), py::arg("dtype"), py::arg("offset"), py::arg("size"), py::arg("stride"));
}

}  // namespace rb::bind
