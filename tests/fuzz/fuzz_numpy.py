"""atheris target: rb.from_numpy, rb.tensor and rb.from_dlpack on numpy arrays of any dtype, shape and
strides built from the fuzz bytes (transposed, stepped, negative-stepped, broadcast, read-only, unaligned).

An array rosenblatt takes must come back with the same values (t.numpy() == a); one it does not take raises
TypeError, ValueError, RuntimeError or BufferError. Run: python tests/fuzz/fuzz_numpy.py -max_total_time=30"""
import sys
import warnings

import atheris

with atheris.instrument_imports(include=["rosenblatt"]):
    import numpy as np

    import rosenblatt as rb

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool", "uint16", "uint32",
          "uint64", "complex64", ">f4", ">i8", "<U3", "O", "V4", "datetime64[s]"]
ALLOWED = (TypeError, ValueError, RuntimeError, BufferError)


def build(fdp):
    """An array from the bytes: its dtype, a base buffer, then views that numpy itself checks."""
    dtype = np.dtype(DTYPES[fdp.ConsumeIntInRange(0, len(DTYPES) - 1)])
    shape = [fdp.ConsumeIntInRange(0, 5) for _ in range(fdp.ConsumeIntInRange(0, 4))]
    n = int(np.prod(shape)) if shape else 1
    offset = fdp.ConsumeIntInRange(0, 3)  # an unaligned start
    raw = fdp.ConsumeBytes(n * dtype.itemsize + offset).ljust(n * dtype.itemsize + offset, b"\0")
    if dtype.kind == "O":
        a = np.array([None] * n, dtype=object).reshape(shape)
    else:
        a = np.frombuffer(raw, dtype=np.uint8)[offset:].view(dtype).reshape(shape).copy() \
            if fdp.ConsumeBool() else np.frombuffer(raw, dtype=np.uint8)[offset:].view(dtype).reshape(shape)
    for _ in range(fdp.ConsumeIntInRange(0, 3)):
        op = fdp.ConsumeIntInRange(0, 3)
        if op == 0 and a.ndim >= 2:
            a = np.swapaxes(a, 0, a.ndim - 1)
        elif op == 1 and a.ndim:
            d = fdp.ConsumeIntInRange(0, a.ndim - 1)
            step = fdp.ConsumeIntInRange(1, 3) * (-1 if fdp.ConsumeBool() else 1)
            a = a[(slice(None),) * d + (slice(None, None, step),)]
        elif op == 2 and a.ndim and a.shape[-1]:  # a zero stride
            a = np.broadcast_to(a[..., :1], a.shape[:-1] + (fdp.ConsumeIntInRange(0, 3),))
        elif op == 3:
            a = a[None]
    return a


def test_one_input(data):
    fdp = atheris.FuzzedDataProvider(data)
    a = build(fdp)
    how = fdp.ConsumeIntInRange(0, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # read-only arrays are shared with a warning
        try:
            t = (rb.from_numpy, rb.tensor, rb.from_dlpack)[how](a)
        except ALLOWED:
            return
    got = t.numpy()  # the same shape and values (NaN where a has NaN), whichever path took it
    assert got.shape == a.shape, (got.shape, a.shape, how)
    np.testing.assert_array_equal(got, a)

if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
