"""Recurrent layers with torch.nn's API and parameter layout: RNNCell, LSTMCell, GRUCell and the
multi-layer RNN, LSTM, GRU (bidirectional, projections, packed sequences), each run by the C++ core."""
import math
import numbers
import warnings
from typing import Any

from ... import _C
from ..._C import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

_nn = _C._nn
_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


class RNNCellBase(Module):
    """The base of RNNCell, LSTMCell and GRUCell: ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``."""

    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: Any, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        kw = {"device": device, "dtype": dtype}  # the factory refuses a device this build lacks
        self.weight_ih = Parameter(_C.empty(num_chunks * hidden_size, input_size, **kw))
        self.weight_hh = Parameter(_C.empty(num_chunks * hidden_size, hidden_size, **kw))
        if bias:
            self.bias_ih = Parameter(_C.empty(num_chunks * hidden_size, **kw))
            self.bias_hh = Parameter(_C.empty(num_chunks * hidden_size, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def _prepare(self, input, hx, name):
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None and hx.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if hx is None:
            hx = _C.zeros(input.size(0), self.hidden_size, dtype=input.dtype)
        elif not batched:
            hx = hx.unsqueeze(0)
        if hx.size(-1) != self.hidden_size:
            raise RuntimeError(f"hidden0 has inconsistent hidden_size: got {hx.size(-1)}, expected {self.hidden_size}")
        return input, hx, batched


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)``.

    Shape:
        input: ``(N, input_size)`` or ``(input_size,)``.
        hidden: ``(N, hidden_size)``, zeros when omitted.
        Output: h' ``(N, hidden_size)``.

    Example:
        >>> cell = nn.RNNCell(10, 20)
        >>> h = cell(rb.randn(3, 10))
        >>> cell(rb.randn(3, 10), h).shape
        rosenblatt.Size([3, 20])
    """

    __constants__ = ["input_size", "hidden_size", "bias", "nonlinearity"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Any = None) -> Any:
        input, hx, batched = self._prepare(input, hx, "RNNCell")
        f = _nn.rnn_tanh_cell if self.nonlinearity == "tanh" else _nn.rnn_relu_cell
        ret = f(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return ret if batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step. Returns ``(h', c')``.

    Shape:
        input: ``(N, input_size)`` or ``(input_size,)``.
        hidden: ``(N, hidden_size)``, zeros when omitted.
        cell state c: ``(N, hidden_size)``, passed as ``(h, c)``.
        Output: h', c': ``(N, hidden_size)`` each.

    Example:
        >>> cell = nn.LSTMCell(10, 20)
        >>> h, c = cell(rb.randn(3, 10))
        >>> h.shape, c.shape
        (rosenblatt.Size([3, 20]), rosenblatt.Size([3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Any = None) -> Any:
        if input.dim() not in (1, 2):
            raise ValueError(f"LSTMCell: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None:
            for h in hx:
                if h.dim() not in (1, 2):
                    raise ValueError(f"LSTMCell: Expected hx[0] to be 1D or 2D, got {h.dim()}D instead")
        h0, c0 = (None, None) if hx is None else hx
        input2, h0, batched = self._prepare(input, h0, "LSTMCell")
        _, c0, _ = self._prepare(input, c0, "LSTMCell")
        h, c = _nn.lstm_cell(input2, h0, c0, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step.

    Shape:
        input: ``(N, input_size)`` or ``(input_size,)``.
        hidden: ``(N, hidden_size)``, zeros when omitted.
        Output: h' ``(N, hidden_size)``.

    Example:
        >>> cell = nn.GRUCell(10, 20)
        >>> cell(rb.randn(3, 10)).shape
        rosenblatt.Size([3, 20])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Any = None) -> Any:
        input, hx, batched = self._prepare(input, hx, "GRUCell")
        ret = _nn.gru_cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return ret if batched else ret.squeeze(0)


class RNNBase(Module):
    """The base of RNN, LSTM and GRU: parameters ``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``,
    ``bias_hh_l{k}`` (``_reverse`` for the backward direction) in PyTorch's layout."""

    __constants__ = ["mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                     "bidirectional", "proj_size"]

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool)):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                          stacklevel=1)  # the default, made explicit (torch passes 2)
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if isinstance(input_size, int) and input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError(f"Unrecognized RNN mode: {mode}")
        gate_size = _GATES[mode] * hidden_size
        kw = {"device": device, "dtype": dtype}  # the factory refuses a device this build lacks
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                real_hidden = proj_size if proj_size > 0 else hidden_size
                layer_input = input_size if layer == 0 else real_hidden * num_directions
                w_ih = Parameter(_C.empty(gate_size, layer_input, **kw))
                w_hh = Parameter(_C.empty(gate_size, real_hidden, **kw))
                params = [w_ih, w_hh]
                if bias:
                    params += [Parameter(_C.empty(gate_size, **kw)), Parameter(_C.empty(gate_size, **kw))]
                if proj_size > 0:
                    params.append(Parameter(_C.empty(proj_size, hidden_size, **kw)))
                suffix = "_reverse" if direction == 1 else ""
                names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                if proj_size > 0:
                    names += ["weight_hr_l{}{}"]
                names = [n.format(layer, suffix) for n in names]
                for name, p in zip(names, params):
                    setattr(self, name, p)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def all_weights(self) -> Any:
        return [[getattr(self, w) for w in ws] for ws in self._all_weights]

    @property
    def _flat_weights(self):
        return [getattr(self, w) for w in self._flat_weights_names]

    def flatten_parameters(self) -> Any:
        """No-op (torch packs weights for cuDNN here)."""

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    def _layer_weights(self, layer, direction):
        suffix = "_reverse" if direction == 1 else ""
        g = lambda n: getattr(self, f"{n}_l{layer}{suffix}", None)
        return g("weight_ih"), g("weight_hh"), g("bias_ih"), g("bias_hh"), g("weight_hr")

    def _check_hidden(self, h, expected, msg="Expected hidden size {}, got {}"):
        if tuple(h.shape) != tuple(expected):
            raise RuntimeError(msg.format(tuple(expected), list(h.shape)))

    def _run(self, input, hx, cx, lengths):
        """input: (T, B, I) time-major; hx/cx: (L*D, B, *) or None. Returns output, h_n, c_n."""
        if input.dtype != self.weight_ih_l0.dtype:  # PyTorch's check_input: the dtype first, then the size
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({self.weight_ih_l0.dtype})."
                             f" Convert input: input.to({self.weight_ih_l0.dtype}), or convert model: "
                             f"model.to({input.dtype})")
        if input.size(-1) != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.size(-1)}")
        D = 2 if self.bidirectional else 1
        B = input.size(1)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if hx is not None:
            if self.mode == "LSTM":
                self._check_hidden(hx, (self.num_layers * D, B, real_hidden), "Expected hidden[0] size {}, got {}")
                self._check_hidden(cx, (self.num_layers * D, B, self.hidden_size), "Expected hidden[1] size {}, got {}")
            else:
                self._check_hidden(hx, (self.num_layers * D, B, real_hidden))
        x = input
        hs, cs = [], []
        for layer in range(self.num_layers):
            outs = []
            for d in range(D):
                k = layer * D + d
                w_ih, w_hh, b_ih, b_hh, w_hr = self._layer_weights(layer, d)
                out, h, c = _nn.rnn_layer(self.mode, x, None if hx is None else hx[k],
                                          None if cx is None else cx[k], w_ih, w_hh, b_ih, b_hh, w_hr,
                                          lengths, d == 1)
                outs.append(out)
                hs.append(h)
                if c is not None:
                    cs.append(c)
            x = outs[0] if D == 1 else _C.cat(outs, 2)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        return x, _C.stack(hs, 0), (_C.stack(cs, 0) if cs else None)

    def forward(self, input: Tensor, hx: Any = None) -> Any:
        from ..utils.rnn import PackedSequence, _packed_to_padded, _padded_to_packed
        lstm = self.mode == "LSTM"
        if lstm and hx is not None and not isinstance(hx, (tuple, list)):
            raise RuntimeError("LSTM: hx must be a tuple (h_0, c_0)")
        h0, c0 = (hx if hx is not None else (None, None)) if lstm else (hx, None)
        if isinstance(input, PackedSequence):
            padded, lengths = _packed_to_padded(input)
            if h0 is not None and input.sorted_indices is not None:
                h0 = h0.index_select(1, input.sorted_indices)
                if c0 is not None:
                    c0 = c0.index_select(1, input.sorted_indices)
            out, hn, cn = self._run(padded, h0, c0, lengths)
            if input.unsorted_indices is not None:
                hn = hn.index_select(1, input.unsorted_indices)
                if cn is not None:
                    cn = cn.index_select(1, input.unsorted_indices)
            output = _padded_to_packed(out, input)
            return (output, (hn, cn)) if lstm else (output, hn)
        name = type(self).__name__
        if input.dim() not in (2, 3):
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D tensor instead")
        batched = input.dim() == 3
        if not batched:
            input = input.unsqueeze(1)
            for i, h in enumerate((h0, c0)):
                if h is not None and h.dim() != 2:
                    what = f"hx[{i}]" if lstm else "hx"
                    raise RuntimeError(f"For unbatched 2-D input, {what} should also be 2-D but got "
                                       f"{h.dim()}-D tensor")
            h0 = None if h0 is None else h0.unsqueeze(1)
            c0 = None if c0 is None else c0.unsqueeze(1)
        else:
            for i, h in enumerate((h0, c0)):
                if h is not None and h.dim() != 3:
                    what = f"hx[{i}]" if lstm else "hx"
                    raise RuntimeError(f"For batched 3-D input, {what} should also be 3-D but got "
                                       f"{h.dim()}-D tensor")
            if self.batch_first:
                input = input.transpose(0, 1)
        if lstm and (h0 is None) != (c0 is None):
            raise RuntimeError("LSTM: h_0 and c_0 must both be given or both be None")
        out, hn, cn = self._run(input, h0, c0, None)
        if not batched:
            out, hn = out.squeeze(1), hn.squeeze(1)
            cn = None if cn is None else cn.squeeze(1)
        elif self.batch_first:
            out = out.transpose(0, 1)
        return (out, (hn, cn)) if lstm else (out, hn)


class RNN(RNNBase):
    """A multi-layer Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or ReLU with
    ``nonlinearity='relu'``).
    Returns ``(output, h_n)``.

    Shape:
        input: ``(L, N, H_in)``, or ``(N, L, H_in)`` with ``batch_first=True``, or ``(L, H_in)`` unbatched; a
            PackedSequence also works.
        h_0: ``(D * num_layers, N, H_out)`` (D = 2 if bidirectional), zeros when omitted.
        output: ``(L, N, D * H_out)`` (batch first likewise); h_n: ``(D * num_layers, N, H_out)``.

    Example:
        >>> rnn = nn.RNN(10, 20, num_layers=2)
        >>> output, h_n = rnn(rb.randn(5, 3, 10))
        >>> output.shape, h_n.shape
        (rosenblatt.Size([5, 3, 20]), rosenblatt.Size([2, 3, 20]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        if kwargs.get("proj_size", 0):
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__(mode, *args, **kwargs)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """A multi-layer long short-term memory (Hochreiter and Schmidhuber, 1997) with PyTorch's gate order (i, f, g, o)
    and parameter layout. Returns ``(output, (h_n, c_n))``; ``proj_size > 0`` projects the hidden state.

    Shape:
        input: ``(L, N, H_in)``, or ``(N, L, H_in)`` with ``batch_first=True``, or ``(L, H_in)`` unbatched; a
            PackedSequence also works.
        h_0: ``(D * num_layers, N, H_out)`` (D = 2 if bidirectional), zeros when omitted.
        c_0: ``(D * num_layers, N, hidden_size)``.
        output: ``(L, N, D * H_out)``; h_n: ``(D * num_layers, N, H_out)``; c_n:
            ``(D * num_layers, N, hidden_size)`` (H_out = proj_size or hidden_size).

    Example:
        >>> lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)
        >>> output, (h_n, c_n) = lstm(rb.randn(3, 5, 10))
        >>> output.shape, h_n.shape, c_n.shape
        (rosenblatt.Size([3, 5, 20]), rosenblatt.Size([2, 3, 20]), rosenblatt.Size([2, 3, 20]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)


class GRU(RNNBase):
    """A multi-layer gated recurrent unit (Cho et al., 2014) with PyTorch's gate order (r, z, n). Returns
    ``(output, h_n)``.

    Shape:
        input: ``(L, N, H_in)``, or ``(N, L, H_in)`` with ``batch_first=True``, or ``(L, H_in)`` unbatched; a
            PackedSequence also works.
        h_0: ``(D * num_layers, N, H_out)`` (D = 2 if bidirectional), zeros when omitted.
        output: ``(L, N, D * H_out)`` (batch first likewise); h_n: ``(D * num_layers, N, H_out)``.

    Example:
        >>> gru = nn.GRU(10, 20, bidirectional=True)
        >>> output, h_n = gru(rb.randn(5, 3, 10))
        >>> output.shape, h_n.shape
        (rosenblatt.Size([5, 3, 40]), rosenblatt.Size([2, 3, 20]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("proj_size", 0):
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)
