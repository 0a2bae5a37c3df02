"""rosenblatt.special: the few torch.special functions real scripts call (xlogy, entr, sinc, logsumexp),
bound in C++ (cpp/ops/composite_math.cpp)."""
from ._C import _special

xlogy = _special.xlogy  # (input, other): input * log(other), 0 where input == 0
entr = _special.entr  # (input): -x * log(x), 0 at 0, -inf below
sinc = _special.sinc  # (input)
logsumexp = _special.logsumexp  # (input, dim, keepdim=False)

__all__ = ["entr", "logsumexp", "sinc", "xlogy"]
