"""rosenblatt.onnx: export(model, args, f, ...) writes a model as an ONNX graph, with torch.onnx.export's
signature. Needs the onnx package (the [onnx] extra); importing this module does not."""
import enum

from . import errors  # noqa: F401
from .errors import OnnxExporterError, UnsupportedOperatorError  # noqa: F401

__all__ = ["export", "errors", "OnnxExporterError", "UnsupportedOperatorError", "TrainingMode"]


# torch.onnx.export's keyword arguments that change nothing here
_TORCH_OPTIONS = {"operator_export_type", "custom_opsets", "export_modules_as_functions", "autograd_inlining",
                  "external_data", "dynamic_shapes", "custom_translation_table", "report", "optimize", "verify",
                  "profile", "dump_exported_program", "artifacts_dir"}


class TrainingMode(enum.IntEnum):
    """The model's mode while it is traced, as torch.onnx.TrainingMode."""

    EVAL = 0
    PRESERVE = 1
    TRAINING = 2


def export(model, args=(), f=None, *, kwargs=None, verbose=None, input_names=None, output_names=None,
           opset_version=None, export_params=True, keep_initializers_as_inputs=False, dynamic_axes=None,
           training=TrainingMode.EVAL, do_constant_folding=True, dynamo=False, **torch_options):
    """Traces ``model(*args, **kwargs)`` and writes the ops it ran as an ONNX graph to f (a path or a binary
    file object; None writes nothing). Returns the onnx.ModelProto.

    Parameters and buffers become initializers named by their state_dict keys; ops on constants only are
    folded into initializers. dynamic_axes ({name: {axis: "dim"}} or {name: [axes]}) makes those sizes
    symbolic: the model is traced a second time with each of them one larger, and sizes that follow them
    are written as computed. The model runs in eval mode (TrainingMode.EVAL) and its mode is restored
    afterwards. An op with no ONNX mapping raises errors.UnsupportedOperatorError naming it.

    Constants are always folded (do_constant_folding is accepted for torch's signature); dynamo and torch's
    other options (operator_export_type, custom_opsets, optimize, ...) are accepted and have no effect.
    """
    unknown = set(torch_options) - _TORCH_OPTIONS
    if unknown:
        raise TypeError(f"export() got unexpected keyword arguments {sorted(unknown)}")
    if torch_options.get("dynamic_shapes") is not None:
        raise ValueError("dynamic_shapes (torch.export's form) is not supported: give dynamic_axes instead")
    try:
        import onnx  # noqa: F401
    except ImportError as e:
        raise ImportError("rosenblatt.onnx.export needs the onnx package: pip install rosenblatt[onnx]") from e
    from ._export import export_model

    return export_model(model, args, f, kwargs=kwargs, input_names=input_names, output_names=output_names,
                        opset_version=opset_version, export_params=export_params,
                        keep_initializers_as_inputs=keep_initializers_as_inputs, dynamic_axes=dynamic_axes,
                        training=TrainingMode(int(training) if not isinstance(training, bool) else 2 * training),
                        verbose=verbose)
