# The Summary protocol buffers SummaryWriter writes (scalars, histograms, PNG images, text, hparams),
# built with tensorboard's own protos, from rosenblatt tensors, numpy arrays or Python numbers.
import io
import struct
import zlib

import numpy as np
from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary, SummaryMetadata
from tensorboard.compat.proto.tensor_pb2 import TensorProto
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto

__all__ = ["default_bins", "histogram", "histogram_raw", "hparams", "image", "make_np", "scalar", "text"]


def make_np(x):
    """A numpy array from a rosenblatt tensor (detached), a numpy array, or a Python/numpy number."""
    if hasattr(x, "detach") and hasattr(x, "numpy"):
        return np.asarray(x.detach().numpy())
    if isinstance(x, (int, float, bool, np.generic, np.ndarray, list, tuple)):
        return np.asarray(x)
    raise NotImplementedError(f"got {type(x).__name__}, but expected a rosenblatt Tensor, a numpy array or a number")


def scalar(tag, value, new_style=False, double_precision=False):
    a = make_np(value).squeeze()
    if a.ndim != 0:
        raise AssertionError(f"Tensor should contain one element (0 dimensions). Was given size: {a.size} and "
                             f"{a.ndim} dimensions.")
    v = float(a)
    if not new_style:
        return Summary(value=[Summary.Value(tag=tag, simple_value=v)])
    proto = (TensorProto(double_val=[v], dtype="DT_DOUBLE") if double_precision
             else TensorProto(float_val=[v], dtype="DT_FLOAT"))
    smd = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="scalars"))
    return Summary(value=[Summary.Value(tag=tag, tensor=proto, metadata=smd)])


def default_bins():
    """TensorFlow's histogram bucket limits: +-1e-12 growing by 10% up to 1e20, and 0."""
    v, pos = 1e-12, []
    while v < 1e20:
        pos.append(v)
        v *= 1.1
    return [-b for b in reversed(pos)] + [0] + pos


def histogram_raw(tag, min, max, num, sum, sum_squares, bucket_limits, bucket_counts):  # noqa: A002
    hist = HistogramProto(min=min, max=max, num=num, sum=sum, sum_squares=sum_squares,
                          bucket_limit=bucket_limits, bucket=bucket_counts)
    return Summary(value=[Summary.Value(tag=tag, histo=hist)])


def histogram(tag, values, bins, max_bins=None):
    """The HistogramProto of `values` over `bins` (edges or a numpy bins argument); the empty buckets
    outside the values' support are dropped, as TensorBoard's histogram.cc does."""
    values = make_np(values).astype(np.float64).reshape(-1)
    if values.size == 0:
        raise ValueError("The input has no element.")
    counts, limits = np.histogram(values, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        sub = len(counts) // max_bins
        if len(counts) % sub:
            counts = np.pad(counts, (0, sub - len(counts) % sub))
        counts = counts.reshape(-1, sub).sum(axis=-1)
        limits = np.concatenate([limits[:-1:sub], limits[-1:]])
    nonzero = np.flatnonzero(counts)
    if nonzero.size == 0:  # every value outside the bins (np.histogram drops them)
        raise ValueError(f"add_histogram: no value of {tag!r} falls inside the bins")
    start, end = int(nonzero[0]), int(nonzero[-1]) + 1
    # TensorBoard keeps only the right edges: an empty bucket on the left carries the leftmost edge.
    counts = counts[start - 1:end] if start > 0 else np.concatenate([[0], counts[:end]])
    limits = limits[start:end + 1]
    return histogram_raw(tag, float(values.min()), float(values.max()), int(values.size), float(values.sum()),
                         float(values.dot(values)), limits.tolist(), counts.tolist())


def _to_hwc(a, dataformats):
    """An image array in `dataformats` (NCHW, NHWC, CHW, HWC, HW, ...) as (H, W, C), C in (1, 3, 4)
    widened to 3 for one channel; a batch is tiled in a grid of 8 columns (PyTorch's make_grid)."""
    fmt = dataformats.upper()
    if len(set(fmt)) != len(fmt) or set(fmt) - set("NCHW") or a.ndim != len(fmt):
        raise ValueError(f"image of shape {tuple(a.shape)} does not match dataformats {dataformats!r}")
    if len(fmt) == 4:
        a = a.transpose([fmt.find(c) for c in "NCHW"])
        if a.shape[1] == 1:
            a = np.concatenate([a, a, a], 1)
        if a.shape[1] != 3:
            raise ValueError(f"add_images: images need 1 or 3 channels, got shape {tuple(a.shape)}")
        n, _, h, w = a.shape
        cols = min(n, 8)
        rows = -(-n // cols)
        grid = np.zeros((3, h * rows, w * cols), dtype=a.dtype)
        for i in range(n):
            r, c = divmod(i, cols)
            grid[:, r * h:(r + 1) * h, c * w:(c + 1) * w] = a[i]
        return grid.transpose(1, 2, 0)
    if len(fmt) == 3:
        a = a.transpose([fmt.find(c) for c in "HWC"])
        if a.shape[2] == 1:
            a = np.concatenate([a, a, a], 2)
        if a.shape[2] not in (3, 4):
            raise ValueError(f"add_image: an image needs 1, 3 or 4 channels, got shape {tuple(a.shape)}")
        return a
    if len(fmt) == 2:
        a = a.transpose([fmt.find(c) for c in "HW"])
        return np.stack([a, a, a], 2)
    raise ValueError(f"dataformats must have 2 to 4 of the letters N, C, H, W, got {dataformats!r}")


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(hwc):
    """PNG bytes of a uint8 (H, W, C) image, C 3 (RGB) or 4 (RGBA): Pillow's encoder when it is
    installed, else a plain zlib one (no filtering)."""
    h, w, c = hwc.shape
    try:
        from PIL import Image
    except ImportError:
        raw = b"".join(b"\x00" + hwc[y].tobytes() for y in range(h))  # filter byte 0 (None) per row
        header = struct.pack(">IIBBBBB", w, h, 8, 2 if c == 3 else 6, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(raw, 6))
                + _png_chunk(b"IEND", b""))
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(hwc)).save(out, format="PNG")  # (H, W, 3): RGB, 4: RGBA
    return out.getvalue()


def image(tag, img, dataformats="NCHW"):
    """An image summary: float values in [0, 1] scaled by 255 (uint8 values as they are), clipped."""
    a = _to_hwc(make_np(img), dataformats)
    scale = 1 if a.dtype == np.uint8 else 255
    a = (a.astype(np.float32) * scale).clip(0, 255).astype(np.uint8)
    h, w, c = a.shape
    img_proto = Summary.Image(height=h, width=w, colorspace=c, encoded_image_string=encode_png(a))
    return Summary(value=[Summary.Value(tag=tag, image=img_proto)])


def text(tag, text_string):
    from tensorboard.plugins.text.plugin_data_pb2 import TextPluginData

    smd = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(
        plugin_name="text", content=TextPluginData(version=0).SerializeToString()))
    proto = TensorProto(dtype="DT_STRING", string_val=[text_string.encode("utf_8")],
                        tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]))
    return Summary(value=[Summary.Value(tag=tag + "/text_summary", metadata=smd, tensor=proto)])


def _hp_summary(tag, **content):
    from tensorboard.plugins.hparams.metadata import PLUGIN_DATA_VERSION, PLUGIN_NAME
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData

    data = HParamsPluginData(version=PLUGIN_DATA_VERSION, **content)
    smd = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name=PLUGIN_NAME,
                                                                 content=data.SerializeToString()))
    return Summary(value=[Summary.Value(tag=tag, metadata=smd)])


def hparams(hparam_dict, metric_dict, hparam_domain_discrete=None):
    """The three hparams-plugin summaries (experiment, session start, session end) of one run."""
    from google.protobuf import struct_pb2
    from tensorboard.plugins.hparams import metadata
    from tensorboard.plugins.hparams.api_pb2 import DataType, Experiment, HParamInfo, MetricInfo, MetricName, Status
    from tensorboard.plugins.hparams.plugin_data_pb2 import SessionEndInfo, SessionStartInfo

    if not isinstance(hparam_dict, dict) or not isinstance(metric_dict, dict):
        raise TypeError("hparam_dict and metric_dict should be dictionary.")
    discrete = hparam_domain_discrete or {}
    if not isinstance(discrete, dict):
        raise TypeError("parameter: hparam_domain_discrete should be a dictionary, nothing logged.")
    for k, v in discrete.items():
        if k not in hparam_dict or not isinstance(v, list) or not all(isinstance(d, type(hparam_dict[k])) for d in v):
            raise TypeError(f"parameter: hparam_domain_discrete[{k}] should be a list of same type as "
                            f"hparam_dict[{k}].")
    infos, ssi = [], SessionStartInfo()
    for k, v in hparam_dict.items():
        if v is None:
            continue
        if hasattr(v, "detach") or isinstance(v, np.ndarray):
            v = float(make_np(v).reshape(-1)[0])
        if isinstance(v, bool):  # before int: bool is an int subclass
            field, kind = "bool_value", "DATA_TYPE_BOOL"
        elif isinstance(v, (int, float)):
            field, kind = "number_value", "DATA_TYPE_FLOAT64"
        elif isinstance(v, str):
            field, kind = "string_value", "DATA_TYPE_STRING"
        else:
            raise ValueError("value should be one of int, float, str, bool, or rosenblatt.Tensor")
        setattr(ssi.hparams[k], field, v)
        domain = (struct_pb2.ListValue(values=[struct_pb2.Value(**{field: d}) for d in discrete[k]])
                  if k in discrete else None)
        infos.append(HParamInfo(name=k, type=DataType.Value(kind), domain_discrete=domain))
    exp = Experiment(hparam_infos=infos, metric_infos=[MetricInfo(name=MetricName(tag=k)) for k in metric_dict])
    return (_hp_summary(metadata.EXPERIMENT_TAG, experiment=exp),
            _hp_summary(metadata.SESSION_START_INFO_TAG, session_start_info=ssi),
            _hp_summary(metadata.SESSION_END_INFO_TAG,
                        session_end_info=SessionEndInfo(status=Status.Value("STATUS_SUCCESS"))))
