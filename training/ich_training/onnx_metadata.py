"""Read and add ONNX model metadata properties without the ``onnx`` package.

An ONNX file is a serialised ``ModelProto``. Its ``metadata_props`` (field 14) is a repeated
``StringStringEntryProto`` with ``key`` (field 1) and ``value`` (field 2). Protocol Buffers lets
fields appear in any order and concatenates repeated fields, so appending an encoded entry to the
file adds a property exactly as ``onnx.helper.set_model_props`` would.
"""

from __future__ import annotations

_METADATA_PROPS_FIELD = 14
_KEY_FIELD = 1
_VALUE_FIELD = 2
_WIRE_VARINT, _WIRE_FIXED64, _WIRE_LENGTH_DELIMITED, _WIRE_FIXED32 = 0, 1, 2, 5


class OnnxFormatError(ValueError):
    """Bytes that are not a well-formed serialised protocol buffer message."""


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _length_delimited(field: int, payload: bytes) -> bytes:
    return _encode_varint(field << 3 | _WIRE_LENGTH_DELIMITED) + _encode_varint(len(payload)) + payload


def encode_metadata_property(key: str, value: str) -> bytes:
    """Encode one ``metadata_props`` entry as it appears inside a ``ModelProto``."""
    entry = _length_delimited(_KEY_FIELD, key.encode("utf-8")) + _length_delimited(_VALUE_FIELD, value.encode("utf-8"))
    return _length_delimited(_METADATA_PROPS_FIELD, entry)


def _read_varint(data: bytes, offset: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if offset >= len(data):
            raise OnnxFormatError(f"varint runs past the end of the data at offset {offset}")
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, offset
        shift += 7
        if shift > 63:
            raise OnnxFormatError(f"varint longer than 10 bytes at offset {offset}")


def _fields(data: bytes) -> list[tuple[int, int, bytes | int]]:
    fields: list[tuple[int, int, bytes | int]] = []
    offset = 0
    while offset < len(data):
        tag, offset = _read_varint(data, offset)
        number, wire = tag >> 3, tag & 7
        if wire == _WIRE_VARINT:
            value, offset = _read_varint(data, offset)
            fields.append((number, wire, value))
        elif wire == _WIRE_LENGTH_DELIMITED:
            length, offset = _read_varint(data, offset)
            if offset + length > len(data):
                raise OnnxFormatError(f"field {number} claims {length} bytes at offset {offset}, past the end")
            fields.append((number, wire, data[offset : offset + length]))
            offset += length
        elif wire in (_WIRE_FIXED64, _WIRE_FIXED32):
            offset += 8 if wire == _WIRE_FIXED64 else 4
        else:
            raise OnnxFormatError(f"unsupported wire type {wire} for field {number} at offset {offset}")
    if offset != len(data):
        raise OnnxFormatError("the last field runs past the end of the data")
    return fields


def read_metadata_properties(model: bytes) -> dict[str, str]:
    """Return the ``metadata_props`` of a serialised ONNX model; a later entry for a key wins."""
    properties: dict[str, str] = {}
    for number, wire, value in _fields(model):
        if number != _METADATA_PROPS_FIELD or wire != _WIRE_LENGTH_DELIMITED:
            continue
        assert isinstance(value, bytes)
        entry = {n: v for n, w, v in _fields(value) if w == _WIRE_LENGTH_DELIMITED}
        key, text = entry.get(_KEY_FIELD, b""), entry.get(_VALUE_FIELD, b"")
        assert isinstance(key, bytes) and isinstance(text, bytes)
        properties[key.decode("utf-8")] = text.decode("utf-8")
    return properties


def add_metadata_property(model: bytes, key: str, value: str) -> bytes:
    """Return ``model`` with the property added; an existing property of that key is an error."""
    if key in read_metadata_properties(model):
        raise ValueError(f"the model already has metadata property '{key}'")
    return model + encode_metadata_property(key, value)
