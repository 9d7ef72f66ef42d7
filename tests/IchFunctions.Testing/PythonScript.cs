using System.Diagnostics;

namespace IchFunctions.Testing;

/// <summary>
/// Runs a Python snippet with Debian's interpreter, which has the independent readers the tests compare
/// against (pydicom, nibabel, numpy). build.sh installs them.
/// </summary>
public static class PythonScript
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs <paramref name="code"/> with the given arguments and returns its standard output; throws on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string code, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(arguments);
        if (!File.Exists(Interpreter))
        {
            throw new InvalidOperationException($"{Interpreter} not found; run './build.sh install' to install Debian's Python with pydicom, nibabel and numpy.");
        }

        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)
            ?? throw new InvalidOperationException($"{Interpreter} could not be started.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The Python check failed with exit code {process.ExitCode}:\n{await error}");
        }

        return await output;
    }
}
