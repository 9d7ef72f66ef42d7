namespace IchFunctions.Inference.Batching;

/// <summary>
/// One request's stacks waiting to run: input float32 [Batch, S, Height, Width] and the output buffers the
/// batcher fills. <see cref="Completion"/> finishes when the outputs are written, fails with the model's
/// error, or is cancelled when the caller abandoned the request.
/// </summary>
internal sealed class InferenceWork(float[] input, int batch, int height, int width, CancellationToken cancellationToken)
{
    public float[] Input { get; } = input;

    public int Batch { get; } = batch;

    public int Height { get; } = height;

    public int Width { get; } = width;

    public float[] PixelOutput { get; } = new float[batch * height * width];

    public float[] SliceOutput { get; } = new float[batch];

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool SameShape(InferenceWork other) => Height == other.Height && Width == other.Width;
}
