"""rosenblatt.utils: data loading (utils.data) and cmake_prefix_path (the C++ package), as torch.utils."""
from . import data  # noqa: F401
from ._cmake import cmake_prefix_path  # noqa: F401,E402
from .image import save_image_grid  # noqa: F401,E402
