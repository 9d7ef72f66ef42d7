using System.Runtime.InteropServices;

namespace IchFunctions.Imaging.Inference;

internal static class MemoryMarshalHelper
{
    /// <summary>ONNX Runtime takes input buffers as writable memory but does not write to them.</summary>
    public static Memory<float> AsWritable(ReadOnlyMemory<float> memory) => MemoryMarshal.AsMemory(memory);
}
