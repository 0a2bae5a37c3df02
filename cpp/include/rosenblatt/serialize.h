// rb::save / rb::load: state_dicts as safetensors files (an 8-byte little-endian header length, a
// JSON header of {name: {dtype, shape, data_offsets}}, then the raw little-endian data), the format
// Python's rb.save / rb.load and PyTorch's safetensors.torch read and write.
#pragma once
#include <string>

#include "rosenblatt/nn/module.h"

namespace rb {

using nn::StateDict;

// Writes the tensors (made contiguous; any dtype: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)
// under their keys; keys must be unique and non-empty. Raises rb::Error if the file cannot be written.
void save(const StateDict& state_dict, const std::string& path);
// The file's tensors in the header's order. Raises rb::ValueError naming the file and the problem
// for anything that is not a well-formed safetensors file (truncated, bad JSON, an unknown dtype,
// offsets out of range or not matching the shape), rb::Error when it cannot be opened.
StateDict load(const std::string& path);

// The same, to and from bytes in memory.
std::string save_to_bytes(const StateDict& state_dict);
StateDict load_from_bytes(const std::string& bytes, const std::string& what = "<bytes>");

}  // namespace rb
