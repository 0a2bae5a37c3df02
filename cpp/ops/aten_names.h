// ATen's names of the dtypes (its C++ scalar types: Float, Long ...), as its "not implemented for"
// messages print them, for ops that raise those messages word for word.
#pragma once
#include "rosenblatt/dtype.h"

namespace rb {

inline const char* aten_name(DType t) {
  switch (t) {
    case DType::Float32: return "Float";
    case DType::Float64: return "Double";
    case DType::Int64: return "Long";
    case DType::Int32: return "Int";
    case DType::Int16: return "Short";
    case DType::Int8: return "Char";
    case DType::UInt8: return "Byte";
    case DType::Float16: return "Half";
    case DType::BFloat16: return "BFloat16";
    case DType::Bool: return "Bool";
  }
  return "?";
}

// The names ATen's TypeMeta prints (its C++ type names: "float", "long int"), as in matmul's and
// scaled_dot_product_attention's dtype messages.
inline const char* typemeta_name(DType t) {
  switch (t) {
    case DType::Float32: return "float";
    case DType::Float64: return "double";
    case DType::Int64: return "long int";
    case DType::Int32: return "int";
    case DType::Int16: return "short int";
    case DType::Int8: return "signed char";
    case DType::UInt8: return "unsigned char";
    case DType::Float16: return "c10::Half";
    case DType::BFloat16: return "c10::BFloat16";
    case DType::Bool: return "bool";
  }
  return "?";
}

}  // namespace rb
