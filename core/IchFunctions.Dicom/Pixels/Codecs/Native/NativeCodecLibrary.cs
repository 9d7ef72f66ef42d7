using System.Reflection;
using System.Runtime.InteropServices;

namespace IchFunctions.Dicom.Pixels.Codecs.Native;

/// <summary>
/// Loads a system codec library (CharLS, OpenJPEG) on first use, so that a missing library fails only the
/// transfer syntax that needs it, with a message that names the package to install.
/// </summary>
internal static class NativeCodecLibrary
{
    public const string CharLS = "charls";
    public const string OpenJpeg = "openjp2";

    private static readonly Dictionary<string, (string[] FileNames, string Package)> Known = new(StringComparer.Ordinal)
    {
        [CharLS] = (["libcharls.so.2", "libcharls.so", "charls-2-x64.dll", "libcharls.dylib"], "libcharls2 (Debian/Ubuntu) or charls"),
        [OpenJpeg] = (["libopenjp2.so.7", "libopenjp2.so", "openjp2.dll", "libopenjp2.dylib"], "libopenjp2-7 (Debian/Ubuntu) or openjpeg2"),
    };

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, IntPtr> Loaded = new(StringComparer.Ordinal);

    static NativeCodecLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeCodecLibrary).Assembly, Resolve);
    }

    /// <summary>Loads a library, or raises an exception naming the transfer syntax and the package to install.</summary>
    /// <exception cref="UnsupportedTransferSyntaxException">The library is not installed.</exception>
    public static void EnsureLoaded(string name, string transferSyntaxUid)
    {
        if (TryLoad(name) == IntPtr.Zero)
        {
            throw Missing(name, transferSyntaxUid);
        }
    }

    /// <summary>Builds the error for a codec library that is not installed.</summary>
    internal static UnsupportedTransferSyntaxException Missing(string name, string transferSyntaxUid)
    {
        (string[] fileNames, string package) = Known[name];
        return new UnsupportedTransferSyntaxException(
            transferSyntaxUid,
            $"Transfer syntax {transferSyntaxUid} needs the system library {fileNames[0]}, which was not found. "
            + $"Install {package}, or ask the archive to transcode to Explicit VR Little Endian on retrieve.");
    }

    /// <summary>Loads the first of <paramref name="fileNames"/> that the system finds; returns zero when none is found.</summary>
    internal static IntPtr TryLoadAny(IEnumerable<string> fileNames)
    {
        foreach (string fileName in fileNames)
        {
            if (NativeLibrary.TryLoad(fileName, out IntPtr handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        Known.ContainsKey(libraryName) ? TryLoad(libraryName) : IntPtr.Zero;

    private static IntPtr TryLoad(string name)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(name, out IntPtr handle))
            {
                return handle;
            }

            handle = TryLoadAny(Known[name].FileNames);
            Loaded[name] = handle;
            return handle;
        }
    }
}
