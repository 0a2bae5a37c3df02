# save_image_grid: a PNG of a batch of images (samples of a generator, a dataset's first rows), tiled
# in a grid; needs Pillow (the [viz] extra).
from typing import Any

import numpy as np

__all__ = ["save_image_grid"]


def save_image_grid(images: Any, path: Any, nrow: Any = 8, padding: Any = 2, value_range: Any = None,
                    pad_value: Any = 0.0) -> Any:
    """Writes images (N, C, H, W) or (N, H, W), C in {1, 3}, as one PNG grid of `nrow` images per
    row at `path`, and returns the path. value_range=(lo, hi) maps lo..hi to black..white
    (clipped). By default: (0, 1) when the values lie in [0, 1], (-1, 1) when they lie in [-1, 1]
    (a tanh generator's output), else the batch's min..max.
    Tensors or numpy arrays. Needs Pillow (pip install rosenblatt[viz])."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("save_image_grid needs Pillow: pip install rosenblatt[viz] (or pip install Pillow)") from None
    if hasattr(images, "detach"):
        images = images.detach().numpy()
    a = np.asarray(images, dtype=np.float64)
    if a.ndim == 3:
        a = a[:, None]
    if a.ndim != 4 or a.shape[1] not in (1, 3) or a.shape[0] == 0:
        raise ValueError(f"save_image_grid: images must be (N, C, H, W) with C in (1, 3) or (N, H, W), N > 0; "
                         f"got shape {np.shape(images)}")
    if not isinstance(nrow, int) or nrow < 1:
        raise ValueError(f"save_image_grid: nrow must be a positive integer, got {nrow!r}")
    if value_range is None:
        lo, hi = float(a.min()), float(a.max())
        value_range = ((-1.0, 1.0) if lo < 0 and lo >= -1 and hi <= 1
                       else (0.0, 1.0) if lo >= 0 and hi <= 1 else (lo, hi))
    lo, hi = value_range
    a = np.clip((a - lo) / max(hi - lo, 1e-12), 0.0, 1.0)
    n, c, h, w = a.shape
    cols = min(nrow, n)
    rows = -(-n // cols)
    grid = np.full((c, rows * (h + padding) + padding, cols * (w + padding) + padding), float(pad_value))
    for i in range(n):
        r, k = divmod(i, cols)
        y, x = padding + r * (h + padding), padding + k * (w + padding)
        grid[:, y:y + h, x:x + w] = a[i]
    pixels = np.round(grid * 255).astype(np.uint8)
    img = Image.fromarray(pixels[0], mode="L") if c == 1 else Image.fromarray(pixels.transpose(1, 2, 0), mode="RGB")
    img.save(path, format="PNG")
    return path
