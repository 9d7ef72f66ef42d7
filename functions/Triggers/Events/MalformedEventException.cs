namespace IchFunctions.Functions.Triggers.Events;

/// <summary>A queue message that no retry can process: not JSON, not an event, or an event with invalid data.</summary>
public sealed class MalformedEventException : Exception
{
    public MalformedEventException(string message)
        : base(message)
    {
    }

    public MalformedEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MalformedEventException()
    {
    }
}
