"""rosenblatt.utils: data loading (utils.data), as torch.utils."""
from . import data as data
from .image import save_image_grid as save_image_grid

__all__ = ["data", "save_image_grid"]  # and tensorboard, imported on first use


def __getattr__(name):
    # utils.tensorboard needs the optional tensorboard package: imported on first use only
    if name == "tensorboard":
        import importlib

        return importlib.import_module(".tensorboard", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
