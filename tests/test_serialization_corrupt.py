"""rb.load of hand-crafted corrupt safetensors files: every defect (entries that overlap or leave
a gap in the data section, offsets past the end, a huge header length, a header that is not a
JSON object or is nested too deep, an unknown dtype, a shape that does not match the bytes) is
rejected by the safetensors package and raised as a ValueError naming the file and the package's
reason, never an OverflowError, TypeError or RecursionError."""
import json
import struct

import numpy as np
import pytest

import rosenblatt as rb


def _file(tmp_path, header, body=b"", name="bad.st"):
    """A safetensors file: 8-byte little-endian header length, the header, the data section."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    path = tmp_path / name
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + body)
    return path


def _entry(a, b, shape=(2,), dtype="F32"):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": [a, b]}


def _load_raises(path, match):
    with pytest.raises(ValueError, match=f"{path.name}: not a valid safetensors file \\(.*({match})"):
        rb.load(path)


def _tree_raises(path, match):
    """A valid safetensors file whose rosenblatt JSON tree (our own metadata) is broken."""
    with pytest.raises(ValueError, match=f"{path.name}: {match}"):
        rb.load(path)


def test_a_well_formed_hand_made_file_loads(tmp_path):
    # The helper itself is right: two entries tiling the data section load.
    body = np.array([1, 2], "<f4").tobytes() + np.array([3, 4, 5], "<f4").tobytes()
    got = rb.load(_file(tmp_path, {"a": _entry(0, 8), "b": _entry(8, 20, (3,))}, body))
    assert got["a"].tolist() == [1, 2] and got["b"].tolist() == [3, 4, 5]


def test_overlapping_entries(tmp_path):
    body = np.arange(3, dtype="<f4").tobytes()
    _load_raises(_file(tmp_path, {"a": _entry(0, 8), "b": _entry(4, 12)}, body), "invalid offset")
    # the same bytes twice
    _load_raises(_file(tmp_path, {"a": _entry(0, 8), "b": _entry(0, 8)}, body[:8]), "invalid offset")


def test_a_gap_between_entries_or_before_the_first(tmp_path):
    body = np.arange(5, dtype="<f4").tobytes()
    _load_raises(_file(tmp_path, {"a": _entry(0, 8), "b": _entry(12, 20)}, body), "invalid offset")
    _load_raises(_file(tmp_path, {"a": _entry(4, 12)}, body[:12]), "invalid offset")


def test_zero_size_entries_may_share_an_offset(tmp_path):
    body = np.arange(2, dtype="<f4").tobytes()
    header = {"e1": _entry(0, 0, (0,)), "a": _entry(0, 8), "e2": _entry(8, 8, (0, 3))}
    got = rb.load(_file(tmp_path, header, body))
    assert got["a"].tolist() == [0, 1] and tuple(got["e2"].shape) == (0, 3)


@pytest.mark.parametrize("a,b", [(0, 2**70), (2**64 - 8, 2**64), (8, 16), (-8, 0)])
def test_offsets_past_the_end_or_out_of_range(tmp_path, a, b):
    _load_raises(_file(tmp_path, {"a": _entry(a, b)}, b"\0" * 8), "invalid offset|invalid JSON")


def test_huge_header_length(tmp_path):
    path = tmp_path / "bad.st"
    for n in (2**63, 2**64 - 1, 10**12):
        path.write_bytes(struct.pack("<Q", n) + b"{}")
        _load_raises(path, "header too large")


@pytest.mark.parametrize("header", [
    b"[1, 2, 3]", b'"text"', b"null", b"42",
    b'{"a": [1, 2]}', b'{"a": "F32"}', b'{"a": null}',
    b'{"a": {"dtype": "F32", "shape": 2, "data_offsets": [0, 8]}}',
    b'{"a": {"dtype": "F32", "shape": "2", "data_offsets": [0, 8]}}',
    b'{"a": {"dtype": "F32", "shape": [true, true], "data_offsets": [0, 8]}}',
    b'{"a": {"dtype": "F32", "shape": [2.0], "data_offsets": [0, 8]}}',
    b'{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8, 9]}}',
    b'{"a": {"dtype": "F32", "shape": [2], "data_offsets": {"0": 8}}}',
    b'{"a": {"dtype": ["F32"], "shape": [2], "data_offsets": [0, 8]}}',
    b'{"a": {"shape": [2], "data_offsets": [0, 8]}}',
    b'{"__metadata__": [1], "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}',
    b"\xff\xfe{}",
    b'{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 1' + b"0" * 5000 + b"]}}",
])
def test_non_dict_or_malformed_header(tmp_path, header):
    _load_raises(_file(tmp_path, header, b"\0" * 8), "invalid (JSON|UTF-8) in header")


def test_deeply_nested_json_header(tmp_path):
    deep = b"[" * 200_000 + b"]" * 200_000
    _load_raises(_file(tmp_path, b'{"a": ' + deep + b"}", b""), "recursion limit exceeded")
    _load_raises(_file(tmp_path, deep, b""), "recursion limit exceeded|expected struct HashMetadata")


def test_deeply_nested_tree_metadata(tmp_path):
    # The JSON tree of a non-flat checkpoint, nested too deep for the parser or for the decoder.
    for tree in ("[" * 200_000 + "]" * 200_000, "[" * 50_000 + "]" * 50_000):
        header = {"__metadata__": {"format": "pt", "rosenblatt.tree": tree}}
        _tree_raises(_file(tmp_path, header), "corrupt tree")


@pytest.mark.parametrize("tree", [
    {"__tensor__": ["a"]}, {"__dict__": [[[1], 2], [{"x": 1}, 3]]}, {"__dict__": 5}, {"__bytes__": 5},
    {"__float__": [1]}, {"__dtype__": "no_such_dtype"}, {"__ndarray__": "t", "dtype": [1, 2]},
    {"__tuple__": 3},
])
def test_malformed_tree_nodes(tmp_path, tree):
    header = {"__metadata__": {"format": "pt", "rosenblatt.tree": json.dumps(tree)}, "t": _entry(0, 8)}
    _tree_raises(_file(tmp_path, header, b"\0" * 8), "corrupt")


def test_non_string_key_order_metadata_is_ignored(tmp_path):
    header = {"__metadata__": {"format": "pt", "rosenblatt.keys": "[1, \"a\"]"}, "a": _entry(0, 8)}
    assert list(rb.load(_file(tmp_path, header, b"\0" * 8))) == ["a"]


@pytest.mark.parametrize("dtype", ["F33", "f32", "", "FLOAT", "C64"])
def test_wrong_dtype_string(tmp_path, dtype):
    # C64 is a dtype the package knows: two of them do not fit in 8 bytes
    _load_raises(_file(tmp_path, {"a": _entry(0, 8, dtype=dtype)}, b"\0" * 8),
                 "unknown variant `|invalid shape, data type")


@pytest.mark.parametrize("shape,a,b", [
    ((3,), 0, 8),                 # 12 bytes of F32 described by 8
    ((2, 2), 0, 8),
    ((2**40, 2**40), 0, 8),       # a product past int64
    ((2**64,), 0, 8),             # a dimension past int64
    ((0,), 0, 8),
])
def test_shape_does_not_match_the_bytes(tmp_path, shape, a, b):
    _load_raises(_file(tmp_path, {"a": _entry(a, b, shape)}, b"\0" * 8),
                 "invalid shape, data type, or offset|overflow computing buffer size|invalid JSON")


def test_rosenblatt_files_still_pass_the_checks(tmp_path):
    # What rb.save writes (flat and tree files, several entries) passes the tiling check.
    rb.save({"w": rb.randn(3, 4), "b": rb.randn(4), "e": rb.zeros(0)}, tmp_path / "flat.st")
    rb.save({"x": [rb.randn(2), (rb.arange(3), {"k": rb.ones(2, 2)})], "n": 3}, tmp_path / "tree.st")
    assert set(rb.load(tmp_path / "flat.st")) == {"w", "b", "e"}
    assert rb.load(tmp_path / "tree.st")["n"] == 3
