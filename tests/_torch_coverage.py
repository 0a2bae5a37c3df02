"""What PyTorch has and rosenblatt lacks, computed from the installed torch: shared by tests/test_docs.py
(which checks docs/differences.rst against it) and by whoever updates that page (python tests/_torch_coverage.py)."""
import inspect

# torch.nn.functional's public helpers that are not functions of tensors
_F_HELPERS = {"assert_int_or_pair", "boolean_dispatch", "handle_torch_function", "has_torch_function",
              "has_torch_function_unary", "has_torch_function_variadic"}


def torch_names(torch):
    """{'torch.nn': the Module classes of torch.nn.modules.__all__, 'torch.nn.functional': its public
    functions, 'torch.optim': the Optimizer classes of torch.optim.__all__, 'torch.optim.lr_scheduler': its
    __all__}."""
    nn_modules = {n for n in torch.nn.modules.__all__
                  if inspect.isclass(getattr(torch.nn, n, None)) and issubclass(getattr(torch.nn, n), torch.nn.Module)}
    F = torch.nn.functional
    functional = {n for n in dir(F) if not n.startswith("_") and n not in _F_HELPERS
                  and (inspect.isfunction(getattr(F, n)) or inspect.isbuiltin(getattr(F, n)))}
    optimizers = {n for n in torch.optim.__all__
                  if inspect.isclass(getattr(torch.optim, n, None)) and issubclass(getattr(torch.optim, n),
                                                                                     torch.optim.Optimizer)}
    return {"torch.nn": nn_modules, "torch.nn.functional": functional, "torch.optim": optimizers,
            "torch.optim.lr_scheduler": set(torch.optim.lr_scheduler.__all__)}


def rosenblatt_module(rb, torch_module_name):
    """rosenblatt's counterpart of a torch module name."""
    return {"torch.nn": rb.nn, "torch.nn.functional": rb.nn.functional, "torch.optim": rb.optim,
            "torch.optim.lr_scheduler": rb.optim.lr_scheduler}[torch_module_name]


def missing(torch, rb):
    """{torch module name: sorted names it has that rosenblatt's counterpart lacks}."""
    return {mod: sorted(n for n in names if not hasattr(rosenblatt_module(rb, mod), n))
            for mod, names in torch_names(torch).items()}


def _main():
    """Prints the page's lists, to paste into docs/differences.rst after a module is added."""
    import torch

    import rosenblatt

    for mod, names in missing(torch, rosenblatt).items():
        print(f".. rb-missing-begin: {mod}\n")
        print(", ".join(f"``{n}``" for n in names) if names else "(none)")
        print("\n.. rb-missing-end\n")


if __name__ == "__main__":
    _main()
