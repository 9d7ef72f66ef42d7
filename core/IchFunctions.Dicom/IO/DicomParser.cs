using System.IO.Compression;
using IchFunctions.Dicom.Dictionary;

namespace IchFunctions.Dicom.IO;

/// <summary>
/// The one parser core behind every read entry point. It is generic over the stream adapter: with
/// <see cref="SyncStreamAdapter"/> every await completes synchronously, so the sync API runs the same code.
/// Every loop consumes at least 8 bytes per pass and every length is checked against its container and the
/// input before it is used, so no input makes it hang or allocate more than it holds.
/// </summary>
internal sealed partial class DicomParser<TAdapter> : IDisposable
    where TAdapter : IStreamAdapter
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const int PreambleLength = 128;

    /// <summary>End marker for the top-level data set, which ends with the input.</summary>
    private const long EndOfInput = -1;

    /// <summary>End marker for an undefined-length item, which ends at an Item Delimitation Item.</summary>
    private const long EndAtDelimiter = -2;

    private readonly DicomReaderOptions _options;
    private readonly CancellationToken _cancellationToken;
    private BufferedInput _input;

    public DicomParser(Stream stream, DicomReaderOptions options, CancellationToken cancellationToken)
    {
        _input = new BufferedInput(stream);
        _options = options;
        _cancellationToken = cancellationToken;
    }

    public void Dispose() => _input.Dispose();

    public async ValueTask<DicomFile> ReadFileAsync()
    {
        bool hasPreamble = await SkipPreambleAsync().ConfigureAwait(false);
        DicomDataset meta = await ReadFileMetaInformationAsync().ConfigureAwait(false);
        // A meta group without (0002,0010) is treated like a bare data set: the options or detection decide.
        string? declared = meta.GetString(DicomTags.TransferSyntaxUid);
        string transferSyntax = string.IsNullOrEmpty(declared)
            ? _options.TransferSyntaxUid ?? await DetectTransferSyntaxAsync().ConfigureAwait(false)
            : declared;
        if (transferSyntax == TransferSyntaxUids.DeflatedExplicitVRLittleEndian)
        {
            BufferedInput deflated = _input;
            _input = new BufferedInput(new DeflateStream(deflated.RemainderAsStream(), CompressionMode.Decompress));
            deflated.Dispose();
        }

        var dataset = new DicomDataset();
        bool stopped;
        try
        {
            stopped = await ReadDatasetAsync(dataset, EndOfInput, DicomEncoding.FromTransferSyntax(transferSyntax), 0).ConfigureAwait(false);
        }
        catch (InvalidDataException exception)
        {
            // DeflateStream reports corrupt compressed data this way.
            throw new DicomEncodingException(
                $"The deflated data set is corrupt ({exception.Message}); the file is damaged or its transfer syntax "
                + $"({transferSyntax}) is wrong.", _input.Position, null);
        }

        return new DicomFile(meta, dataset, transferSyntax) { HasPreamble = hasPreamble, StoppedBeforePixelData = stopped };
    }

    private async ValueTask<bool> SkipPreambleAsync()
    {
        int available = await _input.FillAsync<TAdapter>(PreambleLength + 4, _cancellationToken).ConfigureAwait(false);
        if (available >= PreambleLength + 4 && _input.Peek(PreambleLength + 4)[PreambleLength..].SequenceEqual("DICM"u8))
        {
            _input.Advance(PreambleLength + 4);
            return true;
        }

        if (available >= 4 && _input.Peek(4).SequenceEqual("DICM"u8))
        {
            _input.Advance(4);
        }

        return false;
    }

    private async ValueTask<DicomDataset> ReadFileMetaInformationAsync()
    {
        var meta = new DicomDataset();
        int available = await _input.FillAsync<TAdapter>(6, _cancellationToken).ConfigureAwait(false);
        if (available < 6 || DicomEncoding.ExplicitLittleEndian.ReadUInt16(_input.Peek(2)) != 0x0002)
        {
            return meta;
        }

        // PS3.10 requires Explicit VR Little Endian here; some writers used implicit VR, which is accepted.
        ReadOnlySpan<byte> first = _input.Peek(6);
        DicomEncoding encoding = DicomVR.TryParse(first[4], first[5], out _) ? DicomEncoding.ExplicitLittleEndian : DicomEncoding.ImplicitLittleEndian;
        while (await _input.FillAsync<TAdapter>(4, _cancellationToken).ConfigureAwait(false) == 4
            && encoding.ReadUInt16(_input.Peek(2)) == 0x0002)
        {
            await ReadElementAsync(meta, EndOfInput, encoding, 0).ConfigureAwait(false);
        }

        return meta;
    }

    /// <summary>
    /// Detects the encoding of a bare data set from its first element: an even group up to 0028 in little or
    /// big endian byte order, followed by a valid VR or not.
    /// </summary>
    private async ValueTask<string> DetectTransferSyntaxAsync()
    {
        int available = await _input.FillAsync<TAdapter>(8, _cancellationToken).ConfigureAwait(false);
        if (available < 8)
        {
            throw new DicomFileFormatException(
                $"The input holds {available} bytes after the preamble and file meta information, which is too short for a DICOM data set.");
        }

        ReadOnlySpan<byte> header = _input.Peek(8);
        bool hasVR = DicomVR.TryParse(header[4], header[5], out _);
        // NOTE: data sets that begin above group 0028 are not detected; pass their transfer syntax in the options.
        static bool Plausible(ushort group) => group % 2 == 0 && group is >= 0x0002 and <= 0x0028;
        if (Plausible(DicomEncoding.ExplicitLittleEndian.ReadUInt16(header)))
        {
            return hasVR ? TransferSyntaxUids.ExplicitVRLittleEndian : TransferSyntaxUids.ImplicitVRLittleEndian;
        }

        if (hasVR && Plausible(DicomEncoding.ExplicitBigEndian.ReadUInt16(header)))
        {
            return TransferSyntaxUids.ExplicitVRBigEndian;
        }

        throw new DicomFileFormatException(
            $"Not a DICOM file: there is no 128-byte preamble followed by 'DICM', no file meta information group, and the "
            + $"first bytes at offset {_input.Position} ({Convert.ToHexString(header[..4])}) are not the tag of a data set's first "
            + "element in any supported transfer syntax. If this is a bare data set, set DicomReaderOptions.TransferSyntaxUid; "
            + "otherwise the file is damaged or not DICOM.");
    }

    /// <summary>
    /// Reads elements into <paramref name="target"/> until <paramref name="end"/> (an offset, the end of input,
    /// or an Item Delimitation Item). Returns true when it stopped before Pixel Data as the options asked.
    /// </summary>
    private async ValueTask<bool> ReadDatasetAsync(DicomDataset target, long end, DicomEncoding encoding, int depth)
    {
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            long offset = _input.Position;
            if (end >= 0 && offset >= end)
            {
                return false;
            }

            int available = await _input.FillAsync<TAdapter>(8, _cancellationToken).ConfigureAwait(false);
            if (available == 0 && end == EndOfInput)
            {
                return false;
            }

            if (available < 8)
            {
                throw Truncated("element header", offset, null, 8, available);
            }

            DicomTag tag = encoding.ReadTag(_input.Peek(8));
            if (tag == DicomTags.ItemDelimitationItem && end == EndAtDelimiter)
            {
                _input.Advance(8);
                return false;
            }

            if (tag.Group == 0xFFFE)
            {
                throw new DicomEncodingException(
                    $"Unexpected {DescribeDelimiter(tag)} {tag} at offset {offset} inside a data set "
                    + $"({(end == EndAtDelimiter ? "an undefined-length item" : end == EndOfInput ? "the top level" : "a defined-length item")}); "
                    + "the sequence or item lengths before it are wrong, so the file is damaged.", offset, tag);
            }

            if (tag == DicomTags.PixelData && depth == 0 && _options.StopBeforePixelData)
            {
                return true;
            }

            await ReadElementAsync(target, end, encoding, depth).ConfigureAwait(false);
        }
    }

    private static string DescribeDelimiter(DicomTag tag) => tag.Element switch
    {
        0xE000 => "item",
        0xE00D => "item delimiter",
        0xE0DD => "sequence delimiter",
        _ => "tag",
    };

    private static DicomTruncatedException Truncated(string what, long offset, DicomTag? tag, long declared, long available) => new(
        $"The input ends inside the {what}{(tag is null ? "" : $" of {tag}")} at offset {offset}: {declared} bytes declared, "
        + $"{available} available. The file is truncated (an incomplete download or copy); fetch it again.",
        offset, tag, declared, available);
}
