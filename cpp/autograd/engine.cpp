// The backward engine: counts how many edges feed each node reachable from the roots, then runs
// nodes whose inputs are complete, newest first, summing gradients that meet at a node.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <queue>
#include <unordered_map>

#include "hooks_internal.h"
#include "rosenblatt/anomaly.h"
#include "rosenblatt/autograd.h"
#include "rosenblatt/ops.h"

namespace rb {

namespace {
thread_local bool grad_enabled = true;
std::atomic<uint64_t> next_seq{0};

// Accumulates into a leaf's .grad; the one node a leaf owns (weakly) and every graph shares.
struct AccumulateGrad : Node {
  std::shared_ptr<TensorImpl> leaf;
  explicit AccumulateGrad(std::shared_ptr<TensorImpl> l) : leaf(std::move(l)) { seq = UINT64_MAX; }
  std::string name() const override { return "AccumulateGrad"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor g = grads[0];
    if (GradMode::enabled()) {
      // create_graph: .grad keeps the gradient's history, and a second gradient is added out of
      // place, so the first stays what it was for whoever holds it (as PyTorch).
      leaf->grad = leaf->grad ? add(Tensor(leaf->grad), g).impl_ptr() : (g.requires_grad() ? g : clone(g)).impl_ptr();
      run_post_hooks();
      return {};
    }
    if (!leaf->grad) {
      // Steal the incoming buffer when nobody else holds it; otherwise copy, so .grad never
      // aliases another tensor that could change under it.
      if (g.impl_ptr().use_count() > 2 || !g.is_contiguous() || g.storage().use_count() > 1) g = clone(g);
      leaf->grad = g.impl_ptr();
    } else {
      Tensor acc(leaf->grad);
      add_(acc, g);
    }
    run_post_hooks();
    return {};
  }
  void run_post_hooks() {
    for (auto& h : post_accumulate_hooks_of(leaf->hooks)) h(Tensor(leaf));
  }
};

bool is_accumulator(const Node* n) { return dynamic_cast<const AccumulateGrad*>(n) != nullptr; }

Tensor zeros_for(const OutputMeta& m) { return zeros(m.shape, m.dtype, m.device); }

// Only this buffer holds t (no view, saved copy or other edge shares its memory), so adding into it
// in place is invisible to everyone else.
bool owned_by_buffer(const Tensor& t, const Tensor& other) {
  return t.impl_ptr().use_count() == 1 && t.storage().use_count() == 1 && t.is_contiguous() &&
         t.shape() == other.shape() && t.dtype() == other.dtype();
}

// Sums gradients that meet at a node's output slot. Without create_graph, a sum saves an allocation
// and a pass by adding into whichever side the buffer alone owns; with it, the sum is an op in the graph.
void accumulate_into(Tensor& slot, const Tensor& g) {
  if (!slot.defined()) {
    slot = g;
  } else if (GradMode::enabled()) {
    slot = add(slot, g);
  } else if (owned_by_buffer(slot, g)) {
    add_(slot, g);
  } else {
    slot = add(slot, g);
  }
}

// The register_hook hooks of a node's outputs (a leaf's, for its accumulator), in registration
// order, each seeing what the one before returned.
void run_grad_hooks(Node* node, std::vector<Tensor>& grads) {
  auto* acc = dynamic_cast<AccumulateGrad*>(node);
  for (auto& h : grad_hooks_of(acc ? acc->leaf->hooks : node->hooks)) {
    if (h.slot >= grads.size()) continue;
    Tensor r = h.fn(grads[h.slot]);
    if (!r.defined()) continue;
    // The backward reading this gradient was planned for its dtype, device and size (kernels read it by the
    // forward's geometry), so a hook may change its values only: PyTorch's check, for hooks from C++ too
    // (Tensor.register_hook checks Python's first, with the hook's name).
    const Tensor& g = grads[h.slot];
    if (g.defined()) {
      RB_CHECK(r.dtype() == g.dtype() && r.device() == g.device(), Error, "hook has changed the type of value (was ",
               dtype_name(g.dtype()), " on ", g.device().name(), " got ", dtype_name(r.dtype()), " on ",
               r.device().name(), ")");
      RB_CHECK(r.shape() == g.shape(), Error, "hook has changed the size of value (was ", g.shape(), " got ", r.shape(),
               ")");
    }
    grads[h.slot] = r;
  }
}

std::atomic<bool> anomaly_on{false}, anomaly_nan{true};

// Anomaly mode: a backward that returned NaN is named before its NaN spreads through the graph.
void check_anomaly(const Node& node, const std::vector<Tensor>& out) {
  if (!anomaly_nan.load(std::memory_order_relaxed)) return;
  NoGradGuard ng;
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].defined() || !is_floating(out[i].dtype()) || out[i].numel() == 0) continue;
    RB_CHECK(!any(classify(FloatClass::IsNan, out[i])).item<bool>(), Error, "Function '", node.name(),
             "' returned nan values in its ", i, "th output.");
  }
}
}  // namespace

namespace {
// Forward tracebacks of the nodes created in anomaly mode, by node (a side table, so Node stays small
// and nothing is stored outside anomaly mode); entries of dead nodes are swept as the table grows.
struct ForwardTraces {
  std::mutex mu;
  std::unordered_map<const Node*, std::pair<std::weak_ptr<Node>, std::string>> by_node;
  size_t sweep_at = 1024;
  std::string (*capture)() = nullptr;
  void (*warn)(const std::string&) = nullptr;
};
ForwardTraces& traces() {
  static ForwardTraces* t = new ForwardTraces;  // never destroyed: nodes may outlive static teardown
  return *t;
}

void save_forward_trace(const std::shared_ptr<Node>& node) {
  ForwardTraces& t = traces();
  if (!t.capture) return;
  std::string trace = t.capture();
  std::lock_guard<std::mutex> lock(t.mu);
  t.by_node[node.get()] = {node, std::move(trace)};
  if (t.by_node.size() < t.sweep_at) return;
  for (auto it = t.by_node.begin(); it != t.by_node.end();)
    it = it->second.first.expired() ? t.by_node.erase(it) : ++it;
  t.sweep_at = std::max<size_t>(1024, 2 * t.by_node.size());
}

// PyTorch's warning before the error of a failing backward in anomaly mode.
void warn_forward_trace(const Node& node) {
  ForwardTraces& t = traces();
  if (!t.warn) return;
  std::string msg = "Error detected in " + node.name() + ". ";
  {
    std::lock_guard<std::mutex> lock(t.mu);
    auto it = t.by_node.find(&node);
    if (it != t.by_node.end() && it->second.first.lock().get() == &node)
      msg += "Traceback of forward call that caused the error:\n" + it->second.second;
    else
      msg +=
          "No forward pass information available. Enable detect anomaly during forward pass for more "
          "information.";
  }
  t.warn(msg);
}
}  // namespace

void set_anomaly_enabled(bool on, bool check_nan) {
  anomaly_on = on;
  anomaly_nan = check_nan;
}
bool anomaly_enabled() { return anomaly_on.load(); }
bool anomaly_check_nan() { return anomaly_nan.load(); }
void set_anomaly_hooks(std::string (*capture)(), void (*warn)(const std::string&)) {
  traces().capture = capture;
  traces().warn = warn;
}

Node::Node() : seq(next_seq++) {}

void Node::check_not_released() const {
  RB_CHECK(!released, Error,
           "Trying to backward through the graph a second time (or directly access saved tensors after they have "
           "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
           "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if "
           "you need to access saved tensors after calling backward. (node: ",
           name(), ")");
}

SavedTensor::SavedTensor(const Tensor& t) : data_(t.detach()), version_(t.version()) {
  if (!t.requires_grad()) return;
  if (t.grad_fn())
    fn_ = t.grad_fn(), output_nr_ = t.impl()->output_nr;
  else
    leaf_ = t.impl_ptr();
}

SavedTensor SavedTensor::output(const Tensor& t, uint32_t nr) {
  SavedTensor s;
  s.data_ = t.detach(), s.version_ = t.version(), s.is_output_ = true, s.output_nr_ = nr;
  return s;
}

Tensor SavedTensor::unpack(const Node& owner) const {
  owner.check_not_released();
  RB_CHECK(data_.version() == version_, Error,
           "one of the variables needed for gradient computation has been modified by an inplace operation: [",
           dtype_name(data_.dtype()), " ", data_.shape(), "] is at version ", data_.version(), "; expected version ",
           version_, " instead. (node: ", owner.name(), ")");
  // Outside create_graph the data is all backward needs (and the cheapest thing to hand out).
  if (!GradMode::enabled()) return data_;
  if (leaf_) return Tensor(leaf_);
  if (!fn_ && !is_output_) return data_;
  Tensor t = data_.detach();  // a fresh handle to carry the history back
  TensorImpl* impl = t.impl();
  impl->grad_fn = is_output_ ? std::const_pointer_cast<Node>(owner.shared_from_this()) : fn_;
  impl->output_nr = output_nr_;
  impl->requires_grad = true;
  return t;
}

namespace {
// Stands for a backward that ran kernels autograd could not see: differentiating through it
// again raises instead of returning a silent zero.
struct OnceDifferentiableBackward : Node {
  std::string op;
  std::string name() const override { return op + "BackwardBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>&) override {
    throw NotImplementedError(str(op, ": double backward (the gradient of its gradient) is not implemented"));
  }
};
}  // namespace

namespace {
// The stand-in for an input of a recomputed function: passes the gradient straight through.
struct StandInBackward : Node {
  std::string name() const override { return "AliasBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return {grads[0]}; }
};
}  // namespace

std::vector<Tensor> grad_of_recomputed(const std::function<std::vector<Tensor>(const std::vector<Tensor>&)>& f,
                                       const std::vector<Tensor>& inputs, const std::vector<Tensor>& grad_outputs) {
  std::vector<Tensor> stand_ins(inputs), wrt;
  std::vector<size_t> at;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = inputs[i];
    if (!t.defined() || !t.requires_grad()) continue;
    Tensor s = Tensor::make_view(t, t.shape(), t.strides(), t.offset());
    record(std::make_shared<StandInBackward>(), {&t}, {&s});
    stand_ins[i] = s, wrt.push_back(s), at.push_back(i);
  }
  std::vector<Tensor> result(inputs.size());
  if (wrt.empty()) return result;
  std::vector<Tensor> outs = f(stand_ins), roots, seeds;
  for (size_t k = 0; k < outs.size() && k < grad_outputs.size(); ++k)
    if (outs[k].defined() && outs[k].requires_grad() && grad_outputs[k].defined())
      roots.push_back(outs[k]), seeds.push_back(grad_outputs[k]);
  if (roots.empty()) return result;
  std::vector<Tensor> g = run_backward(roots, seeds, /*retain_graph=*/true, wrt, /*allow_unused=*/true,
                                       /*create_graph=*/true);
  for (size_t j = 0; j < at.size(); ++j) result[at[j]] = g[j];
  return result;
}

void mark_once_differentiable(const std::string& name, const std::vector<const Tensor*>& inputs,
                              std::vector<Tensor>& results) {
  if (!GradMode::enabled()) return;
  bool any = false;
  for (const Tensor* t : inputs) any = any || (t && t->defined() && t->requires_grad());
  if (!any) return;
  auto node = std::make_shared<OnceDifferentiableBackward>();
  node->op = name;
  std::vector<Tensor*> outs;
  for (Tensor& r : results)
    if (r.defined() && is_floating(r.dtype())) outs.push_back(&r);
  record(node, inputs, outs);
}

bool GradMode::enabled() { return grad_enabled; }
void GradMode::set_enabled(bool on) { grad_enabled = on; }

bool any_requires_grad(std::initializer_list<const Tensor*> ts) {
  if (!grad_enabled) return false;
  for (const Tensor* t : ts)
    if (t && t->defined() && t->requires_grad()) return true;
  return false;
}

Edge gradient_edge(const Tensor& t) {
  if (!t.defined() || !t.requires_grad()) return {};
  TensorImpl* impl = t.impl();
  if (impl->grad_fn) return {impl->grad_fn, impl->output_nr};
  std::shared_ptr<Node> acc = impl->grad_accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(t.impl_ptr());
    acc->outputs.push_back({t.shape(), t.dtype(), t.device()});
    impl->grad_accumulator = acc;
  }
  return {acc, 0};
}

template <class In, class Out>
static void record_impl(const std::shared_ptr<Node>& node, const In& inputs, const Out& outputs) {
  node->next.reserve(inputs.size());
  for (const Tensor* in : inputs) node->next.push_back(in ? gradient_edge(*in) : Edge{});
  uint32_t k = 0;
  for (Tensor* out : outputs) {
    TensorImpl* impl = out->impl();
    impl->grad_fn = node;
    impl->output_nr = k++;
    impl->requires_grad = true;
    node->outputs.push_back({impl->sizes, impl->dtype, out->device()});
  }
  if (anomaly_on.load(std::memory_order_relaxed)) save_forward_trace(node);
}
void record(const std::shared_ptr<Node>& node, std::initializer_list<const Tensor*> inputs,
            std::initializer_list<Tensor*> outputs) {
  record_impl(node, inputs, outputs);
}
void record(const std::shared_ptr<Node>& node, const std::vector<const Tensor*>& inputs,
            const std::vector<Tensor*>& outputs) {
  record_impl(node, inputs, outputs);
}

std::vector<Tensor> run_backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_roots,
                                 bool retain_graph, const std::vector<Tensor>& inputs, bool allow_unused,
                                 bool create_graph) {
  NoGradGuard restore;  // grad mode comes back as it was, however this ends
  GradMode::set_enabled(create_graph);
  RB_CHECK(roots.size() == grad_roots.size(), ValueError, "backward: got ", roots.size(), " outputs but ",
           grad_roots.size(), " gradients");

  // Seed gradients for the roots.
  std::unordered_map<Node*, std::vector<Tensor>> buffers;
  std::vector<std::shared_ptr<Node>> root_nodes;
  for (size_t i = 0; i < roots.size(); ++i) {
    const Tensor& r = roots[i];
    RB_CHECK(r.requires_grad(), Error, "element ", i, " of tensors does not require grad and does not have a grad_fn");
    Tensor g = grad_roots[i];
    if (!g.defined()) {
      RB_CHECK(r.numel() == 1, Error, "grad can be implicitly created only for scalar outputs (got shape ", r.shape(),
               ")");
      g = ones(r.shape(), r.dtype(), r.device());
    } else {
      RB_CHECK(g.shape() == r.shape(), Error, "Mismatch in shape: grad_output[", i, "] has a shape of ", g.shape(),
               " and output[", i, "] has a shape of ", r.shape(), ".");
      if (g.dtype() != r.dtype()) g = to_dtype(g, r.dtype());
    }
    Edge e = gradient_edge(r);
    auto& buf = buffers[e.fn.get()];
    if (buf.empty()) buf.resize(e.fn->outputs.size());
    accumulate_into(buf[e.input_nr], g);
    root_nodes.push_back(e.fn);
  }

  // Where autograd.grad wants its results: (node, slot) -> index into `inputs`.
  std::vector<std::pair<Edge, size_t>> captures;
  for (size_t i = 0; i < inputs.size(); ++i) {
    RB_CHECK(inputs[i].requires_grad(), Error, "One of the differentiated Tensors does not require grad");
    captures.push_back({gradient_edge(inputs[i]), i});
  }
  std::vector<Tensor> captured(inputs.size());
  const bool capture_mode = !inputs.empty();

  // Count the edges that feed each reachable node.
  std::unordered_map<Node*, int> deps;
  std::vector<Node*> stack;
  std::unordered_map<Node*, bool> seen;
  for (auto& n : root_nodes)
    if (!seen[n.get()]) {
      seen[n.get()] = true;
      stack.push_back(n.get());
    }
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Edge& e : n->next) {
      if (!e.fn) continue;
      deps[e.fn.get()]++;
      if (!seen[e.fn.get()]) {
        seen[e.fn.get()] = true;
        stack.push_back(e.fn.get());
      }
    }
  }

  // autograd.grad runs only the nodes from which a captured edge can be reached: a node
  // upstream of every input (or beside them) is neither run nor released. Edges point to older
  // nodes (smaller seq; accumulators are sinks), so ascending seq visits children first.
  std::unordered_map<Node*, bool> needed;
  if (capture_mode) {
    std::unordered_map<Node*, bool> captured_at;
    for (auto& c : captures) captured_at[c.first.fn.get()] = true;
    std::vector<Node*> order;
    for (auto& kv : seen) order.push_back(kv.first);
    std::sort(order.begin(), order.end(), [](Node* a, Node* b) { return a->seq < b->seq; });
    for (Node* n : order) {
      bool need = false;
      for (const Edge& e : n->next)
        if (e.fn && (captured_at.count(e.fn.get()) || needed[e.fn.get()])) {
          need = true;
          break;
        }
      needed[n] = need;
    }
  }

  auto cmp = [](Node* a, Node* b) { return a->seq < b->seq; };
  std::priority_queue<Node*, std::vector<Node*>, decltype(cmp)> ready(cmp);
  for (auto& n : root_nodes)
    if (deps[n.get()] == 0) {
      deps[n.get()] = -1;  // queued once even when it is the root of several outputs
      ready.push(n.get());
    }

  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    if (!buffers.count(node)) {
      // Nothing flowed into this node (all its outputs' gradients were undefined): skip it, but
      // release its inputs' dependency counts so nodes reached another way still run.
      for (const Edge& e : node->next)
        if (e.fn && --deps[e.fn.get()] == 0) ready.push(e.fn.get());
      continue;
    }
    std::vector<Tensor> grads = std::move(buffers[node]);
    buffers.erase(node);
    grads.resize(node->outputs.size());
    for (size_t k = 0; k < grads.size(); ++k)
      if (!grads[k].defined()) grads[k] = zeros_for(node->outputs[k]);
    run_grad_hooks(node, grads);

    for (auto& [edge, idx] : captures)
      if (edge.fn.get() == node) captured[idx] = grads[edge.input_nr];
    for (size_t k = 0; k < node->retained.size() && k < grads.size(); ++k)
      if (auto t = node->retained[k].lock())
        t->grad = t->grad ? add(Tensor(t->grad), grads[k]).impl_ptr() : clone(grads[k]).impl_ptr();
    if (capture_mode && !needed[node]) {
      // reached only to hand a captured gradient over; nothing below it is wanted
      for (const Edge& e : node->next)
        if (e.fn && --deps[e.fn.get()] == 0) ready.push(e.fn.get());
      continue;
    }

    const bool accumulator = is_accumulator(node);
    if (accumulator && capture_mode) continue;  // autograd.grad never touches .grad
    std::vector<Tensor> out;
    if (!accumulator) node->check_not_released();
    if (anomaly_on.load(std::memory_order_relaxed)) {
      try {
        out = node->apply(grads);
        check_anomaly(*node, out);
      } catch (...) {
        warn_forward_trace(*node);
        throw;
      }
    } else {
      out = node->apply(grads);
    }
    if (!retain_graph && !accumulator) {
      node->release_saved();
      node->released = true;
    }
    for (size_t i = 0; i < node->next.size(); ++i) {
      const Edge& e = node->next[i];
      if (!e.fn) continue;
      if (i < out.size() && out[i].defined()) {
        auto& buf = buffers[e.fn.get()];
        if (buf.empty()) buf.resize(e.fn->outputs.size());
        accumulate_into(buf[e.input_nr], out[i]);
      }
      if (--deps[e.fn.get()] == 0) ready.push(e.fn.get());
    }
  }

  if (capture_mode && !allow_unused)
    for (size_t i = 0; i < captured.size(); ++i)
      RB_CHECK(captured[i].defined(), Error, "One of the differentiated Tensors (input ", i,
               ") appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
  return captured;
}

}  // namespace rb
