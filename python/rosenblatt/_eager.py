"""The one warning of the compiler entry points (torch.compile, torch.jit.script/trace): rosenblatt
has no compiler, so they hand back what they were given and it runs eagerly, as it would uncompiled."""
import warnings

_warned = False


def warn_no_compiler(api):
    """Warns once per process, naming the first entry point called."""
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(f"{api}: rosenblatt has no compiler; the model or function is returned unchanged "
                      "and runs eagerly", UserWarning, stacklevel=3)
