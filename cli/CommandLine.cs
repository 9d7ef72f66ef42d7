using System.Reflection;

namespace IchFunctions.Cli;

/// <summary>Parses the top level of the <c>ich</c> command line and dispatches to a command.</summary>
public static class CommandLine
{
    /// <summary>Exit code for a command line that could not be parsed.</summary>
    public const int UsageError = 2;

    private const string Usage = """
        ich: detect and segment acute intracranial hemorrhage on noncontrast head CT.
        Research software, not a medical device: outputs are NOT FOR CLINICAL USE.

        Usage: ich <command> [options]

        Options:
          --help       Show this help and exit.
          --version    Show the version and exit.
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        if (args.Count == 0 || args[0] is "--help" or "-h")
        {
            output.WriteLine(Usage);
            return 0;
        }

        if (args[0] == "--version")
        {
            output.WriteLine(typeof(CommandLine).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
            return 0;
        }

        error.WriteLine($"ich: unknown command or option '{args[0]}'. Run 'ich --help' for the list of commands.");
        return UsageError;
    }
}
