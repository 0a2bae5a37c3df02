"""rosenblatt.nn: modules, parameters, initializations and functional ops with torch.nn's API,
so scripts and state_dicts move between the two libraries."""
from . import functional, init, parallel, utils  # noqa: F401
from .modules import (  # noqa: F401
    CELU,
    ELU,
    GELU,
    GLU,
    SELU,
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    BCELoss,
    BCEWithLogitsLoss,
    Bilinear,
    Conv1d,
    Conv2d,
    ConvTranspose1d,
    ConvTranspose2d,
    CosineEmbeddingLoss,
    CosineSimilarity,
    CrossEntropyLoss,
    Dropout,
    Flatten,
    GaussianNLLLoss,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    HingeEmbeddingLoss,
    HuberLoss,
    Identity,
    KLDivLoss,
    L1Loss,
    LeakyReLU,
    Linear,
    LogSigmoid,
    LogSoftmax,
    MarginRankingLoss,
    MaxPool1d,
    MaxPool2d,
    MaxUnpool2d,
    Mish,
    Module,
    ModuleDict,
    ModuleList,
    MSELoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    NLLLoss,
    PairwiseDistance,
    ParameterDict,
    ParameterList,
    PoissonNLLLoss,
    PReLU,
    ReLU,
    ReLU6,
    Sequential,
    Sigmoid,
    SiLU,
    SmoothL1Loss,
    SoftMarginLoss,
    Softmax,
    Softmin,
    Softplus,
    Softsign,
    Step,
    Tanh,
    Threshold,
    TripletMarginLoss,
    Unflatten,
)
from .modules.attention import MultiheadAttention  # noqa: F401
from .modules.batchnorm import BatchNorm1d, BatchNorm2d  # noqa: F401
from .modules.dropout import Dropout2d  # noqa: F401
from .modules.instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d  # noqa: F401
from .modules.normalization import GroupNorm, LayerNorm, RMSNorm  # noqa: F401
from .modules.padding import ConstantPad1d, ConstantPad2d, ConstantPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d  # noqa: F401
from .modules.pixelshuffle import PixelShuffle, PixelUnshuffle  # noqa: F401
from .modules.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase  # noqa: F401
from .modules.sparse import Embedding, EmbeddingBag  # noqa: F401
from .modules.syncbatchnorm import SyncBatchNorm  # noqa: F401
from .modules.transformer import (  # noqa: F401
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)
from .modules.upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d  # noqa: F401
from .parameter import Buffer, Parameter  # noqa: F401
