// rb::save / rb::load: the safetensors format in C++ (an 8-byte little-endian header length, a JSON
// header, the data), with a small JSON reader for the header and every field of it checked.
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "rosenblatt/serialize.h"

namespace rb {
namespace {

const char* st_dtype(DType t) {
  switch (t) {
    case DType::Float32: return "F32";
    case DType::Float64: return "F64";
    case DType::Int64: return "I64";
    case DType::Bool: return "BOOL";
    case DType::UInt8: return "U8";
    case DType::Int8: return "I8";
    case DType::Int16: return "I16";
    case DType::Int32: return "I32";
    case DType::Float16: return "F16";
    case DType::BFloat16: return "BF16";
    default: throw TypeError(str("rb::save: dtype ", dtype_name(t), " cannot be saved in a safetensors file"));
  }
}

bool parse_st_dtype(const std::string& s, DType& out) {
  static const std::map<std::string, DType> names = {
      {"F32", DType::Float32}, {"F64", DType::Float64},  {"I64", DType::Int64}, {"BOOL", DType::Bool},
      {"U8", DType::UInt8},    {"I8", DType::Int8},      {"I16", DType::Int16}, {"I32", DType::Int32},
      {"F16", DType::Float16}, {"BF16", DType::BFloat16}};
  auto it = names.find(s);
  if (it == names.end()) return false;
  out = it->second;
  return true;
}

void put_json_string(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

// The JSON subset a safetensors header uses: objects, arrays, strings, integers (and, in
// __metadata__, anything else, which is skipped).
struct Json {
  enum Kind { Null, Bool, Int, Other, String, Array, Object } kind = Null;
  int64_t i = 0;
  std::string s;
  std::vector<Json> arr;
  std::vector<std::pair<std::string, Json>> obj;
};

class JsonReader {
 public:
  JsonReader(const std::string& text, const std::string& what) : t_(text), what_(what) {}
  Json document() {
    Json v = value(0);
    ws();
    if (p_ != t_.size()) fail("trailing characters after the JSON header");
    return v;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw ValueError(
        str("rb::load: ", what_, ": not a valid safetensors file (", why, " at byte ", p_, " of the header)"));
  }

 private:
  void ws() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\r' || t_[p_] == '\t')) ++p_;
  }
  char peek() {
    ws();
    if (p_ >= t_.size()) fail("unexpected end of the JSON header");
    return t_[p_];
  }
  void expect(char c) {
    if (peek() != c) fail(str("expected '", c, "'"));
    ++p_;
  }
  Json value(int depth) {
    if (depth > 32) fail("JSON nested too deeply");
    Json v;
    char c = peek();
    if (c == '{') {
      v.kind = Json::Object;
      ++p_;
      if (peek() == '}') return ++p_, v;
      for (;;) {
        if (peek() != '"') fail("expected a string key");
        std::string k = string();
        expect(':');
        v.obj.emplace_back(std::move(k), value(depth + 1));
        if (peek() == ',') {
          ++p_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.kind = Json::Array;
      ++p_;
      if (peek() == ']') return ++p_, v;
      for (;;) {
        v.arr.push_back(value(depth + 1));
        if (peek() == ',') {
          ++p_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.kind = Json::String;
      v.s = string();
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    for (const char* word : {"true", "false", "null"}) {
      size_t n = std::strlen(word);
      if (t_.compare(p_, n, word) == 0) {
        p_ += n;
        v.kind = word[0] == 'n' ? Json::Null : Json::Bool;
        return v;
      }
    }
    fail("unexpected character");
  }
  Json number() {
    Json v;
    v.kind = Json::Int;
    size_t start = p_;
    bool neg = t_[p_] == '-';
    if (neg) ++p_;
    uint64_t acc = 0;
    bool digits = false, overflow = false;
    while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') {
      digits = true;
      if (acc > (uint64_t(INT64_MAX) - 9) / 10) overflow = true;
      acc = acc * 10 + (t_[p_++] - '0');
    }
    if (!digits) fail("bad number");
    // Fractions and exponents are not offsets or sizes: kept as Other (only metadata may hold them).
    while (p_ < t_.size() && std::strchr(".eE+-0123456789", t_[p_])) v.kind = Json::Other, ++p_;
    if (overflow && v.kind == Json::Int) {
      p_ = start;
      fail("integer out of range");
    }
    v.i = neg ? -static_cast<int64_t>(acc) : static_cast<int64_t>(acc);
    return v;
  }
  std::string string() {
    ++p_;  // the opening quote
    std::string out;
    for (;;) {
      if (p_ >= t_.size()) fail("unterminated string");
      char c = t_[p_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (p_ >= t_.size()) fail("unterminated escape");
      char e = t_[p_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': utf8(out, code_unit()); break;
        default: fail("bad escape in a string");
      }
    }
  }
  uint32_t code_unit() {
    if (p_ + 4 > t_.size()) fail("bad \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      char h = t_[p_++];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= h - '0';
      else if (h >= 'a' && h <= 'f')
        v |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        v |= h - 'A' + 10;
      else
        fail("bad \\u escape");
    }
    return v;
  }
  void utf8(std::string& out, uint32_t cp) {
    if (cp >= 0xD800 && cp < 0xDC00) {  // a surrogate pair
      if (t_.compare(p_, 2, "\\u") != 0) fail("lone surrogate in a \\u escape");
      p_ += 2;
      uint32_t lo = code_unit();
      if (lo < 0xDC00 || lo > 0xDFFF) fail("bad surrogate pair");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6)), out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12)), out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18)), out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  const std::string& t_;
  const std::string& what_;
  size_t p_ = 0;
};

}  // namespace

std::string save_to_bytes(const StateDict& sd) {
  std::map<std::string, bool> seen;
  std::vector<Tensor> data;
  std::string header = "{";
  uint64_t offset = 0;
  for (const auto& [k, t] : sd) {
    RB_CHECK(!k.empty(), ValueError, "rb::save: empty key");
    RB_CHECK(k != "__metadata__", ValueError, "rb::save: the key '__metadata__' is reserved by safetensors");
    RB_CHECK(!seen.count(k), ValueError, "rb::save: duplicate key '", k, "'");
    RB_CHECK(t.defined(), ValueError, "rb::save: '", k, "' is an undefined tensor");
    RB_CHECK(t.device().is_cpu(), ValueError, "rb::save: '", k, "' is not on the CPU");
    seen[k] = true;
    Tensor c = t.detach().contiguous();
    uint64_t n = static_cast<uint64_t>(c.numel()) * c.itemsize();
    if (header.size() > 1) header += ',';
    put_json_string(header, k);
    header += str(":{\"dtype\":\"", st_dtype(c.dtype()), "\",\"shape\":[");
    for (size_t d = 0; d < c.shape().size(); ++d) header += str(d ? "," : "", c.shape()[d]);
    header += str("],\"data_offsets\":[", offset, ",", offset + n, "]}");
    offset += n;
    data.push_back(c);
  }
  header += '}';
  header.append((8 - header.size() % 8) % 8, ' ');  // the data starts 8-byte aligned, as safetensors writes
  std::string out(8, '\0');
  uint64_t hn = header.size();
  for (int b = 0; b < 8; ++b) out[b] = static_cast<char>((hn >> (8 * b)) & 0xFF);
  out += header;
  out.reserve(out.size() + offset);
  for (const Tensor& c : data)
    out.append(static_cast<const char*>(c.raw_data()), static_cast<size_t>(c.numel()) * c.itemsize());
  return out;
}

StateDict load_from_bytes(const std::string& bytes, const std::string& what) {
  auto bad = [&](const std::string& why) { return ValueError(str("rb::load: ", what, ": ", why)); };
  if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] == 'K')
    throw bad("this is a zip/pickle checkpoint (torch.save); rosenblatt reads safetensors files only");
  if (bytes.size() < 8) throw bad(str("truncated file (", bytes.size(), " bytes): not a safetensors checkpoint"));
  uint64_t hn = 0;
  for (int b = 0; b < 8; ++b) hn |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[b])) << (8 * b);
  if (hn < 2 || hn > bytes.size() - 8 || hn > (uint64_t(100) << 20))
    throw bad(str("not a safetensors checkpoint (header length ", hn, " is implausible for a file of ", bytes.size(),
                  " bytes)"));
  std::string text = bytes.substr(8, hn);
  Json doc = JsonReader(text, what).document();
  if (doc.kind != Json::Object) throw bad("the header is not a JSON object");
  const char* data = bytes.data() + 8 + hn;
  uint64_t data_size = bytes.size() - 8 - hn;

  struct Entry {
    std::string key;
    DType dtype;
    Shape shape;
    uint64_t begin, end;
  };
  std::vector<Entry> entries;
  std::map<std::string, bool> seen;
  for (const auto& [k, v] : doc.obj) {
    if (k == "__metadata__") continue;
    if (seen.count(k)) throw bad(str("duplicate key '", k, "'"));
    seen[k] = true;
    if (v.kind != Json::Object) throw bad(str("the entry '", k, "' is not an object"));
    const Json *dt = nullptr, *shape = nullptr, *offs = nullptr;
    for (const auto& [f, fv] : v.obj) {
      if (f == "dtype")
        dt = &fv;
      else if (f == "shape")
        shape = &fv;
      else if (f == "data_offsets")
        offs = &fv;
    }
    if (!dt || !shape || !offs) throw bad(str("the entry '", k, "' lacks dtype, shape or data_offsets"));
    Entry e{k, DType::Float32, {}, 0, 0};
    if (dt->kind != Json::String || !parse_st_dtype(dt->s, e.dtype))
      throw bad(str("the entry '", k, "' has dtype ", dt->kind == Json::String ? dt->s : "(not a string)",
                    "; rosenblatt reads F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL"));
    if (shape->kind != Json::Array || shape->arr.size() > static_cast<size_t>(kMaxDims))
      throw bad(str("the entry '", k, "' has a bad shape"));
    uint64_t numel = 1;
    for (const Json& d : shape->arr) {
      if (d.kind != Json::Int || d.i < 0) throw bad(str("the entry '", k, "' has a bad shape"));
      e.shape.push_back(d.i);
      if (d.i != 0 && numel > (uint64_t(1) << 62) / static_cast<uint64_t>(d.i))
        throw bad(str("the entry '", k, "' has a shape too large"));
      numel *= static_cast<uint64_t>(d.i);
    }
    if (offs->kind != Json::Array || offs->arr.size() != 2 || offs->arr[0].kind != Json::Int ||
        offs->arr[1].kind != Json::Int || offs->arr[0].i < 0 || offs->arr[1].i < offs->arr[0].i)
      throw bad(str("the entry '", k, "' has bad data_offsets"));
    e.begin = static_cast<uint64_t>(offs->arr[0].i);
    e.end = static_cast<uint64_t>(offs->arr[1].i);
    if (e.end > data_size)
      throw bad(str("the entry '", k, "' ends at byte ", e.end, " of a data section of ", data_size,
                    " bytes (truncated file?)"));
    if (e.end - e.begin != numel * itemsize(e.dtype))
      throw bad(
          str("the entry '", k, "' has ", e.end - e.begin, " bytes for shape ", e.shape, " of ", dtype_name(e.dtype)));
    entries.push_back(std::move(e));
  }
  StateDict out;
  for (const Entry& e : entries) {
    Tensor t = Tensor::empty(e.shape, e.dtype);
    if (e.end > e.begin) std::memcpy(t.raw_data(), data + e.begin, e.end - e.begin);
    if (e.dtype == DType::Bool) {
      const unsigned char* b = static_cast<const unsigned char*>(t.raw_data());
      for (uint64_t i = 0; i < e.end - e.begin; ++i)
        if (b[i] > 1) throw bad(str("the entry '", e.key, "' holds a bool byte that is neither 0 nor 1"));
    }
    out.emplace_back(e.key, t);
  }
  return out;
}

void save(const StateDict& sd, const std::string& path) {
  std::string bytes = save_to_bytes(sd);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  RB_CHECK(f, Error, "rb::save: cannot open '", path, "' for writing");
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  RB_CHECK(f, Error, "rb::save: writing '", path, "' failed");
}

StateDict load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  RB_CHECK(f, Error, "rb::load: cannot open '", path, "'");
  std::ostringstream ss;
  ss << f.rdbuf();
  return load_from_bytes(ss.str(), path);
}

}  // namespace rb
