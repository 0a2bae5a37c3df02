"""The exceptions rosenblatt.onnx.export raises, named as torch.onnx.errors' so callers catch the same
types: an op with no ONNX mapping, and an export that cannot be done for another reason."""


class OnnxExporterError(RuntimeError):
    """An export failed: the model or its arguments cannot be written as an ONNX graph."""


class UnsupportedOperatorError(OnnxExporterError):
    """An op the model ran has no ONNX mapping (its name is in the message and in .name)."""

    def __init__(self, name, opset_version=None, reason=None):
        self.name = name
        where = f" to ONNX opset version {opset_version}" if opset_version is not None else " to ONNX"
        msg = f"Exporting the operator '{name}'{where} is not supported"
        super().__init__(msg + (f": {reason}" if reason else ". Please open a feature request."))
