using System.CommandLine;
using IchFunctions.Cli.Commands;

namespace IchFunctions.Cli;

/// <summary>Builds the ich command tree and runs it.</summary>
public static class IchCommandLine
{
    public const string Banner = """
        ich: detect and segment acute intracranial hemorrhage on noncontrast head CT.
        Research software, not a medical device: outputs are NOT FOR CLINICAL USE.
        """;

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);

        var root = new RootCommand(Banner + "\n" + ExitCodes.HelpText);
        root.Subcommands.Add(ScoreCommand.Create(console));
        root.Subcommands.Add(ModelCommand.Create(console));
        root.Subcommands.Add(PhantomCommand.Create(console));
        root.Subcommands.Add(EvalCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));

        ParseResult parse = root.Parse(args);
        // Program handles Ctrl-C with the token passed here; System.CommandLine's own handler would race it.
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteError("cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception error)
        {
            // Commands turn the errors they expect into messages; anything else is a defect worth reporting.
            console.WriteError($"unexpected error ({error.GetType().Name}): {error.Message} Please report it with the command line that caused it.");
            return ExitCodes.Failure;
        }
    }
}
