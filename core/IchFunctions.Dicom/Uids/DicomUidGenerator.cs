using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace IchFunctions.Dicom.Uids;

/// <summary>
/// Creates UIDs under the root 2.25, which PS3.5 section B.2 reserves for UIDs made from a UUID: "2.25."
/// followed by the UUID's 128 bits as one unsigned decimal integer (at most 44 characters in all).
/// </summary>
public static class DicomUidGenerator
{
    /// <summary>Namespace UUID of this toolkit's name-based UIDs (a fixed random UUID; never change it).</summary>
    private static readonly Guid NameNamespace = new("5a0c7f42-9a4e-4f5e-8d5b-3f1f2b6c9e21");

    /// <summary>Returns a new UID from a random (version 4) UUID.</summary>
    public static string NewUid() => FromUuid(Guid.NewGuid());

    /// <summary>
    /// Returns the UID for a name, the same on every call and machine: "2.25." and a name-based version 5 UUID
    /// (RFC 9562 section 5.5, SHA-1 of this toolkit's namespace UUID and the UTF-8 name). Use it for outputs
    /// that must keep their UID when recomputed, for example a result series named after its input series
    /// and model version.
    /// </summary>
    public static string FromName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] input = new byte[16 + nameBytes.Length];
        NameNamespace.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

#pragma warning disable CA5350 // SHA-1 is what RFC 9562 specifies for version 5 UUIDs; it is not used for security here.
        byte[] hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return FromUuid(new Guid(hash.AsSpan(0, 16), bigEndian: true));
    }

    /// <summary>Returns "2.25." followed by the UUID as an unsigned decimal integer.</summary>
    public static string FromUuid(Guid uuid)
    {
        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        return "2.25." + new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
