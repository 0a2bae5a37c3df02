"""The command line: `python -m rosenblatt demo` trains an MLP and a CNN on the bundled digits;
`info` prints the build configuration; `docs` builds the documentation site from a checkout. Also installed as
the `rosenblatt` console script."""
import argparse
import json
import os
import sys
import time


def _info(args):
    import rosenblatt as rb

    rb.show_config()
    return 0


VAL_FRACTION = 0.2  # of the 1438 training images: 1151 train, 287 validation


def _models(nn, hidden):
    """The two demo models: an MLP on the 64 pixels, and a small CNN on the 1x8x8 image."""
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    cnn = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 32 x 4 x 4
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 64 x 2 x 2
        nn.Flatten(), nn.Linear(256, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    return {"mlp": (f"64-{hidden}-10 ReLU MLP", mlp), "cnn": ("Conv(32)-Pool-Conv(64)-Pool-MLP CNN", cnn)}


def _demo(args):
    import rosenblatt as rb
    from rosenblatt import nn, optim
    from rosenblatt.utils.data import DataLoader, TensorDataset, random_split

    if args.threads:
        rb.set_num_threads(args.threads)
    rb.manual_seed(args.seed)
    x_train, y_train = rb.datasets.load_digits("train")
    x_test, y_test = rb.datasets.load_digits("test")
    gen = rb.Generator().manual_seed(args.seed)
    # A validation set split off the training images watches the epochs; the test images are
    # scored once, after training, so nothing is chosen on them.
    train_set, val_set = random_split(TensorDataset(x_train, y_train), [1 - VAL_FRACTION, VAL_FRACTION],
                                      generator=rb.Generator().manual_seed(args.seed))
    train = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, generator=gen)
    val = DataLoader(val_set, batch_size=256)
    test = DataLoader(TensorDataset(x_test, y_test), batch_size=256)
    os.makedirs(args.out, exist_ok=True)
    print(f"rosenblatt {rb.__version__}: the bundled digits, {len(train_set)} train / {len(val_set)} validation / "
          f"{len(y_test)} test images of 8x8; Adam lr={args.lr}, batch {args.batch_size}, "
          f"{rb.get_num_threads()} threads; outputs in {os.path.abspath(args.out)}")

    on_terminal = sys.stdout.isatty()
    results = {}
    for key, (title, model) in _models(nn, args.hidden).items():
        if args.model not in ("all", key):
            continue
        print(f"\n== {title}")
        # On a terminal fit draws a progress bar per epoch; elsewhere print one line per epoch.
        echo = rb.train.LambdaCallback(on_epoch_end=lambda epoch, logs: print(
            f"epoch {epoch:3d}  " + "  ".join(f"{k} {v:.4f}" for k, v in logs.items() if k != "lr"), flush=True))
        start = time.perf_counter()
        history = rb.fit(model, train, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=args.lr),
                         epochs=args.epochs, val_loader=val, callbacks=[] if on_terminal else [echo])
        seconds = time.perf_counter() - start
        acc = rb.train.evaluate(model, test)["accuracy"]
        ckpt = os.path.join(args.out, f"{key}.safetensors")
        rb.save(model.state_dict(), ckpt)
        files = [ckpt]
        try:
            files.append(history.plot(os.path.join(args.out, f"{key}_curves.png")))
        except ImportError:
            pass  # curves need the [viz] extra (matplotlib)
        print(f"{title}: validation accuracy {history['val_accuracy'][-1]:.4f}, test accuracy {acc:.4f} "
              f"after {args.epochs} epochs in {seconds:.1f} s; wrote "
              + ", ".join(files))
        results[key] = {"model": title, "val_accuracy": history["val_accuracy"][-1], "test_accuracy": acc,
                        "train_seconds": seconds,
                        "history": history.history, "files": files}

    metrics = {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed,
               "threads": rb.get_num_threads(), "models": results,
               # the model picked on validation accuracy, then its test accuracy
               "final_test_accuracy": max(results.values(), key=lambda r: r["val_accuracy"])["test_accuracy"]}
    path = os.path.join(args.out, "metrics.json")
    with open(path, "w") as f:
        json.dump(metrics, f, indent=2)
    print(f"\nwrote {path}")
    return 0


def _demo_gan(args):
    """A conditional DCGAN on the bundled digits (upsampled to 16x16, in [-1, 1]): writes a grid of
    samples, one row per digit, and the loss curves."""
    import rosenblatt as rb
    from rosenblatt import gan, optim
    from rosenblatt.nn import functional as F
    from rosenblatt.utils.data import DataLoader, TensorDataset

    if args.threads:
        rb.set_num_threads(args.threads)
    rb.manual_seed(args.seed)
    x, y = rb.datasets.load_digits()
    x = F.interpolate(x, size=(16, 16), mode="bilinear", align_corners=False).clamp(0, 1) * 2 - 1
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True,
                        generator=rb.Generator().manual_seed(args.seed))
    k, latent = 10, args.latent
    G = gan.dcgan_generator(latent + k, channels=1, image_size=16, width=args.width)
    D = gan.dcgan_discriminator(channels=1 + k, image_size=16, width=args.width)  # the label as 10 extra channels
    cgan = gan.ConditionalGAN(G, D, latent, k, g_optimizer=optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999)),
                              d_optimizer=optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999)))
    os.makedirs(args.out, exist_ok=True)
    print(f"rosenblatt {rb.__version__}: a conditional DCGAN on the bundled digits (16x16), latent {latent}, "
          f"{args.epochs} epochs, {rb.get_num_threads()} threads; outputs in {os.path.abspath(args.out)}")
    start = time.perf_counter()
    history = cgan.fit(loader, epochs=args.epochs, verbose=sys.stdout.isatty())
    seconds = time.perf_counter() - start
    for epoch, i in zip(history.epochs, range(len(history.epochs))):
        print(f"epoch {epoch:3d}  " + "  ".join(f"{key} {vals[i]:.4f}" for key, vals in history.history.items()))
    labels = rb.arange(10).repeat_interleave(10)
    samples = cgan.sample(100, labels, generator=rb.Generator().manual_seed(args.seed))
    files = [rb.utils.save_image_grid(samples, os.path.join(args.out, "gan_samples.png"), nrow=10,
                                      value_range=(-1, 1)) or os.path.join(args.out, "gan_samples.png")]
    try:
        files.append(history.plot(os.path.join(args.out, "gan_curves.png")))
    except ImportError:
        pass  # curves need the [viz] extra (matplotlib)
    rb.save(G.state_dict(), os.path.join(args.out, "gan_generator.safetensors"))
    files.append(os.path.join(args.out, "gan_generator.safetensors"))
    print(f"trained in {seconds:.1f} s; wrote " + ", ".join(str(f) for f in files) +
          " (samples: one row per digit 0..9)")
    return 0


def _docs_source(given):
    """The docs/ folder: the one given, else the checkout this package runs from (python/rosenblatt/../../docs),
    else ./docs. None when there is none (an installed wheel ships no docs/)."""
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [given] if given else [os.path.join(here, "..", "..", "docs"), "docs"]
    for c in candidates:
        if os.path.isfile(os.path.join(c, "conf.py")):
            return os.path.abspath(c)
    return None


def _docs(args):
    """Builds the HTML site with Sphinx, warnings as errors (as CI does), and prints where index.html is."""
    src = _docs_source(args.source)
    if src is None:
        print("rosenblatt docs: no docs/ folder with a conf.py found" + (f" at {args.source}" if args.source else
              " beside this package or in the current directory") + ". The documentation is built from a checkout "
              "of the repository: run this command in it, or pass --source PATH/TO/docs.", file=sys.stderr)
        return 2
    try:
        from sphinx.cmd.build import build_main
    except ImportError:
        print("rosenblatt docs: Sphinx is not installed; from the checkout run: pip install \".[docs]\"",
              file=sys.stderr)
        return 2
    out = os.path.abspath(args.out or os.path.join(src, "..", "build", "docs"))
    flags = ["-W", "--keep-going"] + ([] if args.execute else ["-D", "plot_gallery=0"])
    rc = build_main([*flags, "-b", "html", src, out])
    if rc != 0:
        print(f"rosenblatt docs: sphinx-build failed (exit status {rc})", file=sys.stderr)
        return rc
    index = os.path.join(out, "index.html")
    print(index)
    if args.open:
        import webbrowser

        webbrowser.open("file://" + index)
    return 0


def _demo_dispatch(args):
    if args.epochs is None:
        args.epochs = 10 if args.what == "gan" else 20
    return _demo_gan(args) if args.what == "gan" else _demo(args)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="rosenblatt", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="train an MLP and a CNN on the bundled digits and save them; "
                                       "`demo gan`: a conditional DCGAN that draws digits")
    demo.add_argument("what", nargs="?", choices=("classify", "gan"), default="classify")
    demo.add_argument("--model", choices=("all", "mlp", "cnn"), default="all")
    demo.add_argument("--latent", type=int, default=32, help="gan: latent size")
    demo.add_argument("--width", type=int, default=32, help="gan: DCGAN width")
    demo.add_argument("--epochs", type=int, default=None, help="default: 20 (classify), 10 (gan)")
    demo.add_argument("--batch-size", type=int, default=32)
    demo.add_argument("--lr", type=float, default=3e-3)
    demo.add_argument("--hidden", type=int, default=128)
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--threads", type=int, default=0, help="0: the library's default")
    demo.add_argument("--out", default="rosenblatt-demo-out", help="directory for checkpoints, curves, metrics")
    demo.set_defaults(func=_demo_dispatch)
    docs = sub.add_parser("docs", help="build the documentation site (needs a checkout and the [docs] extra) "
                                       "and print the path of its index.html")
    docs.add_argument("--out", default=None, help="output folder (default: build/docs in the checkout)")
    docs.add_argument("--source", default=None, help="the docs/ folder (default: the checkout's)")
    docs.add_argument("--open", action="store_true", help="open the site in a browser when built")
    docs.add_argument("--no-execute", dest="execute", action="store_false",
                      help="skip running the tutorials (faster; their pages then have no output or figures)")
    docs.set_defaults(func=_docs)
    info = sub.add_parser("info", help="print version and build configuration")
    info.set_defaults(func=_info)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
