using IchFunctions.Functions.Options;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Inference.Remote;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Triggers.Scheduling;

/// <summary>
/// Reads the model version from the <c>ich.contract</c> of the model that scores studies: the remote
/// server's model configuration, or the in-process ONNX file. Read once per worker and kept, because a new
/// model version is deployed with a restart of the app.
/// </summary>
public sealed class ModelContractVersionSource(IOptions<InferenceOptions> options, IHttpClientFactory httpClients) : IModelVersionSource, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _version;

    public async Task<string> GetModelVersionAsync(CancellationToken cancellationToken)
    {
        if (_version is not null)
        {
            return _version;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _version ??= await ReadVersionAsync(cancellationToken).ConfigureAwait(false);
            return _version;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<string> ReadVersionAsync(CancellationToken cancellationToken)
    {
        InferenceOptions inference = options.Value;
        if (!inference.UsesRemoteEndpoint)
        {
            using OnnxModelRunner local = OnnxModelRunner.Load(inference.ModelPath!);
            return local.Contract.ModelVersion;
        }

        // NOTE: no bearer token is sent here; a server that requires Inference__TokenScope rejects this read.
        var remoteOptions = new RemoteModelOptions { BaseAddress = inference.Endpoint!, ModelName = inference.ModelName! };
        using RemoteModelRunner remote = await RemoteModelRunner.ConnectAsync(remoteOptions, httpClients.CreateClient(nameof(ModelContractVersionSource)), cancellationToken).ConfigureAwait(false);
        return remote.Contract.ModelVersion;
    }
}
