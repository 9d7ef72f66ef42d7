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


# Field numbers of the ONNX messages read below (onnx/onnx.proto).
_MODEL_GRAPH, _MODEL_OPSET_IMPORT = 7, 8
_OPSET_DOMAIN, _OPSET_VERSION = 1, 2
_GRAPH_INPUT, _GRAPH_OUTPUT = 11, 12
_VALUE_INFO_NAME, _VALUE_INFO_TYPE = 1, 2
_TYPE_TENSOR = 1
_TENSOR_ELEMENT_TYPE, _TENSOR_SHAPE = 1, 2
_SHAPE_DIM = 1
_DIM_VALUE, _DIM_PARAM = 1, 2
# TensorProto.DataType value of float32.
FLOAT32 = 1


def _sub(fields: list[tuple[int, int, bytes | int]], number: int) -> list[bytes]:
    return [v for n, w, v in fields if n == number and w == _WIRE_LENGTH_DELIMITED and isinstance(v, bytes)]


def _value_info(data: bytes) -> tuple[str, int, list[int | str]]:
    fields = _fields(data)
    name = b"".join(_sub(fields, _VALUE_INFO_NAME)).decode("utf-8")
    element_type, dims = 0, []
    for type_proto in _sub(fields, _VALUE_INFO_TYPE):
        for tensor in _sub(_fields(type_proto), _TYPE_TENSOR):
            tensor_fields = _fields(tensor)
            element_type = next((int(v) for n, w, v in tensor_fields if n == _TENSOR_ELEMENT_TYPE and w == _WIRE_VARINT), 0)
            for shape in _sub(tensor_fields, _TENSOR_SHAPE):
                for dim in _sub(_fields(shape), _SHAPE_DIM):
                    dim_fields = _fields(dim)
                    params = _sub(dim_fields, _DIM_PARAM)
                    values = [int(v) for n, w, v in dim_fields if n == _DIM_VALUE and w == _WIRE_VARINT]
                    if params:
                        dims.append(params[0].decode("utf-8"))
                    elif values:
                        dims.append(values[0])
                    else:
                        dims.append("?")
    return name, element_type, dims


def read_graph_signature(model: bytes) -> dict[str, list[tuple[str, int, list[int | str]]]]:
    """Return the graph's inputs and outputs as (name, element type, dims); a named dim is dynamic."""
    fields = _fields(model)
    graphs = _sub(fields, _MODEL_GRAPH)
    if len(graphs) != 1:
        raise OnnxFormatError(f"expected one graph in the model, found {len(graphs)}")
    graph = _fields(graphs[0])
    return {
        "inputs": [_value_info(v) for v in _sub(graph, _GRAPH_INPUT)],
        "outputs": [_value_info(v) for v in _sub(graph, _GRAPH_OUTPUT)],
    }


def read_opsets(model: bytes) -> dict[str, int]:
    """Return the imported operator sets by domain ("" is the default ONNX domain)."""
    opsets = {}
    for entry in _sub(_fields(model), _MODEL_OPSET_IMPORT):
        fields = _fields(entry)
        domain = b"".join(_sub(fields, _OPSET_DOMAIN)).decode("utf-8")
        opsets[domain] = next((int(v) for n, w, v in fields if n == _OPSET_VERSION and w == _WIRE_VARINT), 0)
    return opsets
