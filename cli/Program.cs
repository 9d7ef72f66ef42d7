using IchFunctions.Cli;

// Not disposed: Ctrl-C can arrive while the process is already returning, and Cancel on a disposed source throws.
var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C cancels the run cleanly; a second one ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

return await IchCommandLine.RunAsync(args, new CliConsole(Console.Out, Console.Error, interactive: !Console.IsErrorRedirected), cancellation.Token);
