namespace IchFunctions.Imaging.Inference;

/// <summary>Which ONNX Runtime execution provider runs the model.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
}

/// <summary>Settings of the in-process ONNX Runtime engine.</summary>
public sealed record OnnxEngineOptions
{
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>CUDA device index when <see cref="Provider"/> is CUDA.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>
    /// Threads within one operator of one batch. 0 divides the CPU cores among the
    /// <see cref="ConcurrentRuns"/> and, on CUDA, keeps ONNX Runtime's default.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Batches run at once on the session. 0 chooses two on a CPU with at least two cores, because small
    /// convolutions do not keep several threads of one batch busy, and one on CUDA.
    /// </summary>
    public int ConcurrentRuns { get; init; }

    /// <summary>
    /// Runs the model in half precision through the TensorRT execution provider (with CUDA behind it for the
    /// operators TensorRT does not take). Needs <see cref="Provider"/> CUDA and the TensorRT libraries; the CUDA and
    /// CPU providers alone run FP32.
    /// </summary>
    public bool TensorRtFp16 { get; init; }

    /// <summary>Slices per inference call.</summary>
    public int BatchSize { get; init; } = 4;

    public static OnnxEngineOptions Default { get; } = new();
}
