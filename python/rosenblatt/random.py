"""Seeding and RNG state of the default Generator (PyTorch's torch.random): manual_seed, seed,
initial_seed, get_rng_state/set_rng_state and fork_rng."""
import contextlib
from typing import Any, Iterator

from . import _C

Generator = _C.Generator
default_generator = _C.default_generator


def manual_seed(seed: int) -> _C.Generator:
    """Seeds the default generator and returns it."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seeds the default generator with a non-deterministic number and returns that number."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the default generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state() -> Any:
    """The default generator's state as a tensor (pass it to set_rng_state)."""
    return default_generator.get_state()


def set_rng_state(new_state: Any) -> None:
    """Restores a state returned by get_rng_state()."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True) -> Iterator[None]:
    """Restores the default generator's state on exit, so draws inside do not disturb the stream."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
           "set_rng_state", "fork_rng"]
