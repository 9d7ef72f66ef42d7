using IchFunctions.Imaging.Models;

namespace IchFunctions.Imaging.Inference;

/// <summary>
/// Runs the model on one batch of input stacks, in process or on a remote Open Inference Protocol server.
/// Tiling, padding and context slices are the caller's job (<see cref="SeriesInference"/>).
/// </summary>
public interface IModelRunner : IDisposable
{
    ModelContract Contract { get; }

    /// <summary>Where the model runs, for logs and reports (for example "ONNX Runtime CPU, 2 threads").</summary>
    string Description { get; }

    /// <summary>
    /// Batches a caller may have in flight at once. More than one pays off when one batch cannot keep the
    /// hardware busy, for example small models on several CPU cores.
    /// </summary>
    int ConcurrentBatches => 1;

    /// <summary>
    /// Runs <paramref name="input"/> (float32 [batch, S, height, width] in HU) and writes the pixel probabilities
    /// ([batch, height, width]) and slice probabilities ([batch]) into the output spans.
    /// </summary>
    Task RunAsync(ReadOnlyMemory<float> input, int batch, int height, int width, Memory<float> pixelOutput, Memory<float> sliceOutput, CancellationToken cancellationToken);
}
