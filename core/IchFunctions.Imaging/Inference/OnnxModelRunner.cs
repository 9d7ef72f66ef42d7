using System.Globalization;
using IchFunctions.Imaging.Models;
using Microsoft.ML.OnnxRuntime;

namespace IchFunctions.Imaging.Inference;

/// <summary>Runs a contract model with ONNX Runtime in this process, on the CPU or a CUDA device.</summary>
public sealed class OnnxModelRunner : IModelRunner
{
    private readonly InferenceSession _session;

    private OnnxModelRunner(InferenceSession session, ModelContract contract, string description, int concurrentBatches)
    {
        _session = session;
        Contract = contract;
        Description = description;
        ConcurrentBatches = concurrentBatches;
    }

    public ModelContract Contract { get; }

    public string Description { get; }

    public int ConcurrentBatches { get; }

    /// <summary>Loads and validates a model file; throws <see cref="ModelContractException"/> or <see cref="InferenceException"/> with the reason.</summary>
    public static OnnxModelRunner Load(string modelPath, OnnxEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        options = Resolve(options ?? OnnxEngineOptions.Default, Environment.ProcessorCount);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Model file not found: {modelPath}. Pass the path of an exported .onnx model.", modelPath);
        }

        SessionOptions sessionOptions = CreateSessionOptions(options);
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException error)
        {
            sessionOptions.Dispose();
            throw new InferenceException($"ONNX Runtime could not load {Path.GetFileName(modelPath)}: {error.Message}", error);
        }

        try
        {
            ModelContract contract = OnnxModelValidator.Validate(session, Path.GetFileName(modelPath));
            string threads = options.IntraOpThreads > 0 ? options.IntraOpThreads.ToString(CultureInfo.InvariantCulture) : "default";
            string device = options.Provider == ExecutionProvider.Cpu ? "CPU"
                : options.TensorRtFp16 ? $"TensorRT FP16 on CUDA device {options.CudaDeviceId}"
                : $"CUDA device {options.CudaDeviceId}";
            string description = string.Create(CultureInfo.InvariantCulture,
                $"ONNX Runtime {device}, {options.ConcurrentRuns} concurrent batch{(options.ConcurrentRuns == 1 ? "" : "es")} x {threads} intra-op thread{(threads == "1" ? "" : "s")}");
            return new OnnxModelRunner(session, contract, description, options.ConcurrentRuns);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public async Task RunAsync(ReadOnlyMemory<float> input, int batch, int height, int width, Memory<float> pixelOutput, Memory<float> sliceOutput, CancellationToken cancellationToken)
    {
        int slices = Contract.Input.ContextSlices;
        long[] shape = [batch, slices, height, width];
        if (input.Length != batch * slices * height * width || pixelOutput.Length != batch * height * width || sliceOutput.Length != batch)
        {
            throw new ArgumentException($"Buffers do not match a batch of {batch} x {slices} x {height} x {width}.");
        }

        using var runOptions = new RunOptions();
        using CancellationTokenRegistration registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshalHelper.AsWritable(input), shape);
        try
        {
            // ONNX Runtime's Run blocks; a worker thread keeps the caller responsive, and Terminate cancels it.
            await Task.Run(() => Run(runOptions, inputValue, pixelOutput.Span, sliceOutput.Span), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OnnxRuntimeException error)
        {
            throw new InferenceException($"ONNX Runtime failed on a batch of {batch} at {height}x{width}: {error.Message}", error);
        }
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Fills in the automatic thread and concurrency choices described on <see cref="OnnxEngineOptions"/>.</summary>
    internal static OnnxEngineOptions Resolve(OnnxEngineOptions options, int processorCount)
    {
        bool cpu = options.Provider == ExecutionProvider.Cpu;
        int runs = options.ConcurrentRuns;
        if (runs == 0)
        {
            runs = cpu && processorCount >= 2 ? 2 : 1;
        }

        int threads = options.IntraOpThreads > 0 || !cpu ? options.IntraOpThreads : Math.Max(1, processorCount / runs);
        return options with { ConcurrentRuns = runs, IntraOpThreads = threads };
    }

    private void Run(RunOptions runOptions, OrtValue input, Span<float> pixelOutput, Span<float> sliceOutput)
    {
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(
            runOptions, [ModelContract.InputName], [input], [ModelContract.PixelOutputName, ModelContract.SliceOutputName]);
        outputs[0].GetTensorDataAsSpan<float>().CopyTo(pixelOutput);
        outputs[1].GetTensorDataAsSpan<float>().CopyTo(sliceOutput);
    }

    private static SessionOptions CreateSessionOptions(OnnxEngineOptions options)
    {
        var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options.IntraOpThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        }

        if (options.Provider == ExecutionProvider.Cuda)
        {
            try
            {
                if (options.TensorRtFp16)
                {
                    AppendTensorRtFp16(sessionOptions, options.CudaDeviceId);
                }

                sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
            }
            catch (Exception error) when (error is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                sessionOptions.Dispose();
                string provider = options.TensorRtFp16 ? "TensorRT FP16" : "CUDA";
                throw new InferenceException(
                    $"{provider} was requested but is not available here ({error.Message}). Install the Microsoft.ML.OnnxRuntime.Gpu build with the CUDA and cuDNN it links (CUDA 13 and cuDNN 9 for 1.32; TensorRT 10 for FP16), or run on the CPU.", error);
            }
        }
        else if (options.TensorRtFp16)
        {
            sessionOptions.Dispose();
            throw new InferenceException("TensorRT FP16 was requested on the CPU; it needs the CUDA provider.");
        }

        return sessionOptions;
    }

    private static void AppendTensorRtFp16(SessionOptions sessionOptions, int deviceId)
    {
        using var tensorRt = new OrtTensorRTProviderOptions();
        tensorRt.UpdateOptions(new Dictionary<string, string>
        {
            ["device_id"] = deviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = "1",
            ["trt_engine_cache_enable"] = "1",
            ["trt_engine_cache_path"] = Path.Combine(Path.GetTempPath(), "ich-tensorrt-cache"),
        });
        sessionOptions.AppendExecutionProvider_Tensorrt(tensorRt);
    }
}

/// <summary>Inference failed for a reason other than the model contract.</summary>
public sealed class InferenceException : Exception
{
    public InferenceException(string message)
        : base(message)
    {
    }

    public InferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
