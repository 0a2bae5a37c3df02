"""rosenblatt.utils: data loading (utils.data) and cmake_prefix_path (the C++ package), as torch.utils."""
from . import data as data
from ._cmake import cmake_prefix_path as cmake_prefix_path
from .image import save_image_grid as save_image_grid

__all__ = ["cmake_prefix_path", "data", "save_image_grid"]  # and tensorboard, imported on first use


def __getattr__(name):
    # utils.tensorboard needs the optional tensorboard package: imported on first use only
    if name == "tensorboard":
        import importlib

        return importlib.import_module(".tensorboard", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
