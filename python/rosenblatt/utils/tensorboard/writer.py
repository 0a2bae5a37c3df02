# SummaryWriter: torch.utils.tensorboard.SummaryWriter's API over tensorboard's own event-file writer,
# so TensorBoard reads what rosenblatt logs (scalars, histograms, images, figures, text, hparams, graphs).
import os
import socket
import time
from datetime import datetime
from typing import Any, Optional

from tensorboard.compat.proto.event_pb2 import Event, SessionLog
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from . import _summary
from ._graph import module_graph

__all__ = ["FileWriter", "SummaryWriter"]


class FileWriter:
    """One event file in `log_dir`: Summary protos wrapped in Events with a step and a wall time."""

    def __init__(self, log_dir: Any, max_queue: int = 10, flush_secs: float = 120, filename_suffix: str = "") -> None:
        self.event_writer = EventFileWriter(str(log_dir), max_queue, flush_secs, filename_suffix)

    def get_logdir(self) -> str:
        return self.event_writer.get_logdir()

    def add_event(self, event: Event, step: Any = None, walltime: Optional[float] = None) -> None:
        event.wall_time = time.time() if walltime is None else walltime
        if step is not None:
            event.step = int(step)  # numpy and tensor steps too
        self.event_writer.add_event(event)

    def add_summary(self, summary: Any, global_step: Any = None, walltime: Optional[float] = None) -> None:
        self.add_event(Event(summary=summary), global_step, walltime)

    def add_graph(self, graph_def: Any, walltime: Optional[float] = None) -> None:
        self.add_event(Event(graph_def=graph_def.SerializeToString()), None, walltime)

    def flush(self) -> None:
        self.event_writer.flush()

    def close(self) -> None:
        self.event_writer.close()

    def reopen(self) -> None:
        self.event_writer.reopen()


class SummaryWriter:
    """Writes TensorBoard event files to log_dir (default runs/<date>_<host><comment>), as
    torch.utils.tensorboard.SummaryWriter: values may be rosenblatt tensors, numpy arrays or numbers."""

    def __init__(self, log_dir: Any = None, comment: str = "", purge_step: Optional[int] = None, max_queue: int = 10,
                 flush_secs: float = 120, filename_suffix: str = "") -> None:
        if not log_dir:
            log_dir = os.path.join("runs", datetime.now().strftime("%b%d_%H-%M-%S") + "_" + socket.gethostname()
                                   + comment)
        self.log_dir = str(log_dir)
        self.purge_step = purge_step
        self.max_queue = max_queue
        self.flush_secs = flush_secs
        self.filename_suffix = filename_suffix
        self.file_writer = self.all_writers = None
        self._get_file_writer()
        self.default_bins = _summary.default_bins()

    def _get_file_writer(self) -> FileWriter:
        """The run's FileWriter, (re)created after close()."""
        if self.all_writers is None or self.file_writer is None:
            self.file_writer = FileWriter(self.log_dir, self.max_queue, self.flush_secs, self.filename_suffix)
            self.all_writers = {self.file_writer.get_logdir(): self.file_writer}
            if self.purge_step is not None:
                # TensorBoard hides the events at or after purge_step written before this restart
                self.file_writer.add_event(Event(step=self.purge_step, file_version="brain.Event:2"))
                self.file_writer.add_event(Event(step=self.purge_step,
                                                 session_log=SessionLog(status=SessionLog.START)))
                self.purge_step = None
        return self.file_writer

    def get_logdir(self) -> str:
        return self.log_dir

    def add_scalar(self, tag: str, scalar_value: Any, global_step: Any = None, walltime: Optional[float] = None,
                   new_style: bool = False, double_precision: bool = False) -> None:
        summary = _summary.scalar(tag, scalar_value, new_style=new_style, double_precision=double_precision)
        self._get_file_writer().add_summary(summary, global_step, walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict[str, Any], global_step: Any = None,
                    walltime: Optional[float] = None) -> None:
        """Each tag's value under main_tag in its own run, <log_dir>/<main_tag>_<tag>, so TensorBoard
        draws them in one chart."""
        walltime = time.time() if walltime is None else walltime
        fw_logdir = self._get_file_writer().get_logdir()
        for tag, value in tag_scalar_dict.items():
            fw_tag = fw_logdir + "/" + main_tag.replace("/", "_") + "_" + tag
            fw = self.all_writers.get(fw_tag)
            if fw is None:
                fw = self.all_writers[fw_tag] = FileWriter(fw_tag, self.max_queue, self.flush_secs,
                                                           self.filename_suffix)
            fw.add_summary(_summary.scalar(main_tag, value), global_step, walltime)

    def add_histogram(self, tag: str, values: Any, global_step: Any = None, bins: Any = "tensorflow",
                      walltime: Optional[float] = None, max_bins: Optional[int] = None) -> None:
        if isinstance(bins, str) and bins == "tensorflow":
            bins = self.default_bins
        self._get_file_writer().add_summary(_summary.histogram(tag, values, bins, max_bins=max_bins),
                                            global_step, walltime)

    def add_histogram_raw(self, tag: str, min: float, max: float, num: int, sum: float, sum_squares: float,  # noqa: A002
                          bucket_limits: Any, bucket_counts: Any, global_step: Any = None,
                          walltime: Optional[float] = None) -> None:
        if len(bucket_limits) != len(bucket_counts):
            raise ValueError("len(bucket_limits) != len(bucket_counts), see the document.")
        summary = _summary.histogram_raw(tag, min, max, num, sum, sum_squares, bucket_limits, bucket_counts)
        self._get_file_writer().add_summary(summary, global_step, walltime)

    def add_image(self, tag: str, img_tensor: Any, global_step: Any = None, walltime: Optional[float] = None,
                  dataformats: str = "CHW") -> None:
        self._get_file_writer().add_summary(_summary.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_images(self, tag: str, img_tensor: Any, global_step: Any = None, walltime: Optional[float] = None,
                   dataformats: str = "NCHW") -> None:
        self._get_file_writer().add_summary(_summary.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_figure(self, tag: str, figure: Any, global_step: Any = None, close: bool = True,
                   walltime: Optional[float] = None) -> None:
        """A matplotlib figure (or a list of them, tiled) rendered by the Agg backend, as an image."""
        if isinstance(figure, list):
            self.add_image(tag, _render_figures(figure, close), global_step, walltime, dataformats="NCHW")
        else:
            self.add_image(tag, _render_figures([figure], close)[0], global_step, walltime, dataformats="CHW")

    def add_text(self, tag: str, text_string: str, global_step: Any = None, walltime: Optional[float] = None) -> None:
        self._get_file_writer().add_summary(_summary.text(tag, text_string), global_step, walltime)

    def add_graph(self, model: Any, input_to_model: Any = None, verbose: bool = False,
                  use_strict_trace: bool = True) -> None:
        """The module tree as a graph (see _graph.py): one node per leaf-module call with its
        parameter and output shapes; needs input_to_model to run the model once."""
        if input_to_model is None:
            raise ValueError("add_graph: rosenblatt builds the graph by running the model: pass input_to_model")
        self._get_file_writer().add_graph(module_graph(model, input_to_model))

    def add_hparams(self, hparam_dict: dict[str, Any], metric_dict: dict[str, Any],
                    hparam_domain_discrete: Optional[dict[str, list[Any]]] = None, run_name: Optional[str] = None,
                    global_step: Any = None) -> None:
        """The hyperparameters and their metrics, in the sub-run <log_dir>/<run_name> (default: the
        time), for TensorBoard's HPARAMS tab; metric_dict's values are logged there as scalars too."""
        if type(hparam_dict) is not dict or type(metric_dict) is not dict:
            raise TypeError("hparam_dict and metric_dict should be dictionary.")
        exp, ssi, sei = _summary.hparams(hparam_dict, metric_dict, hparam_domain_discrete)
        logdir = os.path.join(self._get_file_writer().get_logdir(), run_name or str(time.time()))
        with SummaryWriter(log_dir=logdir) as w:
            for s in (exp, ssi, sei):
                w.file_writer.add_summary(s, global_step)
            for k, v in metric_dict.items():
                w.add_scalar(k, v, global_step)

    def flush(self) -> None:
        if self.all_writers is not None:
            for w in self.all_writers.values():
                w.flush()

    def close(self) -> None:
        if self.all_writers is not None:
            for w in self.all_writers.values():
                w.flush()
                w.close()
        self.file_writer = self.all_writers = None

    def __enter__(self) -> "SummaryWriter":
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        self.close()


def _render_figures(figures, close):
    """(N, 3, H, W) uint8 pixels of matplotlib figures drawn by the Agg backend (no GUI)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    images = []
    for fig in figures:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        images.append(rgba[:, :, :3].transpose(2, 0, 1))
        if close:
            import matplotlib.pyplot as plt

            plt.close(fig)
    return np.stack(images)
