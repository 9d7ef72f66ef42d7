import pytest

from ich_training.onnx_metadata import (
    OnnxFormatError,
    add_metadata_property,
    encode_metadata_property,
    read_metadata_properties,
)

# A ModelProto holding ir_version 8 (field 1, varint) and producer_name "t" (field 2).
MINIMAL_MODEL = bytes([0x08, 0x08, 0x12, 0x01, ord("t")])


def test_added_property_reads_back() -> None:
    model = add_metadata_property(MINIMAL_MODEL, "ich.contract", '{"a":"é"}')

    assert read_metadata_properties(model) == {"ich.contract": '{"a":"é"}'}


def test_property_encoding_matches_protobuf_layout() -> None:
    encoded = encode_metadata_property("k", "v")

    # field 14 length-delimited (0x72), length 6, then key (0x0a 1 'k') and value (0x12 1 'v').
    assert encoded == bytes([0x72, 0x06, 0x0A, 0x01, ord("k"), 0x12, 0x01, ord("v")])


def test_long_value_uses_multibyte_length() -> None:
    value = "x" * 300

    assert read_metadata_properties(add_metadata_property(MINIMAL_MODEL, "k", value))["k"] == value


def test_duplicate_key_raises() -> None:
    model = add_metadata_property(MINIMAL_MODEL, "k", "1")

    with pytest.raises(ValueError, match="already has metadata property 'k'"):
        add_metadata_property(model, "k", "2")


@pytest.mark.parametrize("data", [bytes([0x72, 0x10, 0x0A]), bytes([0x08]), bytes([0x0B])])
def test_malformed_model_raises(data: bytes) -> None:
    with pytest.raises(OnnxFormatError):
        read_metadata_properties(data)
