"""The `rb-api` directive: documents every public name of a rosenblatt module, so the reference cannot miss
one. Python classes and functions go through autodoc; functions bound from C++ (rosenblatt._C) get an entry
with the signature(s) pybind11 records, since their argument names and defaults are written once, in C++, and
the text rosenblatt/_docs attaches to them (napoleon's Google style, as the Python docstrings)."""
import importlib
import inspect
import re

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


def public_names(module):
    """The names a user reaches in `module`: its __all__, or its non-underscore attributes that are
    classes or callables (submodules excluded)."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    out = []
    for n in names:
        obj = getattr(module, n, None)
        if obj is None or inspect.ismodule(obj):
            continue
        if inspect.isclass(obj) or callable(obj):
            out.append(n)
    return sorted(set(out), key=str.lower)


def is_bound(obj):
    """True for a function or class defined in C++ (pybind11), which autodoc cannot split into sections."""
    mod = getattr(obj, "__module__", "") or ""
    return mod.startswith("rosenblatt._C") or type(obj).__name__ in ("builtin_function_or_method",)


def bound_signature(name, obj):
    """The first line of a pybind11 docstring (`name(arg: type = default) -> ret`), or `name(...)`."""
    doc = (getattr(obj, "__doc__", None) or "").strip().splitlines()
    first = doc[0] if doc else ""
    if "(" in first:
        return name + first[first.index("("):]
    return f"{name}(...)"


def _clean(sig):
    """A pybind11 signature without the module paths of its types: Tensor, not rosenblatt._C.Tensor."""
    return re.sub(r"\b(?:rosenblatt\._C\.|typing\.|builtins\.|collections\.abc\.)", "", sig)


def bound_entry(qualname, obj, config, what="function", indent=""):
    """The reST of one bound function: a py:function (or py:method) with every overload's signature, then its
    text converted from Google style by napoleon. Returns (lines, documented)."""
    from sphinx.ext.napoleon.docstring import GoogleDocstring

    from rosenblatt._docs import split

    sigs, text = split(obj.__doc__)
    name = qualname.rsplit(".", 1)[-1]
    own = getattr(obj, "__name__", name)  # F.logsigmoid is bound as log_sigmoid: the signature says the public name
    sigs = [name + _clean(s)[len(own):] for s in sigs if s.startswith(own + "(")] or [f"{name}(...)"]
    prefix = qualname[: -len(name)]
    head = f"{indent}.. py:{what}:: "
    lines = [head + prefix + sigs[0]] + [" " * len(head) + prefix + s for s in sigs[1:]]
    body = GoogleDocstring(text, config, what=what).lines() if text else []
    lines += [""] + [f"{indent}   {ln}" if ln else "" for ln in body] + [""]
    return lines, bool(text)


def _group(obj):
    mod = getattr(obj, "__module__", "") or ""
    return mod.rsplit(".", 1)[-1]


class RbApi(SphinxDirective):
    required_arguments = 1
    option_spec = {"names": directives.unchanged, "exclude": directives.unchanged, "group": directives.flag}
    has_content = False

    def run(self):
        modname = self.arguments[0]
        try:
            module = importlib.import_module(modname)
        except ImportError as e:  # a module over an optional package (utils.tensorboard): say so on the page
            note = nodes.paragraph(text=f"The reference of {modname} is built where its optional dependency is "
                                        f"installed; this build could not import it ({e}).")
            return [note]
        names = self.options.get("names")
        names = names.split() if names else public_names(module)
        exclude = set((self.options.get("exclude") or "").split())
        names = [n for n in names if n not in exclude]
        python_objs, bound = [], []
        for n in names:
            obj = getattr(module, n)
            (bound if is_bound(obj) else python_objs).append((n, obj))
        lines = []
        if "group" in self.options:
            groups = {}
            for n, obj in python_objs:
                groups.setdefault(_group(obj), []).append((n, obj))
            ordered = sorted(groups.items())
        else:
            ordered = [(None, python_objs)]
        for title, items in ordered:
            if title is not None:
                lines += [title, "-" * len(title), ""]
            for n, obj in items:
                kind = "autoclass" if inspect.isclass(obj) else "autofunction"
                lines += [f".. {kind}:: {modname}.{n}", ""]
                if kind == "autoclass":
                    lines += ["   :members:", ""]
        if bound:
            title = "Bound from C++"
            lines += [title, "-" * len(title), "",
                      "These are the C++ functions themselves (``rosenblatt._C``); their signatures and defaults "
                      "are PyTorch's, written once in ``cpp/bindings``.", ""]
            for n, obj in bound:
                if inspect.isclass(obj):
                    lines += self.bound_class(modname, n, obj)
                else:
                    lines += bound_entry(f"{modname}.{n}", obj, self.env.config)[0]
        node = nodes.section() if "group" in self.options else nodes.container()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="rb-api"), node)
        return node.children


    def bound_class(self, modname, name, cls):
        """A class bound from C++ (Tensor, dtype, device): its documented methods get entries, the others a list
        of names; methods written in Python go through autodoc."""
        lines = [f".. py:class:: {modname}.{name}", ""]
        doc = (cls.__doc__ or "").strip()
        if doc:
            lines += [f"   {ln}" for ln in doc.splitlines()] + [""]
        rest = []
        for m in sorted((m for m in dir(cls) if not m.startswith("_")), key=str.lower):
            attr = getattr(cls, m)
            if inspect.isfunction(attr):
                lines += [f".. automethod:: {modname}.{name}.{m}", ""]
            elif type(attr).__name__ in ("builtin_function_or_method", "instancemethod"):
                entry, documented = bound_entry(f"{modname}.{name}.{m}", attr, self.env.config, "method")
                if documented:
                    lines += entry
                else:
                    rest.append(m)
            else:
                rest.append(m)
        if rest:
            lines += [f"Other members of ``{name}``: " + ", ".join(f"``{m}``" for m in rest) + ".", ""]
        return lines


def setup(app):
    app.add_directive("rb-api", RbApi)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
