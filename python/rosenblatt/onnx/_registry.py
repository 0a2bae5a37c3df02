"""The table from a traced op's key ("Tensor.reshape", "nn.conv2d", "cat") to its ONNX mapping, filled by
the @op decorator in the _sym_* files: each mapping's signature is the C++ op's, so calls bind to it."""
import inspect

TABLE = {}


def op(*keys):
    def deco(fn):
        sig = inspect.signature(fn)
        sig = sig.replace(parameters=list(sig.parameters.values())[2:])  # drop (g, r)
        for k in keys:
            TABLE[k] = (fn, sig)
        return fn

    return deco
