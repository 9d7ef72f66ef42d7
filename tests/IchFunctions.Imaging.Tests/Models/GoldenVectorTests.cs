using System.Text.Json;
using IchFunctions.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IchFunctions.Imaging.Tests.Models;

/// <summary>
/// Runs the seeded random-weight models exported by the training package with ONNX Runtime and compares
/// the outputs with PyTorch's on the same inputs. The files are regenerated with
/// <c>PYTHONPATH=training /usr/bin/python3 -m ich_training golden --output tests/data/golden</c>.
/// </summary>
public sealed class GoldenVectorTests
{
    public static TheoryData<string> GoldenModels => new() { "patchfcn-w0.0625-s3", "patchfcn-w0.03125-s1" };

    private static string GoldenPath(string fileName) =>
        Path.Combine(TestData.RepositoryRoot, "tests", "data", "golden", fileName);

    [Theory]
    [MemberData(nameof(GoldenModels))]
    public void OnnxRuntime_matches_pytorch_golden_outputs(string model)
    {
        using JsonDocument golden = JsonDocument.Parse(File.ReadAllText(GoldenPath($"{model}.golden.json")));
        JsonElement root = golden.RootElement;
        Assert.Equal("ich-golden-vectors/1", root.GetProperty("format").GetString());
        float tolerance = root.GetProperty("tolerance").GetSingle();
        using var session = new InferenceSession(GoldenPath(root.GetProperty("model").GetString()!));

        int caseIndex = 0;
        foreach (JsonElement goldenCase in root.GetProperty("cases").EnumerateArray())
        {
            DenseTensor<float> hu = ReadTensor(goldenCase.GetProperty("inputs").GetProperty("hu"));
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs =
                session.Run([NamedOnnxValue.CreateFromTensor("hu", hu)]);

            foreach (JsonProperty expected in goldenCase.GetProperty("outputs").EnumerateObject())
            {
                DenseTensor<float> expectedTensor = ReadTensor(expected.Value);
                Tensor<float> actual = outputs.Single(o => o.Name == expected.Name).AsTensor<float>();
                Assert.Equal(expectedTensor.Dimensions.ToArray(), actual.Dimensions.ToArray());

                float maxDifference = MaxAbsoluteDifference(expectedTensor, actual);
                Assert.True(maxDifference <= tolerance,
                    $"{model} case {caseIndex} output {expected.Name}: max |ONNX Runtime - PyTorch| = {maxDifference:G4}, tolerance {tolerance:G4}");
            }

            caseIndex++;
        }

        Assert.True(caseIndex > 0, $"{model}: the golden file has no cases");
    }

    [Theory]
    [MemberData(nameof(GoldenModels))]
    public void Exported_model_declares_contract_inputs_and_outputs(string model)
    {
        using var session = new InferenceSession(GoldenPath($"{model}.onnx"));

        NodeMetadata input = session.InputMetadata["hu"];
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal(4, input.Dimensions.Length);
        Assert.Equal(-1, input.Dimensions[0]);
        Assert.True(input.Dimensions[1] > 0, "the context slice dimension must be fixed");
        Assert.Equal(-1, input.Dimensions[2]);
        Assert.Equal(-1, input.Dimensions[3]);
        Assert.Equal(4, session.OutputMetadata["hemorrhage_probability"].Dimensions.Length);
        Assert.Single(session.OutputMetadata["slice_probability"].Dimensions);
    }

    [Theory]
    [MemberData(nameof(GoldenModels))]
    public void Exported_model_carries_ich_contract(string model)
    {
        using var session = new InferenceSession(GoldenPath($"{model}.onnx"));

        Assert.True(session.ModelMetadata.CustomMetadataMap.TryGetValue("ich.contract", out string? json),
            $"{model}: metadata property ich.contract is missing");
        using JsonDocument contract = JsonDocument.Parse(json!);
        JsonElement root = contract.RootElement;

        Assert.Equal("1.0", root.GetProperty("contract_version").GetString());
        Assert.Equal(model, root.GetProperty("model_name").GetString());
        Assert.True(root.GetProperty("not_for_clinical_use").GetBoolean());
        Assert.Equal("max_slice_probability", root.GetProperty("exam_score_rule").GetString());
        Assert.Equal("whole_slice", root.GetProperty("tiling").GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("pixel_spacing_mm").ValueKind);
        int contextSlices = root.GetProperty("input").GetProperty("context_slices").GetInt32();
        Assert.Equal(session.InputMetadata["hu"].Dimensions[1], contextSlices);
        Assert.Contains(root.GetProperty("operating_points").EnumerateArray(),
            point => point.GetProperty("name").GetString() == "default" && point.GetProperty("threshold").GetDouble() == 0.5);
    }

    private static DenseTensor<float> ReadTensor(JsonElement element)
    {
        int[] shape = element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        float[] data = element.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(shape.Aggregate(1, (product, d) => product * d), data.Length);
        return new DenseTensor<float>(data, shape);
    }

    private static float MaxAbsoluteDifference(Tensor<float> expected, Tensor<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(expected.GetValue(i) - actual.GetValue(i)));
        }

        return max;
    }
}
