"""The command line: `python -m rosenblatt demo` trains an MLP on the bundled digits; `info` prints
the build configuration. Also installed as the `rosenblatt` console script."""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np

DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "digits.csv.gz")


def load_digits(path=DIGITS):
    """The bundled UCI digits (1797 8x8 images, CC BY 4.0): pixels scaled to [0, 1], labels 0..9."""
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    return table[:, :64] / 16.0, table[:, 64].astype(np.int64)


def _info(args):
    import rosenblatt as rb

    if hasattr(rb, "show_config"):
        rb.show_config()
        return 0
    print(f"rosenblatt {rb.__version__}")
    for key, value in rb._C._build_info.items():
        print(f"  {key}: {value}")
    print(f"  threads: {rb.get_num_threads()}")
    return 0


def _demo(args):
    import rosenblatt as rb
    from rosenblatt import nn, optim

    if args.threads:
        rb.set_num_threads(args.threads)
    if hasattr(rb, "manual_seed"):
        rb.manual_seed(args.seed)
    x, y = load_digits()
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(y))
    n_test = len(y) // 5
    test, train = order[:n_test], order[n_test:]
    x_train, y_train = np.ascontiguousarray(x[train]), np.ascontiguousarray(y[train])
    x_test, y_test = rb.from_numpy(np.ascontiguousarray(x[test])), y[test]

    model = nn.Sequential(nn.Linear(64, args.hidden), nn.ReLU(), nn.Linear(args.hidden, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.Adam(model.parameters(), lr=args.lr)
    print(f"rosenblatt {rb.__version__}: training a 64-{args.hidden}-10 MLP on the bundled digits "
          f"({len(train)} train, {len(test)} test images), Adam lr={args.lr}, batch {args.batch_size}, "
          f"{rb.get_num_threads()} threads")

    history = []
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        perm = rng.permutation(len(y_train))
        total, seen = 0.0, 0
        for b in range(0, len(perm), args.batch_size):
            idx = perm[b:b + args.batch_size]
            xb, yb = rb.from_numpy(x_train[idx]), rb.from_numpy(y_train[idx])
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        model.eval()
        with rb.no_grad():
            pred = model(x_test).numpy().argmax(axis=1)
        acc = float((pred == y_test).mean())
        history.append({"epoch": epoch, "train_loss": total / seen, "test_accuracy": acc})
        print(f"epoch {epoch:3d}  loss {total / seen:.4f}  test accuracy {acc:.4f}", flush=True)
    seconds = time.perf_counter() - start

    os.makedirs(args.out, exist_ok=True)
    ckpt = os.path.join(args.out, "model.npz")
    np.savez(ckpt, **{k: v.detach().numpy() for k, v in model.state_dict().items()})
    metrics = {
        "model": f"64-{args.hidden}-10 ReLU MLP",
        "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed,
        "threads": rb.get_num_threads(), "train_seconds": seconds,
        "final_test_accuracy": history[-1]["test_accuracy"] if history else None,
        "history": history,
    }
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    print(f"trained in {seconds:.1f} s; wrote {ckpt} and {os.path.join(args.out, 'metrics.json')}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="rosenblatt", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="train an MLP on the bundled digits and save it")
    demo.add_argument("--epochs", type=int, default=20)
    demo.add_argument("--batch-size", type=int, default=64)
    demo.add_argument("--lr", type=float, default=3e-3)
    demo.add_argument("--hidden", type=int, default=128)
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--threads", type=int, default=0, help="0: the library's default")
    demo.add_argument("--out", default="rosenblatt-demo-out", help="directory for model.npz and metrics.json")
    demo.set_defaults(func=_demo)
    info = sub.add_parser("info", help="print version and build configuration")
    info.set_defaults(func=_info)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
