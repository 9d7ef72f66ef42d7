using IchFunctions.Dicom.Pixels.Codecs.Native;

namespace IchFunctions.Dicom.Tests.Pixels;

/// <summary>Loading of the system codec libraries and the error when one is missing.</summary>
public sealed class NativeCodecLibraryTests
{
    [Fact]
    public void AbsentLibrary_LoadsNothing()
    {
        Assert.Equal(IntPtr.Zero, NativeCodecLibrary.TryLoadAny(["libich-absent-codec.so.0"]));
    }

    [Theory]
    [InlineData(NativeCodecLibrary.CharLS, TransferSyntaxUids.JpegLSLossless, "libcharls.so.2", "libcharls2")]
    [InlineData(NativeCodecLibrary.OpenJpeg, TransferSyntaxUids.Jpeg2000Lossless, "libopenjp2.so.7", "libopenjp2-7")]
    public void MissingLibrary_NamesUidAndPackage(string library, string transferSyntaxUid, string fileName, string package)
    {
        UnsupportedTransferSyntaxException exception = NativeCodecLibrary.Missing(library, transferSyntaxUid);

        Assert.Equal(transferSyntaxUid, exception.TransferSyntaxUid);
        Assert.Contains(fileName, exception.Message, StringComparison.Ordinal);
        Assert.Contains($"Install {package}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NativeCodecLibrary.CharLS, TransferSyntaxUids.JpegLSLossless)]
    [InlineData(NativeCodecLibrary.OpenJpeg, TransferSyntaxUids.Jpeg2000Lossless)]
    public void InstalledLibrary_Loads(string library, string transferSyntaxUid)
    {
        // The test command installs libcharls2 and libopenjp2-7, so both must load here.
        NativeCodecLibrary.EnsureLoaded(library, transferSyntaxUid);
    }
}
