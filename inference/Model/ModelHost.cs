using System.Diagnostics;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using IchFunctions.Inference.Options;
using Microsoft.Extensions.Options;
using CoreProvider = IchFunctions.Imaging.Inference.ExecutionProvider;
using ServiceProvider = IchFunctions.Inference.Options.ExecutionProvider;

namespace IchFunctions.Inference.Model;

/// <summary>
/// Loads the model when the service starts, on the best execution provider that loads, checks it against the
/// model contract and runs a warm-up inference. The service is ready only after that. Loading runs in the
/// background, so liveness responds meanwhile. A model that fails to load stops the service.
/// </summary>
internal sealed class ModelHost(
    ModelSource source, IOptions<ModelOptions> options, IHostApplicationLifetime lifetime, ILogger<ModelHost> logger)
    : IHostedService, IDisposable
{
    /// <summary>Warm-up input height and width, a multiple of every model's size multiple (8).</summary>
    internal const int WarmUpSize = 64;

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loading;
    private volatile OnnxModelRunner? _runner;
    private volatile bool _ready;

    public bool IsReady => _ready;

    /// <summary>The loaded runner; throws when called before the model is ready.</summary>
    public IModelRunner Runner => _ready ? _runner! : throw new InvalidOperationException("The model is not loaded yet; check readiness first.");

    public ModelContract Contract => Runner.Contract;

    /// <summary>The execution provider that runs the model ("CPU", "CUDA" or "TensorRT FP16"), or "none" before loading.</summary>
    public string Provider { get; private set; } = "none";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(() => LoadAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loading is not null)
        {
            await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _runner?.Dispose();
        _stopping.Dispose();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            logger.ModelLoading(source.Description);
            var clock = Stopwatch.StartNew();
            string path = await source.ResolveAsync(cancellationToken).ConfigureAwait(false);
            OnnxModelRunner runner = LoadWithFallback(path);
            _runner = runner;
            logger.ModelLoaded(runner.Contract.ModelName, runner.Contract.ModelVersion, runner.Contract.Input.ContextSlices, Provider, clock.ElapsedMilliseconds);

            clock.Restart();
            await WarmUpAsync(runner, cancellationToken).ConfigureAwait(false);
            logger.WarmUpCompleted(WarmUpSize, WarmUpSize, clock.ElapsedMilliseconds);
            _ready = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The service is stopping before the model finished loading.
        }
        catch (Exception error)
        {
            // The host would not see an exception from this background task, so the service logs it and stops.
            logger.ModelLoadFailed(error);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private OnnxModelRunner LoadWithFallback(string path)
    {
        ModelOptions settings = options.Value;
        var attempts = new List<(string Provider, OnnxEngineOptions Engine)>();
        if (settings.ExecutionProvider == ServiceProvider.Cuda)
        {
            if (settings.UseFp16)
            {
                attempts.Add(("TensorRT FP16", new OnnxEngineOptions { Provider = CoreProvider.Cuda, TensorRtFp16 = true }));
            }

            attempts.Add(("CUDA", new OnnxEngineOptions { Provider = CoreProvider.Cuda }));
        }

        // The dynamic batcher runs one batch at a time, so one batch gets every core.
        attempts.Add(("CPU", new OnnxEngineOptions { Provider = CoreProvider.Cpu, ConcurrentRuns = 1 }));
        if (settings.UseFp16 && settings.ExecutionProvider == ServiceProvider.Cpu)
        {
            logger.Fp16Unavailable("CPU");
        }

        for (int i = 0; ; i++)
        {
            try
            {
                OnnxModelRunner runner = OnnxModelRunner.Load(path, attempts[i].Engine);
                Provider = attempts[i].Provider;
                return runner;
            }
            catch (InferenceException error) when (i < attempts.Count - 1)
            {
                logger.ProviderFallback(attempts[i].Provider, attempts[i + 1].Provider, error.Message);
            }
        }
    }

    /// <summary>
    /// Runs one air-filled stack so that the provider allocates its memory and picks its kernels before the first
    /// request, and checks the outputs are probabilities.
    /// </summary>
    private static async Task WarmUpAsync(OnnxModelRunner runner, CancellationToken cancellationToken)
    {
        int plane = WarmUpSize * WarmUpSize;
        float[] input = new float[runner.Contract.Input.ContextSlices * plane];
        Array.Fill(input, SeriesInference.PaddingHu);
        float[] pixels = new float[plane];
        float[] slice = new float[1];
        await runner.RunAsync(input, 1, WarmUpSize, WarmUpSize, pixels, slice, cancellationToken).ConfigureAwait(false);

        foreach (float value in pixels.Append(slice[0]))
        {
            if (!(value >= 0f && value <= 1f))
            {
                throw new ModelContractException(
                    $"The warm-up inference returned {value}, which is not a probability in [0, 1]; the contract requires sigmoid outputs.");
            }
        }
    }
}
