"""rosenblatt.return_types: the named tuples that ops return, with torch.return_types' names and fields.

The one place these types are made: the C++ bindings look them up here (max, sort, linalg_qr ...), so
``type(rb.max(x, 1)).__name__ == "max"`` and it prints as torch's, field per line. Imports nothing of
rosenblatt, because the extension imports it while ``rosenblatt`` itself is still loading.
"""
import collections

# torch.return_types' public types and their fields (PyTorch 2.x), in its order.
_FIELDS = {
    "aminmax": "min max",
    "cummax": "values indices",
    "cummin": "values indices",
    "frexp": "mantissa exponent",
    "geqrf": "a tau",
    "histogram": "hist bin_edges",
    "histogramdd": "hist bin_edges",
    "kthvalue": "values indices",
    "linalg_cholesky_ex": "L info",
    "linalg_eig": "eigenvalues eigenvectors",
    "linalg_eigh": "eigenvalues eigenvectors",
    "linalg_inv_ex": "inverse info",
    "linalg_ldl_factor": "LD pivots",
    "linalg_ldl_factor_ex": "LD pivots info",
    "linalg_lstsq": "solution residuals rank singular_values",
    "linalg_lu": "P L U",
    "linalg_lu_factor": "LU pivots",
    "linalg_lu_factor_ex": "LU pivots info",
    "linalg_qr": "Q R",
    "linalg_slogdet": "sign logabsdet",
    "linalg_solve_ex": "result info",
    "linalg_svd": "U S Vh",
    "lu_unpack": "P L U",
    "max": "values indices",
    "median": "values indices",
    "min": "values indices",
    "mode": "values indices",
    "nanmedian": "values indices",
    "qr": "Q R",
    "slogdet": "sign logabsdet",
    "sort": "values indices",
    "svd": "U S V",
    "topk": "values indices",
    "triangular_solve": "solution cloned_coefficient",
}


def _repr(self):
    # torch's structseq repr: the type's full name, then one field per line.
    body = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
    return f"{__name__}.{type(self).__name__}(\n{body})"


def _new(cls, *args, **kwargs):
    # torch builds these from one sequence, max((values, indices)); the field-per-argument form stays too.
    if len(args) == 1 and not kwargs and cls.n_fields > 1:
        args = tuple(args[0])
    return cls._base.__new__(cls, *args, **kwargs)


def _make(name, fields):
    base = collections.namedtuple(name, fields)
    n = len(base._fields)
    return type(name, (base,), {
        "__slots__": (), "__module__": __name__, "__qualname__": name, "__repr__": _repr, "__str__": _repr,
        "__new__": _new, "_base": base, "n_fields": n, "n_sequence_fields": n, "n_unnamed_fields": 0,
    })


for _name, _fields in _FIELDS.items():
    globals()[_name] = _make(_name, _fields)

all_return_types = [globals()[n] for n in _FIELDS]
__all__ = [*_FIELDS, "all_return_types"]
