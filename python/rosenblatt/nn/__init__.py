"""rosenblatt.nn: modules, parameters, initializations and functional ops with torch.nn's API,
so scripts and state_dicts move between the two libraries."""
from .parameter import Buffer, Parameter  # noqa: F401
from .modules import (  # noqa: F401
    BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, Dropout, ELU, Flatten, HuberLoss, Identity, L1Loss,
    LeakyReLU, Linear, LogSoftmax, Module, ModuleDict, ModuleList, MSELoss, NLLLoss, ReLU, Sequential,
    Sigmoid, SmoothL1Loss, Softmax, Step, Tanh)
from . import functional, init, utils  # noqa: F401
from .modules.rnn import GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, RNNCellBase  # noqa: F401
