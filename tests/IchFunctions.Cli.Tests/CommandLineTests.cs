using IchFunctions.Cli;

namespace IchFunctions.Cli.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Run_Help_PrintsUsageAndClinicalUseStatement()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = CommandLine.Run(["--help"], output, error);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage: ich <command>", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("NOT FOR CLINICAL USE", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownCommand_ReturnsUsageErrorNamingIt()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = CommandLine.Run(["frobnicate"], output, error);

        Assert.Equal(CommandLine.UsageError, exitCode);
        Assert.Contains("'frobnicate'", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }
}
