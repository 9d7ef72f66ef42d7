using System.Diagnostics;
using IchFunctions.Dicom.Pixels;
using IchFunctions.Dicom.Pixels.Encapsulated;
using IchFunctions.Dicom.Tests.Pixels.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>
/// Mutated codestreams of the real WG04 samples (truncations, flipped bytes, overwritten runs) must decode or raise
/// <see cref="DicomPixelDataException"/>: never another exception type, a crash of the native codecs, or a hang.
/// The seed is fixed so that a failing mutation can be reproduced.
/// </summary>
public sealed class CorruptCodestreamTests
{
    private const int MutationsPerFile = 200;
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("CT2_JPLL")]
    [InlineData("CT2_RLE")]
    [InlineData("CT2_JLSL")]
    [InlineData("CT2_JLSN")]
    [InlineData("CT2_J2KR")]
    [InlineData("CT2_J2KI")]
    public void MutatedCodestream_DecodesOrRaisesPixelDataException(string file)
    {
        TestPixelSource source = TestPixelSource.Load(TestData.Require($"nema_wg04_ct2/{file}"));
        byte[] codestream = source.Encapsulated!.Fragments[0].ToArray();
        var random = new Random(file.Sum(character => character));
        var destination = new byte[source.Description.FrameLength];
        var stopwatch = Stopwatch.StartNew();
        int raised = 0;

        for (int mutation = 0; mutation < MutationsPerFile; mutation++)
        {
            byte[] mutated = Mutate(codestream, random, mutation % 3);
            var pixelData = new EncapsulatedPixelData(ReadOnlyMemory<byte>.Empty, [mutated]);
            PixelFrameReader reader = PixelFrameReader.Create(source.TransferSyntaxUid, source.Description, null, pixelData);
            try
            {
                reader.DecodeFrame(0, destination);
            }
            catch (DicomPixelDataException exception)
            {
                raised++;
                Assert.Contains("frame 0", exception.Message, StringComparison.Ordinal);
                Assert.Contains(source.TransferSyntaxUid, exception.Message, StringComparison.Ordinal);
            }
        }

        Assert.True(stopwatch.Elapsed < TimeLimit, $"{MutationsPerFile} mutated decodes took {stopwatch.Elapsed}.");
        Assert.True(raised > MutationsPerFile / 10, $"Only {raised} of {MutationsPerFile} mutations were detected as corrupt.");
    }

    private static byte[] Mutate(byte[] codestream, Random random, int kind)
    {
        switch (kind)
        {
            case 0:
                return codestream[..random.Next(0, codestream.Length)];
            case 1:
                byte[] flipped = (byte[])codestream.Clone();
                int flips = random.Next(1, 9);
                for (int i = 0; i < flips; i++)
                {
                    // Bias towards the headers, where lengths and sizes live.
                    int index = random.Next(2) == 0 ? random.Next(Math.Min(256, flipped.Length)) : random.Next(flipped.Length);
                    flipped[index] ^= (byte)random.Next(1, 256);
                }

                return flipped;
            default:
                byte[] overwritten = (byte[])codestream.Clone();
                int start = random.Next(overwritten.Length);
                random.NextBytes(overwritten.AsSpan(start, Math.Min(random.Next(1, 64), overwritten.Length - start)));
                return overwritten;
        }
    }
}
