"""The fit loop: rb.fit trains a module over a DataLoader for some epochs, evaluates it, logs the
loss and metrics per epoch into a History, shows a tqdm bar per epoch on a terminal, and runs
callbacks (EarlyStopping, ModelCheckpoint, LambdaCallback) and LR schedulers."""
import math
import os
import shutil
import sys
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

from ._C import Tensor
from .autograd import no_grad

__all__ = [
    "Callback",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "ModelCheckpoint",
    "TensorBoard",
    "accuracy",
    "evaluate",
    "fit",
]


# --- metrics -----------------------------------------------------------------------------------

def accuracy(output: Tensor, target: Tensor, threshold: Optional[float] = None) -> float:
    """The fraction of correct predictions. output (N, C) with C > 1: argmax over classes against
    integer targets (N,) (or one-hot/probability targets (N, C), compared by argmax). output (N,)
    or (N, 1): binary, predicted 1 where output > threshold (0.5 by default, 0 for logits).

    Example:
        >>> rb.train.accuracy(rb.tensor([[0.1, 0.9], [0.8, 0.2]]), rb.tensor([1, 1]))
        0.5
    """
    out = output.detach().numpy() if isinstance(output, Tensor) else np.asarray(output)
    tgt = target.detach().numpy() if isinstance(target, Tensor) else np.asarray(target)
    if out.ndim == 2 and out.shape[1] > 1:
        pred = out.argmax(axis=1)
        if tgt.ndim == 2:
            tgt = tgt.argmax(axis=1)
    else:
        pred = (out.reshape(len(out), -1)[:, 0] > (0.5 if threshold is None else threshold)).astype(np.int64)
        tgt = tgt.reshape(len(tgt), -1)[:, 0]
    if pred.shape[0] != tgt.shape[0]:
        raise ValueError(f"accuracy: output has {pred.shape[0]} samples ({list(out.shape)}) but target has "
                         f"{tgt.shape[0]} ({list(tgt.shape)})")
    return float((pred == tgt).mean()) if len(pred) else 0.0


def _metric_fns(metrics, loss_fn):
    fns = {}
    for m in metrics or ():
        if isinstance(m, str):
            if m in ("accuracy", "acc"):
                logits = type(loss_fn).__name__ == "BCEWithLogitsLoss"
                fns["accuracy"] = (lambda o, t, _th=0.0 if logits else None: accuracy(o, t, _th))
            else:
                raise ValueError(f"fit: unknown metric {m!r}; use 'accuracy' or pass a callable(output, target)")
        elif callable(m):
            fns[getattr(m, "__name__", type(m).__name__)] = m
        else:
            raise TypeError(f"fit: a metric must be a name or a callable(output, target), got {type(m).__name__}")
    return fns


def _number(v):
    if isinstance(v, Tensor):
        return float(v.item())
    return float(v)


# --- batches -----------------------------------------------------------------------------------

def _split_batch(batch):
    if isinstance(batch, (list, tuple)) and len(batch) >= 2:
        return tuple(batch[:-1]), batch[-1]
    raise TypeError("fit: each batch must be (inputs..., target), a list or tuple of at least two items; got "
                    f"{type(batch).__name__}")


def _batch_size(target):
    if isinstance(target, Tensor):
        return target.shape[0] if target.dim() > 0 else 1
    return len(target)


class _Meter:
    """Sample-weighted running means of the loss and metrics over an epoch."""

    def __init__(self, names):
        self.names = names
        self.sums = dict.fromkeys(names, 0.0)
        self.count = 0

    def add(self, values, n):
        for k, v in values.items():
            self.sums[k] += v * n
        self.count += n

    def means(self):
        return {k: (s / self.count if self.count else math.nan) for k, s in self.sums.items()}


def evaluate(model: Any, loader: Iterable[Any], loss_fn: Optional[Callable[..., Any]] = None,
             metrics: Sequence[Any] = ("accuracy",)) -> dict[str, float]:
    """Mean loss (when loss_fn is given) and metrics of `model` over `loader`, under no_grad and
    model.eval() (the mode is restored afterwards). Returns {'loss': ..., 'accuracy': ...}.

    Example:
        >>> loader = DataLoader(TensorDataset(rb.randn(8, 4), rb.randint(0, 2, (8,))), batch_size=4)
        >>> sorted(rb.train.evaluate(nn.Linear(4, 2), loader, nn.CrossEntropyLoss()))
        ['accuracy', 'loss']
    """
    fns = _metric_fns(metrics, loss_fn)
    meter = _Meter((["loss"] if loss_fn is not None else []) + list(fns))
    was_training = getattr(model, "training", False)
    model.eval()
    try:
        with no_grad():
            for batch in loader:
                inputs, target = _split_batch(batch)
                output = model(*inputs)
                values = {} if loss_fn is None else {"loss": _number(loss_fn(output, target))}
                for k, fn in fns.items():
                    values[k] = _number(fn(output, target))
                meter.add(values, _batch_size(target))
    finally:
        model.train(was_training)
    return meter.means()


# --- History -----------------------------------------------------------------------------------

class History:
    """What fit logged: history[key] is a list with one value per epoch ('loss', 'val_loss',
    'accuracy', 'val_accuracy', 'lr', ...); epochs the epoch numbers (1-based).

    Example:
        >>> h = rb.train.History()
        >>> h._log(1, {'loss': 0.5})
        >>> h['loss'], h.epochs
        ([0.5], [1])
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs = []
        self.stopped_early = False

    def _log(self, epoch, logs):
        self.epochs.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, [math.nan] * (len(self.epochs) - 1)).append(v)

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History(epochs={len(self.epochs)}{', ' + last if last else ''})"

    def plot(self, path: Any, keys: Optional[Sequence[str]] = None) -> Any:
        """Saves the curves as a PNG at `path`: one panel for the loss (train and validation) and
        one per metric. Needs matplotlib (pip install rosenblatt[viz])."""
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise ImportError("History.plot needs matplotlib: pip install rosenblatt[viz] "
                              "(or pip install matplotlib)") from None
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        names = keys or [k for k in self.history if not k.startswith("val_") and k != "lr"]
        if not names:
            raise ValueError("History.plot: nothing to plot (no epochs logged)")
        fig = Figure(figsize=(5 * len(names), 3.6), dpi=100)  # no pyplot: no global state, no GUI backend
        FigureCanvasAgg(fig)
        for i, k in enumerate(names):
            ax = fig.add_subplot(1, len(names), i + 1)
            for key, label in ((k, "train"), ("val_" + k, "validation")):
                if key in self.history:
                    ax.plot(self.epochs, self.history[key], marker="o", markersize=3, label=label)
            ax.set_xlabel("epoch")
            ax.set_title(k)
            ax.grid(alpha=0.3)
            ax.legend()
        fig.tight_layout()
        fig.savefig(path, format="png")
        return path


# --- callbacks ---------------------------------------------------------------------------------

class Callback:
    """Hooks fit calls. fit sets .model, .optimizer and .history before training; a callback
    stops training by setting .stop_training = True."""

    model = optimizer = history = None
    stop_training = False

    def on_train_begin(self, logs: Optional[dict[str, Any]] = None) -> None:
        pass

    def on_epoch_begin(self, epoch: int, logs: Optional[dict[str, Any]] = None) -> None:
        pass

    def on_batch_end(self, batch: int, logs: Optional[dict[str, Any]] = None) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: Optional[dict[str, Any]] = None) -> None:
        pass

    def on_train_end(self, logs: Optional[dict[str, Any]] = None) -> None:
        pass


class LambdaCallback(Callback):
    """A callback from functions: on_epoch_end(epoch, logs) and friends.

    Example:
        >>> log = []
        >>> cb = rb.train.LambdaCallback(on_epoch_end=lambda epoch, logs: log.append(epoch))
        >>> loader = DataLoader(TensorDataset(rb.randn(8, 2), rb.randint(0, 2, (8,))), batch_size=4)
        >>> m = nn.Linear(2, 2)
        >>> _ = rb.fit(m, loader, nn.CrossEntropyLoss(), optim.SGD(m.parameters(), lr=0.1), epochs=3,
        ...            callbacks=[cb], verbose=False)
        >>> log
        [1, 2, 3]
    """

    def __init__(self, on_train_begin: Optional[Callable[..., Any]] = None,
                 on_epoch_begin: Optional[Callable[..., Any]] = None,
                 on_batch_end: Optional[Callable[..., Any]] = None,
                 on_epoch_end: Optional[Callable[..., Any]] = None,
                 on_train_end: Optional[Callable[..., Any]] = None) -> None:
        for name, fn in (("on_train_begin", on_train_begin), ("on_epoch_begin", on_epoch_begin),
                         ("on_batch_end", on_batch_end), ("on_epoch_end", on_epoch_end),
                         ("on_train_end", on_train_end)):
            if fn is not None:
                setattr(self, name, fn)


class _Monitor(Callback):
    def __init__(self, monitor, mode, min_delta=0.0):
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
        if mode == "auto":
            mode = "max" if ("acc" in monitor or monitor.startswith("fmeasure")) else "min"
        self.monitor, self.mode, self.min_delta = monitor, mode, abs(min_delta)
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = None

    def _current(self, logs):
        if self.monitor not in logs:
            hint = " (pass val_loader to fit, or monitor a training key)" if self.monitor.startswith("val_") else ""
            raise ValueError(f"{type(self).__name__} monitors {self.monitor!r}, which fit does not log{hint}; "
                             f"logged: {', '.join(logs)}")
        return logs[self.monitor]

    def _improved(self, value):
        if math.isnan(value):
            return False
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta


def _state_copy(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


class EarlyStopping(_Monitor):
    """Stops training when `monitor` has not improved by more than min_delta for `patience`
    epochs. restore_best_weights=True loads the best epoch's weights back at the end.

    Example:
        >>> stop = rb.train.EarlyStopping(monitor='val_loss', patience=3)
        >>> # rb.fit(model, train, loss_fn, opt, epochs=100, val_loader=val, callbacks=[stop])
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0, mode: str = "auto",
                 restore_best_weights: bool = False) -> None:
        super().__init__(monitor, mode, min_delta)
        self.patience = patience
        self.restore_best_weights = restore_best_weights
        self.wait = 0
        self.stopped_epoch = None
        self.best_weights = None

    def on_train_begin(self, logs: Optional[dict[str, Any]] = None) -> None:
        self.wait, self.stopped_epoch, self.best_weights = 0, None, None
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch = None

    def on_epoch_end(self, epoch: int, logs: Optional[dict[str, Any]] = None) -> None:
        value = self._current(logs)
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = _state_copy(self.model)
            return
        self.wait += 1
        if self.wait >= self.patience:  # Keras: stop after `patience` epochs without improvement
            self.stopped_epoch = epoch
            self.stop_training = True

    def on_train_end(self, logs: Optional[dict[str, Any]] = None) -> None:
        if self.restore_best_weights and self.best_weights is not None:
            self.model.load_state_dict(self.best_weights)


class ModelCheckpoint(_Monitor):
    """Saves model.state_dict() with rb.save to `path` when `monitor` improves (or every epoch
    with save_best_only=False). `path` may hold {epoch} and any logged key: 'ck-{epoch:02d}.pt'
    (PyTorch's format; a '.safetensors' path writes safetensors)."""

    def __init__(self, path: Any, monitor: str = "val_loss", mode: str = "auto", save_best_only: bool = True,
                 min_delta: float = 0.0) -> None:
        super().__init__(monitor, mode, min_delta)
        self.path = path
        self.save_best_only = save_best_only
        self.saved = []

    def on_train_begin(self, logs: Optional[dict[str, Any]] = None) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch = None

    def on_epoch_end(self, epoch: int, logs: Optional[dict[str, Any]] = None) -> None:
        from .serialization import save

        value = self._current(logs)
        improved = self._improved(value)
        if improved:
            self.best, self.best_epoch = value, epoch
        if improved or not self.save_best_only:
            path = str(self.path).format(epoch=epoch, **logs)
            if _is_rank0():  # every rank holds the same weights under DDP: one writer
                save(self.model.state_dict(), path)
                self.saved.append(path)


class TensorBoard(Callback):
    """Logs every History entry to TensorBoard as the epoch ends: one scalar per key, tag = the key
    ('loss', 'val_accuracy', 'lr', 'd_loss' ...), step = the epoch. log_batches=True also logs each
    batch's values as 'batch/<key>', stepped by the batch count. log_dir: a directory (a
    rosenblatt.utils.tensorboard.SummaryWriter is made, flushed and closed by the callback) or a
    SummaryWriter (flushed at the end, left open). Needs tensorboard (pip install rosenblatt[tensorboard])."""

    def __init__(self, log_dir: Any = "runs", log_batches: bool = False) -> None:
        if hasattr(log_dir, "add_scalar"):
            self.writer, self._owned = log_dir, False
        elif not isinstance(log_dir, (str, os.PathLike)):
            raise TypeError(f"tensorboard: expected a log directory or a SummaryWriter, got {type(log_dir).__name__}")
        else:
            from .utils.tensorboard import SummaryWriter

            self.writer, self._owned = SummaryWriter(log_dir), True
        self.log_batches = log_batches
        self.batch_step = 0

    def on_batch_end(self, batch: int, logs: Optional[dict[str, Any]] = None) -> None:
        if self.log_batches:
            for k, v in (logs or {}).items():
                self.writer.add_scalar("batch/" + k, v, self.batch_step)
            self.batch_step += 1

    def on_epoch_end(self, epoch: int, logs: Optional[dict[str, Any]] = None) -> None:
        for k, v in (logs or {}).items():
            self.writer.add_scalar(k, v, epoch)
        self.writer.flush()  # live: TensorBoard sees each epoch as it ends

    def on_train_end(self, logs: Optional[dict[str, Any]] = None) -> None:
        if self._owned:
            self.writer.close()
        else:
            self.writer.flush()


def _with_tensorboard(callbacks, tensorboard):
    """fit's tensorboard= option: a log dir or a SummaryWriter adds a TensorBoard callback."""
    callbacks = list(callbacks or ())
    if tensorboard is not None and tensorboard is not False:
        callbacks.append(TensorBoard(tensorboard))
    return callbacks


# --- the loop ----------------------------------------------------------------------------------

def _is_plateau(scheduler):
    try:
        from .optim.lr_scheduler import ReduceLROnPlateau
    except ImportError:
        ReduceLROnPlateau = ()
    return isinstance(scheduler, ReduceLROnPlateau) or type(scheduler).__name__ == "ReduceLROnPlateau"


def _progress(total, desc, disable):
    if disable:
        return None
    from tqdm import tqdm  # plain: the bar is only shown on a terminal

    # The width from the terminal, or 100 columns where it reports none (tqdm would then print nothing).
    ncols = shutil.get_terminal_size((100, 24)).columns or 100
    return tqdm(total=total, desc=desc, unit="batch", leave=True, file=sys.stdout, ncols=ncols)


def _distributed():
    """rosenblatt.distributed when a process group of more than one rank is up, else None."""
    from . import distributed as dist

    return dist if dist.is_initialized() and dist.get_world_size() > 1 else None


def _is_rank0():
    """Under distributed training only rank 0 shows progress and writes checkpoints."""
    dist = _distributed()
    return dist is None or dist.get_rank() == 0


def _mean_over_ranks(logs):
    """The epoch's logs averaged over the ranks (each trained on its own shard), same keys everywhere."""
    dist = _distributed()
    if dist is None or not logs:
        return logs
    from ._C import dtype
    from ._tensor import tensor

    keys = sorted(logs)
    t = tensor([float(logs[k]) for k in keys], dtype=dtype.float64)
    dist.all_reduce(t, op=dist.ReduceOp.AVG)
    return dict(zip(keys, t.tolist()))


def _start(callbacks, model, optimizer, history, loader, verbose):
    """What every training loop does first: hand the callbacks their context, decide whether the
    progress bar shows (verbose and on a terminal), and count the batches (None when unsized)."""
    for cb in callbacks:
        cb.model, cb.optimizer, cb.history, cb.stop_training = model, optimizer, history, False
    quiet = not verbose or not (hasattr(sys.stdout, "isatty") and sys.stdout.isatty()) or not _is_rank0()
    try:
        n_batches = len(loader)
    except TypeError:
        n_batches = None
    return quiet, n_batches


def _end_epoch(history, callbacks, epoch, logs):
    """Logs the epoch, runs the callbacks' on_epoch_end, and says whether one asked to stop."""
    history._log(epoch, logs)
    for cb in callbacks:
        cb.on_epoch_end(epoch, logs)
    history.stopped_early = any(cb.stop_training for cb in callbacks)
    return history.stopped_early


def fit(model: Any, train_loader: Iterable[Any], loss_fn: Callable[..., Any], optimizer: Any, epochs: int,
        val_loader: Optional[Iterable[Any]] = None, metrics: Sequence[Any] = ("accuracy",), scheduler: Any = None,
        callbacks: Iterable[Callback] = (), verbose: bool = True, scheduler_monitor: Optional[str] = None,
        scheduler_interval: str = "epoch", tensorboard: Any = None) -> History:
    """Trains `model` for `epochs` epochs and returns a History.

    Each epoch runs model.train(), then for every (inputs..., target) batch of train_loader:
    zero_grad, ``loss_fn(model(*inputs), target)``, backward, optimizer.step(). The epoch's logs hold
    the sample-weighted mean 'loss' and metrics over the batches (computed on the training
    outputs as they were produced), 'lr' (the first param group's lr during the epoch), and with
    val_loader 'val_loss' and 'val_<metric>' from evaluate() (no_grad, model.eval()).
    metrics: names ('accuracy') or callables(output, target) -> number, logged by __name__.
    scheduler: stepped once per epoch after validation (scheduler_interval='batch': after every
    optimizer step); a ReduceLROnPlateau scheduler is stepped with scheduler_monitor ('val_loss'
    with a val_loader, else 'loss'). callbacks: Callback instances; training stops after an
    epoch in which one sets stop_training. verbose: a tqdm bar per epoch on a terminal; quiet
    when verbose=False or stdout is not a terminal.

    Example:
        >>> x, y = rb.randn(64, 4), rb.randint(0, 2, (64,))
        >>> loader = DataLoader(TensorDataset(x, y), batch_size=16)
        >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        >>> history = rb.fit(model, loader, nn.CrossEntropyLoss(), optim.Adam(model.parameters()), epochs=2,
        ...                  verbose=False)
        >>> sorted(history.history), len(history['loss'])
        (['accuracy', 'loss', 'lr'], 2)
    """
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative integer, got {epochs!r}")
    if scheduler_interval not in ("epoch", "batch"):
        raise ValueError(f"fit: scheduler_interval must be 'epoch' or 'batch', got {scheduler_interval!r}")
    fns = _metric_fns(metrics, loss_fn)
    history = History()
    callbacks = _with_tensorboard(callbacks, tensorboard)
    plateau = scheduler is not None and _is_plateau(scheduler)
    if plateau and scheduler_interval == "batch":
        raise ValueError("fit: a ReduceLROnPlateau scheduler steps once per epoch (scheduler_interval='epoch')")
    monitor = scheduler_monitor or ("val_loss" if val_loader is not None else "loss")
    quiet, n_batches = _start(callbacks, model, optimizer, history, train_loader, verbose)

    for cb in callbacks:
        cb.on_train_begin({})
    for epoch in range(1, epochs + 1):
        for cb in callbacks:
            cb.on_epoch_begin(epoch, {})
        lr = optimizer.param_groups[0].get("lr") if getattr(optimizer, "param_groups", None) else None
        model.train()
        meter = _Meter(["loss"] + list(fns))
        bar = _progress(n_batches, f"epoch {epoch}/{epochs}", quiet)
        try:
            for i, batch in enumerate(train_loader):
                inputs, target = _split_batch(batch)
                optimizer.zero_grad()
                output = model(*inputs)
                loss = loss_fn(output, target)
                loss.backward()
                optimizer.step()
                if scheduler is not None and scheduler_interval == "batch":
                    scheduler.step()
                values = {"loss": float(loss.item())}
                for k, fn in fns.items():
                    values[k] = _number(fn(output.detach(), target))
                meter.add(values, _batch_size(target))
                for cb in callbacks:
                    cb.on_batch_end(i, values)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix({k: f"{v:.4f}" for k, v in meter.means().items()}, refresh=False)
            logs = meter.means()
            if val_loader is not None:
                for k, v in evaluate(model, val_loader, loss_fn, metrics).items():
                    logs["val_" + k] = v
            logs = _mean_over_ranks(logs)
            if lr is not None:
                logs["lr"] = lr
            if bar is not None:
                bar.set_postfix({k: f"{v:.4g}" for k, v in logs.items()}, refresh=True)
        finally:
            if bar is not None:
                bar.close()
        if scheduler is not None and scheduler_interval == "epoch":
            if plateau:
                if monitor not in logs:
                    raise ValueError(f"fit: the ReduceLROnPlateau scheduler monitors {monitor!r}, which is not "
                                     f"logged; logged: {', '.join(logs)}")
                scheduler.step(logs[monitor])
            else:
                scheduler.step()
        if _end_epoch(history, callbacks, epoch, logs):
            break
    for cb in callbacks:
        cb.on_train_end({"epochs": len(history.epochs)})
    return history
