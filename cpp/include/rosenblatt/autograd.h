// Reverse-mode autograd: a Node per recorded op, edges to the nodes of its inputs, the engine that
// runs them in dependency order, grad mode, and the SavedTensor guard against in-place changes.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

struct Edge {
  std::shared_ptr<Node> fn;  // null: the input needs no gradient
  uint32_t input_nr = 0;     // which gradient slot of fn this edge feeds
};

// Shape/dtype of one output, so the engine can hand a node zeros for an output nobody used.
struct OutputMeta {
  Shape shape;
  DType dtype;
  Device device;
};

struct Node : std::enable_shared_from_this<Node> {
  std::vector<Edge> next;                           // one per differentiable input, in input order
  std::vector<OutputMeta> outputs;                  // one per output, in output order
  std::vector<std::weak_ptr<TensorImpl>> retained;  // outputs whose .grad is kept (retain_grad)
  std::shared_ptr<GradHooks> hooks;                 // register_hook's on its outputs; null: none
  bool released = false;
  uint64_t seq = 0;  // creation order; later nodes run first

  Node();
  virtual ~Node() = default;
  // grads: one per output (never undefined: the engine fills zeros); returns one per input.
  virtual std::vector<Tensor> apply(std::vector<Tensor>& grads) = 0;
  virtual std::string name() const = 0;
  // Frees what backward needed; called after a backward without retain_graph.
  virtual void release_saved() {}
  // True for the nodes of view ops (the output aliases the input's memory).
  virtual bool is_view() const { return false; }
  void check_not_released() const;
};

// Holds an input or output an op's backward needs. Unpacking checks the version counter so a
// tensor modified in place after it was saved makes backward raise, as PyTorch does.
// In a backward with create_graph the unpacked tensor carries its autograd history again, so the
// backward's own ops are recorded against it: an input keeps the edge it had when saved; an output
// of the saving node itself is held without that edge (output -> node -> output would be a cycle)
// and gets it back from the owner on unpack.
class SavedTensor {
 public:
  SavedTensor() = default;
  explicit SavedTensor(const Tensor& t);                        // an input of the saving node
  static SavedTensor output(const Tensor& t, uint32_t nr = 0);  // output nr of the saving node
  Tensor unpack(const Node& owner) const;
  void reset() { data_ = Tensor(), fn_.reset(), leaf_.reset(); }
  bool defined() const { return data_.defined(); }

 private:
  Tensor data_;  // detached: no history
  uint32_t version_ = 0;
  bool is_output_ = false;
  uint32_t output_nr_ = 0;
  std::shared_ptr<Node> fn_;          // the input's grad_fn (non-leaf input)
  std::shared_ptr<TensorImpl> leaf_;  // the input itself (leaf that requires grad)
};

struct GradMode {
  static bool enabled();
  static void set_enabled(bool on);
};

struct NoGradGuard {
  bool prev;
  NoGradGuard() : prev(GradMode::enabled()) { GradMode::set_enabled(false); }
  ~NoGradGuard() { GradMode::set_enabled(prev); }
};

// True when grad mode is on and any of the tensors requires grad.
bool any_requires_grad(std::initializer_list<const Tensor*> ts);
inline bool needs_grad(const Tensor& a) { return GradMode::enabled() && a.defined() && a.requires_grad(); }
inline bool needs_grad(const Tensor& a, const Tensor& b) {
  return GradMode::enabled() && ((a.defined() && a.requires_grad()) || (b.defined() && b.requires_grad()));
}
Edge gradient_edge(const Tensor& t);  // where the gradient of t flows: its grad_fn or its accumulator
// Wires node to its inputs and marks the outputs as produced by it (output_nr in order).
void record(const std::shared_ptr<Node>& node, std::initializer_list<const Tensor*> inputs,
            std::initializer_list<Tensor*> outputs);
void record(const std::shared_ptr<Node>& node, const std::vector<const Tensor*>& inputs,
            const std::vector<Tensor*>& outputs);

// Runs backward from roots. grad_roots[i] may be undefined only for a one-element root (ones).
// With `inputs` non-empty, returns their gradients instead of accumulating into any .grad, and
// runs only the nodes on a path from the roots to them. With create_graph, grad mode stays on
// while nodes run, so the gradients carry their own history and can be differentiated again.
std::vector<Tensor> run_backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& grad_roots,
                                 bool retain_graph, const std::vector<Tensor>& inputs = {}, bool allow_unused = false,
                                 bool create_graph = false);

// The gradients of f at `inputs` for `grad_outputs`, recorded so they can be differentiated
// again: f is re-run from differentiable primitives on stand-ins for the inputs (so the graph
// reaches no further than them) and that graph is differentiated with create_graph. For the
// backward of an op whose closed form runs fused kernels (the cross-entropies, the recurrent
// layers) when it runs with create_graph. Undefined where an input needs no gradient.
std::vector<Tensor> grad_of_recomputed(const std::function<std::vector<Tensor>(const std::vector<Tensor>&)>& f,
                                       const std::vector<Tensor>& inputs, const std::vector<Tensor>& grad_outputs);

// For a node whose backward runs kernels autograd cannot see: when its backward runs with
// create_graph and a gradient must flow through it, the results get a node that raises on a
// further backward ("<name>: double backward is not implemented") instead of a silent zero.
void mark_once_differentiable(const std::string& name, const std::vector<const Tensor*>& inputs,
                              std::vector<Tensor>& results);

}  // namespace rb
