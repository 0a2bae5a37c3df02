"""The recurrent layer op (one layer, one direction of nn.RNN/LSTM/GRU) as ONNX RNN/LSTM/GRU, with the
weights' gate order converted: PyTorch's LSTM gates are i,f,g,o and ONNX's i,o,f,c; GRU's r,z,n and z,r,h."""
import numpy as np

from ._registry import op
from .errors import UnsupportedOperatorError

_ORDER = {"LSTM": [0, 3, 1, 2], "GRU": [1, 0, 2], "RNN_TANH": [0], "RNN_RELU": [0]}


def _gates(a, order):
    """Rows of a (gates*H, ...) array in ONNX's gate order, with the direction axis in front."""
    parts = np.split(a, len(order), axis=0)
    return np.concatenate([parts[i] for i in order], axis=0)[None]


@op("nn.rnn_layer")
def rnn_layer(g, r, mode, input, hx, cx, w_ih, w_hh, b_ih=None, b_hh=None, w_hr=None, lengths=None, reverse=False):
    """input (T, B, I) time-major; hx, cx (B, H) or None -> out (T, B, H), h (B, H)[, c (B, H)]."""
    if w_hr is not None or lengths is not None:
        raise UnsupportedOperatorError(f"{mode} with {'proj_size' if w_hr is not None else 'packed sequences'}",
                                       g.opset)
    if not all(w is None or w.is_const for w in (w_ih, w_hh, b_ih, b_hh)):
        raise UnsupportedOperatorError(f"{mode} with weights computed from the inputs", g.opset)
    order = _ORDER[mode]
    hidden = w_hh.shape[1]
    W, R = g.const(_gates(w_ih.array, order)), g.const(_gates(w_hh.array, order))
    zeros = np.zeros(len(order) * hidden, dtype=w_ih.dtype)
    bias = np.concatenate([_gates(b if b is not None else zeros, order)[0]
                           for b in (None if b_ih is None else b_ih.array, None if b_hh is None else b_hh.array)])
    B = g.const(bias[None])
    h0 = None if hx is None else g.op("Unsqueeze", hx, g.ints([0]))
    attrs = {"hidden_size": hidden, "direction": "reverse" if reverse else "forward"}
    if mode == "LSTM":
        c0 = None if cx is None else g.op("Unsqueeze", cx, g.ints([0]))
        y, yh, yc = g.op("LSTM", input, W, R, B, None, h0, c0, outputs=3, **attrs)
    elif mode == "GRU":
        y, yh = g.op("GRU", input, W, R, B, None, h0, outputs=2, linear_before_reset=1, **attrs)
        yc = None
    else:
        act = "Tanh" if mode == "RNN_TANH" else "Relu"
        y, yh = g.op("RNN", input, W, R, B, None, h0, outputs=2, activations=[act], **attrs)
        yc = None
    outs = [g.op("Squeeze", y, g.ints([1])), g.op("Squeeze", yh, g.ints([0]))]
    if yc is not None:
        outs.append(g.op("Squeeze", yc, g.ints([0])))
    return outs
