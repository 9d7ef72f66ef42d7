using System.Runtime.InteropServices;
using System.Text;
using IchFunctions.Imaging.Inference.Protocol;

namespace IchFunctions.Inference.Tests.Protocol;

public sealed class InferenceMessageReaderTests
{
    private static byte[] Binary(string header, params float[] values) =>
        [.. Encoding.UTF8.GetBytes(header), .. MemoryMarshal.AsBytes(values.AsSpan()).ToArray()];

    private static string ReadError(byte[] body, long? headerLength) =>
        Assert.Throws<InferenceProtocolException>(() => InferenceMessageReader.Read(body, headerLength, InferenceMessageReader.Inputs)).Message;

    [Fact]
    public void Read_TwoBinaryTensorsInOrder()
    {
        const string header = """{"inputs":[{"name":"a","datatype":"FP32","shape":[2],"parameters":{"binary_data_size":8}},{"name":"b","datatype":"FP32","shape":[1,1],"parameters":{"binary_data_size":4}}]}""";
        byte[] body = Binary(header, 1f, 2f, 3f);

        InferenceMessage message = InferenceMessageReader.Read(body, Encoding.UTF8.GetByteCount(header), InferenceMessageReader.Inputs);

        Assert.Equal([1f, 2f], message.Tensors[0].Data.ToArray());
        Assert.Equal([3f], message.Tensors[1].Data.ToArray());
        Assert.Equal([1L, 1L], message.Tensors[1].Shape);
    }

    [Fact]
    public void Read_MixedJsonAndBinaryTensors()
    {
        const string header = """{"inputs":[{"name":"a","datatype":"FP32","shape":[2],"data":[[5],[6]]},{"name":"b","datatype":"FP32","shape":[1],"parameters":{"binary_data_size":4}}]}""";
        byte[] body = Binary(header, 7f);

        InferenceMessage message = InferenceMessageReader.Read(body, Encoding.UTF8.GetByteCount(header), InferenceMessageReader.Inputs);

        Assert.Equal([5f, 6f], message.Tensors[0].Data.ToArray());
        Assert.Equal([7f], message.Tensors[1].Data.ToArray());
    }

    [Fact]
    public void Read_RequestParameters()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"id":"x","parameters":{"binary_data_output":true},"inputs":[],"outputs":[{"name":"o","parameters":{"binary_data":false}}]}""");

        InferenceMessage message = InferenceMessageReader.Read(body, null, InferenceMessageReader.Inputs);

        Assert.Equal("x", message.Id);
        Assert.True(message.BinaryDataOutput);
        Assert.Equal(new RequestedOutput("o", false), Assert.Single(message.RequestedOutputs));
    }

    [Fact]
    public void Read_TrailingBinaryBytes_Rejected()
    {
        const string header = """{"inputs":[{"name":"a","datatype":"FP32","shape":[1],"parameters":{"binary_data_size":4}}]}""";

        string error = ReadError(Binary(header, 1f, 2f), Encoding.UTF8.GetByteCount(header));

        Assert.Contains("4 bytes of binary data after the last tensor's data", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SizeNotMatchingShape_Rejected()
    {
        const string header = """{"inputs":[{"name":"a","datatype":"FP32","shape":[3],"parameters":{"binary_data_size":8}}]}""";

        string error = ReadError(Binary(header, 1f, 2f), Encoding.UTF8.GetByteCount(header));

        Assert.Equal("Tensor 'a' has binary_data_size 8, but shape [3] of FP32 takes 12 bytes.", error);
    }

    [Fact]
    public void Read_HugeShape_RejectedBeforeAllocating()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"a","datatype":"FP32","shape":[100000,100000,100000],"data":[]}]}""");

        string error = ReadError(body, null);

        Assert.StartsWith("Tensor 'a' has shape [100000, 100000, 100000], more than the", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativeDimension_Rejected()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"a","datatype":"FP32","shape":[-1,2],"data":[]}]}""");

        string error = ReadError(body, null);

        Assert.Equal("Tensor 'a' has shape [-1, 2] with a negative dimension; every dimension must be 0 or more.", error);
    }

    [Fact]
    public void Read_NonNumberData_Rejected()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"a","datatype":"FP32","shape":[2],"data":[1,"two"]}]}""");

        string error = ReadError(body, null);

        Assert.Equal("Tensor 'a' has \"two\" at data index 1, which is not an FP32 number.", error);
    }

    [Fact]
    public void Read_LongInvalidValue_CutInMessage()
    {
        string value = new('x', 5000);
        byte[] body = Encoding.UTF8.GetBytes($$"""{"inputs":[{"name":"a","datatype":"FP32","shape":[1],"data":["{{value}}"]}]}""");

        string error = ReadError(body, null);

        Assert.Equal($"Tensor 'a' has \"{new string('x', 39)}... at data index 0, which is not an FP32 number.", error);
    }

    [Fact]
    public void Read_MissingInputs_Rejected()
    {
        string error = ReadError(Encoding.UTF8.GetBytes("""{"outputs":[]}"""), null);

        Assert.Equal("The message has no 'inputs' array.", error);
    }

    [Theory]
    [InlineData("abc", "Inference-Header-Content-Length is 'abc', which is not a non-negative integer byte count.")]
    [InlineData("-5", "Inference-Header-Content-Length is '-5', which is not a non-negative integer byte count.")]
    public void ParseHeaderLength_Invalid_Rejected(string value, string expected)
    {
        var error = Assert.Throws<InferenceProtocolException>(() => InferenceMessageReader.ParseHeaderLength(value));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Read_ZeroHeaderLength_Rejected()
    {
        string error = ReadError(Encoding.UTF8.GetBytes("{}"), 0);

        Assert.Equal("Inference-Header-Content-Length is 0 but the body has 2 bytes; the header length must be positive and at most the body length.", error);
    }

    [Fact]
    public async Task Writer_RoundTripsThroughReader()
    {
        var tensor = new InferenceTensor("p", [2, 2], new float[] { 0.25f, -1.5f, float.Epsilon, 3e38f });
        EncodedMessage binary = InferenceMessageWriter.EncodeResponse("m", "1", "id-1", [new OutgoingTensor(tensor, true)]);
        EncodedMessage json = InferenceMessageWriter.EncodeResponse("m", "1", null, [new OutgoingTensor(tensor, false)]);

        foreach (EncodedMessage encoded in (EncodedMessage[])[binary, json])
        {
            using var stream = new MemoryStream();
            await encoded.WriteToAsync(stream, TestContext.Current.CancellationToken);
            Assert.Equal(encoded.ContentLength, stream.Length);
            InferenceMessage read = InferenceMessageReader.Read(stream.ToArray(), encoded.IsBinary ? encoded.Header.Length : null, InferenceMessageReader.Outputs);
            Assert.Equal("m", read.ModelName);
            Assert.Equal(tensor.Data.ToArray(), Assert.Single(read.Tensors).Data.ToArray());
        }
    }
}
