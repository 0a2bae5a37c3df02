"""torch.backends.cuda's flags, stored so that scripts setting them run (no-ops: this build has no
CUDA). `matmul.allow_tf32` mirrors the float32 matmul precision, as in PyTorch: True sets "high",
False sets "highest"."""

__all__ = ["cudnn_sdp_enabled", "enable_cudnn_sdp", "enable_flash_sdp", "enable_math_sdp", "enable_mem_efficient_sdp",
           "flash_sdp_enabled", "is_built", "math_sdp_enabled", "matmul", "mem_efficient_sdp_enabled"]


class _Matmul:
    """torch.backends.cuda.matmul: the cuBLAS flags; an unknown attribute raises AttributeError."""

    _flags = ("allow_fp16_reduced_precision_reduction", "allow_bf16_reduced_precision_reduction")

    def __init__(self):
        object.__setattr__(self, "_values", dict.fromkeys(self._flags, True))

    def __getattr__(self, name):
        if name == "allow_tf32":
            from . import get_float32_matmul_precision

            return get_float32_matmul_precision() != "highest"
        if name in self._flags:
            return self._values[name]
        raise AttributeError(f"Unknown attribute {name}")

    def __setattr__(self, name, value):
        if name == "allow_tf32":
            from . import set_float32_matmul_precision

            set_float32_matmul_precision("high" if value else "highest")
        elif name in self._flags:
            self._values[name] = bool(value)
        else:
            raise AttributeError(f"Unknown attribute {name}")


matmul = _Matmul()


def is_built() -> bool:
    """True when this build has the CUDA backend (rosenblatt._cuda), with or without a GPU here."""
    from .. import cuda

    return cuda._cuda is not None


# The scaled_dot_product_attention backend switches (all on, as in PyTorch): stored; the one CPU kernel
# here serves every choice.
_sdp = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}


def _sdp_switch(kind):
    """The pair torch has for each kernel: <kind>_sdp_enabled() and enable_<kind>_sdp(enabled)."""
    def is_enabled() -> bool:
        return _sdp[kind]

    def enable(enabled: bool) -> None:
        _sdp[kind] = bool(enabled)

    is_enabled.__name__, enable.__name__ = f"{kind}_sdp_enabled", f"enable_{kind}_sdp"
    return is_enabled, enable


flash_sdp_enabled, enable_flash_sdp = _sdp_switch("flash")
mem_efficient_sdp_enabled, enable_mem_efficient_sdp = _sdp_switch("mem_efficient")
math_sdp_enabled, enable_math_sdp = _sdp_switch("math")
cudnn_sdp_enabled, enable_cudnn_sdp = _sdp_switch("cudnn")
