using System.Diagnostics;
using IchFunctions.Testing;

namespace IchFunctions.Imaging.Tests.Outputs.Support;

/// <summary>Runs a script of tests/node with Node.js, where npm installed the pinned viewer packages.</summary>
internal static class NodeScript
{
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(TestData.RepositoryRoot, "tests", "node");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@cornerstonejs", "adapters")))
        {
            throw new InvalidOperationException("tests/node/node_modules lacks @cornerstonejs/adapters; run './build.sh install' to install the pinned npm packages.");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started; install Node.js 20.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} failed with exit code {process.ExitCode}:\n{await error}");
        }

        // The script prints its JSON result as the last line; the adapter may log before it.
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
    }
}
