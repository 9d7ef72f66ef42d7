using Azure.Core;
using IchFunctions.Functions.Options;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Inference.Remote;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.Scoring;

/// <summary>
/// The one model runner of the process: the remote Open Inference Protocol engine when Inference__Endpoint is
/// set, ONNX Runtime in-process otherwise. Created on first use; a failed creation is retried on the next call.
/// </summary>
public sealed class ModelRunnerProvider : IDisposable
{
    private readonly InferenceOptions _options;
    private readonly TokenCredential? _credential;
    private readonly Func<RemoteModelOptions, RemoteModelOptions> _configureRemote;
    private readonly ILogger<ModelRunnerProvider> _logger;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private IModelRunner? _runner;

    /// <param name="options">Where the model runs.</param>
    /// <param name="credential">Source of Entra tokens when Inference__TokenScope is set; null sends none.</param>
    /// <param name="configureRemote">Adjusts the remote engine's options (shared key, retries); null keeps them.</param>
    /// <param name="logger">Receives one message when the runner is ready.</param>
    public ModelRunnerProvider(
        IOptions<InferenceOptions> options, TokenCredential? credential, Func<RemoteModelOptions, RemoteModelOptions>? configureRemote,
        ILogger<ModelRunnerProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _credential = credential;
        _configureRemote = configureRemote ?? (remote => remote);
        _logger = logger;
    }

    /// <summary>True when slices go to a remote server, whose connection errors are transient.</summary>
    public bool IsRemote => _options.UsesRemoteEndpoint;

    public async Task<IModelRunner> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _runner) is { } ready)
        {
            return ready;
        }

        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_runner is null)
            {
                IModelRunner runner = IsRemote
                    ? await RemoteModelRunner.ConnectAsync(RemoteOptions(), http: null, cancellationToken).ConfigureAwait(false)
                    : OnnxModelRunner.Load(ModelPath());
                Logs.ModelRunnerReady(_logger, runner.Description, runner.Contract.ModelName, runner.Contract.ModelVersion);
                Volatile.Write(ref _runner, runner);
            }

            return _runner;
        }
        finally
        {
            _creating.Release();
        }
    }

    public void Dispose()
    {
        _runner?.Dispose();
        _creating.Dispose();
    }

    private RemoteModelOptions RemoteOptions()
    {
        string? scope = _options.TokenScope;
        var remote = new RemoteModelOptions
        {
            BaseAddress = _options.Endpoint!,
            ModelName = _options.ModelName!,
            BearerToken = string.IsNullOrEmpty(scope) || _credential is null
                ? null
                : async token => (await _credential.GetTokenAsync(new TokenRequestContext([scope]), token).ConfigureAwait(false)).Token,
        };
        return _configureRemote(remote);
    }

    /// <summary>A relative Inference__ModelPath is resolved against the app's folder, where the host runs it from.</summary>
    private string ModelPath() => Path.GetFullPath(_options.ModelPath!, AppContext.BaseDirectory);
}
