"""Docstrings of the functions bound from C++, kept in Python as PyTorch keeps its own in _torch_docs.py, and
attached at import by _C._add_docstr (a builtin function's __doc__ is read-only).

Each area has one file (functional, torch_level, tensor, linalg) holding one string DOCS of entries:

    @@ name | kind      an entry; `kind` (optional) adds a standard Shape section, see SHAPES
    @@ name = other     an alias: other's text, its examples calling `name`

The attached text follows pybind11's signature line(s), which stay first: the reference (docs/_ext/oplist.py)
and help() read the signature from there."""
import re

from .. import _C

# The Shape sections shared by families of ops (an entry with a kind has no Shape section of its own).
SHAPES = {
    "ew": "input: ``(*)``, any shape; output: the same shape.",
    "bc": "input, other: broadcastable shapes (either may be a number); output: the broadcast shape.",
    "red": ("input: ``(*)``; output: ``input``'s shape without the reduced ``dim`` (kept with size 1 when "
            "``keepdim=True``), a 0-dim tensor when ``dim`` is None."),
    "like": "output: the shape of ``input``.",
    "size": "output: ``size``, given as integers or one sequence.",
}


_FIELD = re.compile(r"    [A-Za-z_][\w, ]*(?: \(\w+\))?:( |$)")


def _indent_shape(body):
    """Napoleon reads a Shape section as fields (`name: text`): a line that starts no field continues the one
    above, so it is indented further. (A Shape section has no blank line.)"""
    at = body.find("Shape:\n")
    if at < 0:
        return body
    at += len("Shape:\n")
    end = body.find("\n\n", at)
    end = len(body) if end < 0 else end
    lines = [ln if _FIELD.match(ln) else "    " + ln for ln in body[at:end].split("\n")]
    return body[:at] + "\n".join(lines) + body[end:]


def parse(docs, prefix="rosenblatt"):
    """{name: text} from a DOCS string; aliases resolved, Shape sections expanded."""
    entries, aliases = {}, {}
    for chunk in docs.split("\n@@ ")[1:]:
        head, _, body = chunk.partition("\n")
        if "=" in head:
            name, _, target = (s.strip() for s in head.partition("="))
            aliases[name] = target
            continue
        name, _, kind = (s.strip() for s in head.partition("|"))
        body = body.strip("\n")
        if kind:
            shape = f"Shape:\n    {SHAPES[kind]}\n\n"
            at = body.find("Example:")
            body = body[:at] + shape + body[at:] if at >= 0 else body + "\n\n" + shape.rstrip()
        entries[name] = _indent_shape(body)
    for name, target in aliases.items():
        text = entries[target].replace(f"{target}(", f"{name}(")
        entries[name] = f"Alias for :func:`{prefix}.{target}`.\n\n{text}"
    return entries


def is_bound(obj):
    """True for a function bound by pybind11 in rosenblatt._C: a builtin function, or a Tensor method (pybind11
    wraps those in an instancemethod)."""
    return (type(obj).__name__ in ("builtin_function_or_method", "instancemethod")
            and (getattr(obj, "__module__", None) or "").startswith("rosenblatt"))


def _attach(owner, docs, prefix, done):
    entries = parse(docs, prefix)
    _attach_texts(owner, entries, done)
    return entries


def _attach_texts(owner, entries, done):
    for name, text in entries.items():
        fn = getattr(owner, name, None)
        # A name that is missing or no longer bound from C++ keeps its own docstring (import must not fail);
        # tests/test_docstrings.py checks that every entry lands on a bound function.
        if not is_bound(fn) or id(fn) in done:
            continue  # (in `done`: one function under two names, native_channel_shuffle; its first text stays)
        done.add(id(fn))
        sig = (fn.__doc__ or "").rstrip()
        _C._add_docstr(fn, f"{sig}\n\n{text}\n")


def attach():
    """Gives every documented bound function its text; run once, from rosenblatt/__init__.py."""
    import rosenblatt as rb

    from . import functional, linalg, tensor, torch_level

    done = set()
    top = _attach(rb, torch_level.DOCS, "rosenblatt", done)
    _attach(rb.nn.functional, functional.DOCS, "rosenblatt.nn.functional", done)
    _attach(rb.linalg, linalg.DOCS, "rosenblatt.linalg", done)
    _attach(rb.special, linalg.SPECIAL, "rosenblatt.special", done)
    own = _attach(rb.Tensor, tensor.DOCS, "rosenblatt.Tensor", done)
    # The other Tensor methods: the method form of a documented function (x.exp() is rb.exp(x)) gets that
    # function's text under a line saying so; an in-place variant (x.exp_()) a line pointing to its method.
    derived = {n: f"The method form of :func:`rosenblatt.{n}`: ``x.{n}(...)`` is ``rosenblatt.{n}(x, ...)``.\n\n"
                  f"{text}" for n, text in top.items() if n not in own}
    derived.update({f"{n}_": f"In-place :meth:`rosenblatt.Tensor.{n}`: writes the result into the tensor and "
                             "returns it." for n in (*top, *own) if f"{n}_" not in top and f"{n}_" not in own})
    _attach_texts(rb.Tensor, derived, done)


def split(doc):
    """(signatures, text) of a bound function's __doc__: pybind11's signature lines (one, or for overloads the
    numbered list after `Overloaded function.`) and the text attached after them."""
    lines = (doc or "").strip("\n").split("\n")
    sigs, i = [], 0
    if lines and "(" in lines[0]:
        if len(lines) > 1 and lines[1].strip() == "Overloaded function.":
            i = 2
            while i < len(lines) and (not lines[i].strip() or re.match(r"\d+\. \w+\(", lines[i])):
                if lines[i].strip():
                    sigs.append(lines[i].split(". ", 1)[1])
                i += 1
        else:
            sigs, i = [lines[0]], 1
    return sigs, "\n".join(lines[i:]).strip("\n")
