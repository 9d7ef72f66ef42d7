using IchFunctions.Functions.Triggers.Scheduling;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>A model version chosen by the test, in place of reading the ONNX contract.</summary>
public sealed class FixedModelVersion(string version) : IModelVersionSource
{
    public Task<string> GetModelVersionAsync(CancellationToken cancellationToken) => Task.FromResult(version);
}
