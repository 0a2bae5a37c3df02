"""torch.backends.opt_einsum's flags: einsum here contracts in the order written, without the opt_einsum
package, so `enabled` and `strategy` are stored and change nothing; their defaults are PyTorch's when the
package is not installed (False, None)."""

enabled = False
strategy = None

__all__ = ["enabled", "get_opt_einsum", "is_available", "strategy"]


def is_available() -> bool:
    """False: einsum does not use the opt_einsum package."""
    return False


def get_opt_einsum() -> None:
    """None: the opt_einsum package is not used."""
    return None
