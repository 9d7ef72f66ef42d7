namespace IchFunctions.Cli;

/// <summary>Exit codes of the ich command, documented in its help text and the README.</summary>
public static class ExitCodes
{
    /// <summary>The command did its work (for score: the exam was scored, positive or negative).</summary>
    public const int Success = 0;

    /// <summary>An unexpected error; the message names what failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line could not be parsed.</summary>
    public const int UsageError = 2;

    /// <summary>The input could not be read: missing path, unreadable zip, no DICOM files.</summary>
    public const int InputError = 3;

    /// <summary>The input was read but no series is an axial noncontrast head CT; the selection record gives each reason.</summary>
    public const int NoEligibleSeries = 4;

    /// <summary>The model could not be loaded, breaks the model contract, or failed to run.</summary>
    public const int ModelError = 5;

    /// <summary>The run was cancelled (Ctrl-C).</summary>
    public const int Cancelled = 130;

    public const string HelpText = """
        Exit codes: 0 success, 1 unexpected error, 2 invalid command line, 3 input error,
        4 no eligible series, 5 model error, 130 cancelled.
        """;
}
