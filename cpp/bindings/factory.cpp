// Bindings of tensor creation (zeros/ones/full/empty and their _like forms, arange, linspace, eye),
// the Generator class and the random creation ops and in-place random fills.
#include <random>

#include "bind.h"

namespace rb::bind {
namespace {

using GenPtr = std::shared_ptr<Generator>;

Tensor finish(Tensor t, bool requires_grad) {
  if (requires_grad) t.set_requires_grad(true);
  return t;
}

// Python int -> uint64 seed; negative seeds wrap modulo 2^64 as in PyTorch.
uint64_t seed_of(py::handle h0) {
  RB_CHECK(PyLong_Check(h0.ptr()) || py::hasattr(h0, "__index__"), TypeError, "manual_seed expected an int, got ",
           std::string(py::str(py::type::of(h0).attr("__name__"))));
  py::object h = py::reinterpret_steal<py::object>(PyNumber_Index(h0.ptr()));  // numpy integers too
  if (!h) throw py::error_already_set();
  unsigned long long u = PyLong_AsUnsignedLongLong(h.ptr());
  if (!PyErr_Occurred()) return u;
  PyErr_Clear();
  long long v = PyLong_AsLongLong(h.ptr());
  if (PyErr_Occurred()) {
    PyErr_Clear();
    throw Error("Overflow when unpacking long: seed must be within [-2**63, 2**64)");
  }
  return static_cast<uint64_t>(v);
}

uint64_t fresh_seed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32 | rd()) & ((uint64_t(1) << 53) - 1);  // fits a double, like PyTorch
}

Scalar scalar_of(py::handle h) {
  if (py::isinstance<Tensor>(h)) {
    const Tensor& t = h.cast<const Tensor&>();
    RB_CHECK(t.numel() == 1, Error, "a Tensor with ", t.numel(), " elements cannot be converted to Scalar");
    if (t.dtype() == DType::Int64) return Scalar(t.item<int64_t>());
    if (t.dtype() == DType::Bool) return Scalar(t.item<bool>());
    return Scalar(t.item<double>());
  }
  return h.cast<Scalar>();
}

int64_t int_of(py::handle h, const char* what) {
  RB_CHECK(PyLong_Check(h.ptr()) || py::hasattr(h, "__index__"), TypeError, what, " must be an integer, got ",
           std::string(py::str(py::type::of(h).attr("__name__"))));
  return h.cast<int64_t>();
}

// The size, positional or size=; PyTorch requires one (torch.ones() is a TypeError, torch.ones(()) is 0-d).
Shape size_of(const py::args& a, const py::object& size, const char* op) {
  RB_CHECK(a.size() > 0 || !size.is_none(), TypeError, op, "() missing 1 required positional arguments: \"size\"");
  if (!size.is_none()) {
    RB_CHECK(a.size() == 0, TypeError, "size given both positionally and as a keyword");
    return shape_from_object(size);
  }
  return shape_from_args(a);
}

}  // namespace

void factory(py::module_& m, TensorClass& cls) {
  // layout= takes rb.strided (or None), the one layout, so it needs no check beyond its type; pin_memory=True
  // and memory_format= are checked by the ops (check_pin_memory, format_strides).
  using OptLayout = std::optional<TensorLayout>;
  auto fill_fn = [](Scalar v, const char* op) {
    return [v, op](py::args a, py::object size, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
                   bool requires_grad, bool pin_memory) {
      check_pin_memory(pin_memory);
      return finish(full(size_of(a, size, op), v, dtype.value_or(DType::Float32), device.value_or(Device())),
                    requires_grad);
    };
  };
  for (auto [name, value] : {std::pair{"zeros", int64_t(0)}, std::pair{"ones", int64_t(1)}})
    m.def(name, fill_fn(Scalar(value), name), py::kw_only(), py::arg("size") = py::none(),
          py::arg("dtype") = py::none(), py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(),
          py::arg("requires_grad") = false, py::arg("pin_memory") = false);
  m.def(
      "empty",
      [](py::args a, py::object size, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
         bool requires_grad, bool pin_memory, std::optional<MemoryFormat> fmt) {
        check_pin_memory(pin_memory);
        return finish(empty(size_of(a, size, "empty"), dtype.value_or(DType::Float32), device.value_or(Device()),
                            fmt.value_or(MemoryFormat::Contiguous)),
                      requires_grad);
      },
      py::kw_only(), py::arg("size") = py::none(), py::arg("dtype") = py::none(),
      py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(), py::arg("requires_grad") = false,
      py::arg("pin_memory") = false, py::arg("memory_format") = MemoryFormat::Contiguous);
  m.def(
      "full",
      [](py::object size, Scalar v, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
         bool requires_grad, bool pin_memory) {
        check_pin_memory(pin_memory);
        // PyTorch infers the dtype from the fill value when none is given; fill_ checks that the value fits.
        Tensor t = Tensor::empty(shape_from_object(size), dtype.value_or(v.dtype()), device.value_or(Device()));
        return finish(fill_(t, v), requires_grad);
      },
      py::arg("size"), py::arg("fill_value"), py::kw_only(), py::arg("dtype") = py::none(),
      py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(), py::arg("requires_grad") = false,
      py::arg("pin_memory") = false);
  // The _like forms: memory_format=preserve_format keeps a dense input's strides, as torch.
  auto like = [](Scalar v, bool uninit) {
    return [v, uninit](const Tensor& x, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
                       bool requires_grad, bool pin_memory, std::optional<MemoryFormat> fmt) {
      check_pin_memory(pin_memory);
      Tensor t =
          empty_like(x, dtype.value_or(x.dtype()), device.value_or(x.device()), fmt.value_or(MemoryFormat::Preserve));
      return finish(uninit ? t : fill_(t, v), requires_grad);
    };
  };
  for (auto [name, value, uninit] :
       {std::tuple{"zeros_like", int64_t(0), false}, std::tuple{"ones_like", int64_t(1), false},
        std::tuple{"empty_like", int64_t(0), true}})
    m.def(name, like(Scalar(value), uninit), py::arg("input"), py::kw_only(), py::arg("dtype") = py::none(),
          py::arg("layout") = py::none(), py::arg("device") = py::none(), py::arg("requires_grad") = false,
          py::arg("pin_memory") = false, py::arg("memory_format") = MemoryFormat::Preserve);
  m.def(
      "full_like",
      [](const Tensor& x, Scalar v, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
         bool requires_grad, bool pin_memory, std::optional<MemoryFormat> fmt) {
        check_pin_memory(pin_memory);
        Tensor t =
            empty_like(x, dtype.value_or(x.dtype()), device.value_or(x.device()), fmt.value_or(MemoryFormat::Preserve));
        return finish(fill_(t, v), requires_grad);  // fill_ checks that the value fits
      },
      py::arg("input"), py::arg("fill_value"), py::kw_only(), py::arg("dtype") = py::none(),
      py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(), py::arg("requires_grad") = false,
      py::arg("pin_memory") = false, py::arg("memory_format") = MemoryFormat::Preserve);

  m.def(
      "empty_strided",
      [](py::object size, py::object stride, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
         bool requires_grad, bool pin_memory) {
        check_pin_memory(pin_memory);
        return finish(empty_strided(shape_from_object(size), shape_from_object(stride), dtype.value_or(DType::Float32),
                                    device.value_or(Device())),
                      requires_grad);
      },
      py::arg("size"), py::arg("stride"), py::kw_only(), py::arg("dtype") = py::none(), py::arg("layout") = py::none(),
      py::arg("device") = py::none(), py::arg("requires_grad") = false, py::arg("pin_memory") = false);
  cls.def(
      "new_empty_strided",
      [](const Tensor& self, py::object size, py::object stride, std::optional<DType> dtype, OptLayout,
         std::optional<Device> device, bool requires_grad, bool pin_memory) {
        check_pin_memory(pin_memory);
        return finish(empty_strided(shape_from_object(size), shape_from_object(stride), dtype.value_or(self.dtype()),
                                    device.value_or(self.device())),
                      requires_grad);
      },
      py::arg("size"), py::arg("stride"), py::kw_only(), py::arg("dtype") = py::none(), py::arg("layout") = py::none(),
      py::arg("device") = py::none(), py::arg("requires_grad") = false, py::arg("pin_memory") = false);
  m.def("_check_pin_memory", &check_pin_memory, py::arg("pin_memory"));  // for rb.tensor, written in Python

  // Ranges.
  m.def(
      "arange",
      [](py::args a, py::object start, py::object end, py::object step, std::optional<DType> dtype, OptLayout,
         std::optional<Device> device, bool requires_grad, bool pin_memory) {
        // arange(end), arange(start, end), arange(start, end, step); keywords fill what is missing.
        check_pin_memory(pin_memory);
        std::vector<py::object> pos;
        for (py::handle h : a) pos.push_back(py::reinterpret_borrow<py::object>(h));
        RB_CHECK(pos.size() <= 3, TypeError, "arange() takes at most 3 positional arguments (", pos.size(), " given)");
        py::object s = start, e = end, st = step;
        if (pos.size() == 1) {
          if (e.is_none())
            e = pos[0];
          else
            s = pos[0];
        } else if (pos.size() >= 2) {
          s = pos[0], e = pos[1];
          if (pos.size() == 3) st = pos[2];
        }
        RB_CHECK(!e.is_none(), TypeError, "arange() missing required argument 'end'");
        Scalar vs = s.is_none() ? Scalar(int64_t(0)) : scalar_of(s);
        Scalar vst = st.is_none() ? Scalar(int64_t(1)) : scalar_of(st);
        return finish(arange(vs, scalar_of(e), vst, dtype, device.value_or(Device())), requires_grad);
      },
      py::kw_only(), py::arg("start") = py::none(), py::arg("end") = py::none(), py::arg("step") = py::none(),
      py::arg("dtype") = py::none(), py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(),
      py::arg("requires_grad") = false, py::arg("pin_memory") = false);
  m.def(
      "linspace",
      [](py::object start, py::object end, py::object steps, std::optional<DType> dtype, OptLayout,
         std::optional<Device> device, bool requires_grad, bool pin_memory) {
        check_pin_memory(pin_memory);
        return finish(linspace(scalar_of(start), scalar_of(end), int_of(steps, "linspace(): steps"),
                               dtype.value_or(DType::Float32), device.value_or(Device())),
                      requires_grad);
      },
      py::arg("start"), py::arg("end"), py::arg("steps"), py::kw_only(), py::arg("dtype") = py::none(),
      py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(), py::arg("requires_grad") = false,
      py::arg("pin_memory") = false);
  m.def(
      "logspace",
      [](py::object start, py::object end, py::object steps, double base, std::optional<DType> dtype, OptLayout,
         std::optional<Device> device, bool requires_grad, bool pin_memory) {
        check_pin_memory(pin_memory);
        return finish(logspace(scalar_of(start), scalar_of(end), int_of(steps, "logspace(): steps"), base,
                               dtype.value_or(DType::Float32), device.value_or(Device())),
                      requires_grad);
      },
      py::arg("start"), py::arg("end"), py::arg("steps"), py::arg("base") = 10.0, py::kw_only(),
      py::arg("dtype") = py::none(), py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(),
      py::arg("requires_grad") = false, py::arg("pin_memory") = false);
  m.def(
      "scalar_tensor",
      [](py::object s, std::optional<DType> dtype, OptLayout, std::optional<Device> device, bool requires_grad,
         bool pin_memory) {
        check_pin_memory(pin_memory);  // the default dtype whatever the number's kind, as torch's
        return finish(scalar_tensor(scalar_of(s), dtype.value_or(DType::Float32), device.value_or(Device())),
                      requires_grad);
      },
      py::arg("s"), py::kw_only(), py::arg("dtype") = py::none(), py::arg("layout") = TensorLayout::Strided,
      py::arg("device") = py::none(), py::arg("requires_grad") = false, py::arg("pin_memory") = false);
  m.def(
      "eye",
      [](py::object n, py::object mm, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
         bool requires_grad, bool pin_memory) {
        check_pin_memory(pin_memory);
        int64_t rows = int_of(n, "eye(): n");
        int64_t cols = rows;
        if (!mm.is_none()) {
          cols = int_of(mm, "eye(): m");
          RB_CHECK(cols >= 0, Error, "eye: m must be greater or equal to 0, got ", cols);
        }
        return finish(eye(rows, cols, dtype.value_or(DType::Float32), device.value_or(Device())), requires_grad);
      },
      py::arg("n"), py::arg("m") = py::none(), py::kw_only(), py::arg("dtype") = py::none(),
      py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(), py::arg("requires_grad") = false,
      py::arg("pin_memory") = false);

  // Generator.
  py::class_<Generator, GenPtr>(m, "Generator")
      .def(py::init([](std::optional<Device> device) {
             RB_CHECK(!device || device->is_cpu(), Error, "Generator: device ", device->name(),
                      " is not available in this build");
             return std::make_shared<Generator>();
           }),
           py::arg("device") = py::none())
      .def(
          "manual_seed",
          [](GenPtr g, py::object seed) {
            uint64_t s = seed_of(seed);
            std::lock_guard<std::mutex> lock(g->mutex());
            g->manual_seed(s);
            return g;
          },
          py::arg("seed"))
      .def("seed",
           [](GenPtr g) {
             uint64_t s = fresh_seed();
             std::lock_guard<std::mutex> lock(g->mutex());
             g->manual_seed(s);
             return s;
           })
      .def("initial_seed", &Generator::initial_seed)
      .def("get_state",
           [](GenPtr g) {
             std::string s;
             {
               std::lock_guard<std::mutex> lock(g->mutex());
               s = g->state();
             }
             // One element per byte (PyTorch returns a uint8 tensor; int64 is our byte-capable dtype).
             Tensor t = Tensor::empty({static_cast<int64_t>(s.size())}, DType::Int64);
             int64_t* p = t.data<int64_t>();
             for (size_t i = 0; i < s.size(); ++i) p[i] = static_cast<unsigned char>(s[i]);
             return t;
           })
      .def(
          "set_state",
          [](GenPtr g, const Tensor& state) {
            RB_CHECK(state.dtype() == DType::Int64 && state.dim() == 1, TypeError,
                     "Generator.set_state expects the 1-d int64 tensor returned by get_state(), got ",
                     dtype_name(state.dtype()), " of shape ", state.shape());
            Tensor c = state.contiguous();
            const int64_t* p = c.data<int64_t>();
            std::string s(static_cast<size_t>(c.numel()), '\0');
            for (int64_t i = 0; i < c.numel(); ++i) {
              RB_CHECK(p[i] >= 0 && p[i] < 256, Error, "Generator.set_state: invalid RNG state");
              s[static_cast<size_t>(i)] = static_cast<char>(p[i]);
            }
            std::lock_guard<std::mutex> lock(g->mutex());
            g->set_state(s);
            return g;
          },
          py::arg("new_state"))
      .def_property_readonly("device", [](const Generator&) { return Device(); })
      .def("__repr__", [](const Generator& g) {
        return str("<rosenblatt.Generator object, initial_seed=", g.initial_seed(), ">");
      });
  m.attr("default_generator") = GenPtr(&default_generator(), [](Generator*) {});  // never freed
  m.def("_fresh_seed", &fresh_seed);

  // Random creation.
  auto rand_fn = [](bool normal) {
    return [normal](py::args a, py::object size, Generator* gen, std::optional<DType> dtype, OptLayout,
                    std::optional<Device> device, bool requires_grad, bool pin_memory) {
      check_pin_memory(pin_memory);
      Shape shape = size_of(a, size, normal ? "randn" : "rand");
      DType dt = dtype.value_or(DType::Float32);
      Device dev = device.value_or(Device());
      return finish(normal ? randn(shape, gen, dt, dev) : rand(shape, gen, dt, dev), requires_grad);
    };
  };
  for (auto [name, normal] : {std::pair{"rand", false}, std::pair{"randn", true}})
    m.def(name, rand_fn(normal), py::kw_only(), py::arg("size") = py::none(), py::arg("generator") = py::none(),
          py::arg("dtype") = py::none(), py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(),
          py::arg("requires_grad") = false, py::arg("pin_memory") = false);
  // The values are drawn in the logical order and then laid out as memory_format says.
  auto rand_like_fn = [](bool normal) {
    return
        [normal](const Tensor& x, Generator* gen, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
                 bool requires_grad, bool pin_memory, std::optional<MemoryFormat> fmt) {
          check_pin_memory(pin_memory);
          DType dt = dtype.value_or(x.dtype());
          Device dev = device.value_or(x.device());
          Tensor t = normal ? randn(x.shape(), gen, dt, dev) : rand(x.shape(), gen, dt, dev);
          return finish(as_format(t, fmt.value_or(MemoryFormat::Preserve), &x), requires_grad);
        };
  };
  for (auto [name, normal] : {std::pair{"rand_like", false}, std::pair{"randn_like", true}})
    m.def(name, rand_like_fn(normal), py::arg("input"), py::kw_only(), py::arg("generator") = py::none(),
          py::arg("dtype") = py::none(), py::arg("layout") = py::none(), py::arg("device") = py::none(),
          py::arg("requires_grad") = false, py::arg("pin_memory") = false,
          py::arg("memory_format") = MemoryFormat::Preserve);
  m.def(
      "randint",
      [](py::args a, py::object size, Generator* gen, std::optional<DType> dtype, OptLayout,
         std::optional<Device> device, bool requires_grad, bool pin_memory) {
        // randint(high, size), randint(low, high, size); size may come as a keyword.
        check_pin_memory(pin_memory);
        std::vector<py::object> pos;
        for (py::handle h : a) pos.push_back(py::reinterpret_borrow<py::object>(h));
        if (!size.is_none()) pos.push_back(size);
        RB_CHECK(pos.size() == 2 || pos.size() == 3, TypeError,
                 "randint() expects (high, size) or (low, high, size), got ", pos.size(), " arguments");
        int64_t low = pos.size() == 3 ? int_of(pos[0], "randint(): low") : 0;
        int64_t high = int_of(pos[pos.size() - 2], "randint(): high");
        Shape shape = shape_from_object(pos.back());
        return finish(randint(low, high, shape, gen, dtype.value_or(DType::Int64), device.value_or(Device())),
                      requires_grad);
      },
      py::kw_only(), py::arg("size") = py::none(), py::arg("generator") = py::none(), py::arg("dtype") = py::none(),
      py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(), py::arg("requires_grad") = false,
      py::arg("pin_memory") = false);
  m.def(
      "randint_like",
      [](const Tensor& x, py::args a, py::object low_kw, py::object high_kw, Generator* gen, std::optional<DType> dtype,
         OptLayout, std::optional<Device> device, bool requires_grad, bool pin_memory,
         std::optional<MemoryFormat> fmt) {
        // randint_like(input, high) or randint_like(input, low, high).
        check_pin_memory(pin_memory);
        std::vector<py::object> pos;
        for (py::handle h : a) pos.push_back(py::reinterpret_borrow<py::object>(h));
        int64_t low = 0, high = 0;
        if (pos.size() == 2)
          low = int_of(pos[0], "low"), high = int_of(pos[1], "high");
        else if (pos.size() == 1)
          high = int_of(pos[0], "high");
        else
          RB_CHECK(pos.empty() && !high_kw.is_none(), TypeError, "randint_like() missing required argument 'high'");
        if (!low_kw.is_none()) low = int_of(low_kw, "low");
        if (!high_kw.is_none()) high = int_of(high_kw, "high");
        // drawn in the logical order, then laid out as memory_format says (as rand_like)
        Tensor t = randint(low, high, x.shape(), gen, dtype.value_or(x.dtype()), device.value_or(x.device()));
        return finish(as_format(t, fmt.value_or(MemoryFormat::Preserve), &x), requires_grad);
      },
      py::arg("input"), py::kw_only(), py::arg("low") = py::none(), py::arg("high") = py::none(),
      py::arg("generator") = py::none(), py::arg("dtype") = py::none(), py::arg("layout") = py::none(),
      py::arg("device") = py::none(), py::arg("requires_grad") = false, py::arg("pin_memory") = false,
      py::arg("memory_format") = MemoryFormat::Preserve);
  m.def(
      "randperm",
      [](py::object n, Generator* gen, std::optional<DType> dtype, OptLayout, std::optional<Device> device,
         bool requires_grad, bool pin_memory) {
        check_pin_memory(pin_memory);
        return finish(
            randperm(int_of(n, "randperm(): n"), gen, dtype.value_or(DType::Int64), device.value_or(Device())),
            requires_grad);
      },
      py::arg("n"), py::kw_only(), py::arg("generator") = py::none(), py::arg("dtype") = py::none(),
      py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(), py::arg("requires_grad") = false,
      py::arg("pin_memory") = false);
  m.def(
      "bernoulli", [](const Tensor& p, Generator* gen) { return bernoulli(p, gen); }, py::arg("input"), py::kw_only(),
      py::arg("generator") = py::none());
  auto multinomial_fn = [](const Tensor& p, int64_t n, bool replacement, Generator* gen) {
    return multinomial(p, n, replacement, gen);
  };
  m.def("multinomial", multinomial_fn, py::arg("input"), py::arg("num_samples"), py::arg("replacement") = false,
        py::kw_only(), py::arg("generator") = py::none());
  cls.def("multinomial", multinomial_fn, py::arg("num_samples"), py::arg("replacement") = false, py::kw_only(),
          py::arg("generator") = py::none());
  m.def(
      "normal",
      [](double mean, double std, py::object size, Generator* gen, std::optional<DType> dtype, OptLayout,
         std::optional<Device> device, bool requires_grad, bool pin_memory) {
        check_pin_memory(pin_memory);
        Tensor t = Tensor::empty(shape_from_object(size), dtype.value_or(DType::Float32), device.value_or(Device()));
        normal_(t, mean, std, gen);
        return finish(t, requires_grad);
      },
      py::arg("mean"), py::arg("std"), py::arg("size"), py::kw_only(), py::arg("generator") = py::none(),
      py::arg("dtype") = py::none(), py::arg("layout") = TensorLayout::Strided, py::arg("device") = py::none(),
      py::arg("requires_grad") = false, py::arg("pin_memory") = false);
  // normal(mean, std) with a tensor for either (a number for the other): drawn at the broadcast shape.
  m.def("normal", py::overload_cast<const Tensor&, const Tensor&, Generator*>(&normal), py::arg("mean"), py::arg("std"),
        py::kw_only(), py::arg("generator") = py::none(), py::call_guard<py::gil_scoped_release>());
  m.def(
      "normal",
      [](const Tensor& mean, double std, Generator* gen) {
        return normal(mean, scalar_tensor(std, mean.dtype(), mean.device()), gen);
      },
      py::arg("mean"), py::arg("std") = 1.0, py::kw_only(), py::arg("generator") = py::none(),
      py::call_guard<py::gil_scoped_release>());
  m.def(
      "normal",
      [](double mean, const Tensor& std, Generator* gen) {
        return normal(scalar_tensor(mean, std.dtype(), std.device()), std, gen);
      },
      py::arg("mean"), py::arg("std"), py::kw_only(), py::arg("generator") = py::none(),
      py::call_guard<py::gil_scoped_release>());

  // In-place random fills return self (the same Python object).
  cls.def(
      "uniform_",
      [](py::object self, double from, double to, Generator* gen) {
        uniform_(self.cast<Tensor&>(), from, to, gen);
        return self;
      },
      py::arg("from") = 0.0, py::arg("to") = 1.0, py::kw_only(), py::arg("generator") = py::none());
  cls.def(
      "normal_",
      [](py::object self, double mean, double std, Generator* gen) {
        normal_(self.cast<Tensor&>(), mean, std, gen);
        return self;
      },
      py::arg("mean") = 0.0, py::arg("std") = 1.0, py::kw_only(), py::arg("generator") = py::none());
  cls.def(
      "bernoulli_",
      [](py::object self, double p, Generator* gen) {
        bernoulli_(self.cast<Tensor&>(), p, gen);
        return self;
      },
      py::arg("p") = 0.5, py::kw_only(), py::arg("generator") = py::none());
  cls.def(
      "exponential_",
      [](py::object self, double lambd, Generator* gen) {
        exponential_(self.cast<Tensor&>(), lambd, gen);
        return self;
      },
      py::arg("lambd") = 1.0, py::kw_only(), py::arg("generator") = py::none());
  cls.def(
      "random_",
      [](py::object self, py::object from, py::object to, Generator* gen) {
        // random_() draws over the dtype's exactly representable integers; random_(to) over [0, to).
        Tensor& t = self.cast<Tensor&>();
        int64_t lo = 0, hi;
        if (to.is_none() && from.is_none()) {
          hi = t.dtype() == DType::Float32   ? (int64_t(1) << 24) + 1
               : t.dtype() == DType::Float64 ? (int64_t(1) << 53) + 1
               : t.dtype() == DType::Bool    ? 2
                                             : INT64_MAX;
        } else if (to.is_none()) {
          hi = int_of(from, "random_(): to");
        } else {
          lo = from.is_none() ? 0 : int_of(from, "random_(): from");
          hi = int_of(to, "random_(): to");
        }
        random_(t, lo, hi, gen);
        return self;
      },
      py::arg("from") = py::none(), py::arg("to") = py::none(), py::kw_only(), py::arg("generator") = py::none());
  cls.def(
      "bernoulli", [](const Tensor& p, Generator* gen) { return bernoulli(p, gen); }, py::kw_only(),
      py::arg("generator") = py::none());
}

}  // namespace rb::bind
