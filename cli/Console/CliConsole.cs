using Spectre.Console;

namespace IchFunctions.Cli;

/// <summary>
/// Where the command writes: results to <see cref="Out"/> (stdout), messages and progress to
/// <see cref="Error"/> (stderr), so that --json output stays machine-readable.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Out = output;
        Error = error;
        Interactive = interactive;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        AnsiError = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Whether stderr is a terminal, so progress bars can be drawn.</summary>
    public bool Interactive { get; }

    /// <summary>Rich output (tables) on stdout.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>Progress bars on stderr.</summary>
    public IAnsiConsole AnsiError { get; }

    public void WriteError(string message) => Error.WriteLine($"ich: {message}");
}
