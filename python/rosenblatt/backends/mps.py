"""torch.backends.mps's queries: this build has no Metal backend."""

__all__ = ["is_available", "is_built"]


def is_available() -> bool:
    return False


def is_built() -> bool:
    return False
