"""rosenblatt.utils.tensorboard: SummaryWriter, torch.utils.tensorboard's API, writing TensorBoard
event files through the tensorboard package (pip install rosenblatt[tensorboard])."""
try:
    import tensorboard  # noqa: F401
except ImportError:
    raise ImportError("rosenblatt.utils.tensorboard needs the tensorboard package: pip install rosenblatt[tensorboard] "
                      "(or pip install tensorboard)") from None

from .writer import FileWriter as FileWriter
from .writer import SummaryWriter as SummaryWriter

__all__ = ["FileWriter", "SummaryWriter"]
