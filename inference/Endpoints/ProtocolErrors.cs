using System.Text.Json;

namespace IchFunctions.Inference.Endpoints;

/// <summary>Writes error responses in the protocol's form, <c>{"error": "message"}</c>, and logs them.</summary>
internal static class ProtocolErrors
{
    public static async Task WriteAsync(HttpContext context, int statusCode, string message, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        logger.RequestRejected(statusCode, message);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }), context.RequestAborted)
            .ConfigureAwait(false);
    }
}

/// <summary>A request the service rejects with a 4xx status and a message that names the offending value.</summary>
internal sealed class RequestRejectedException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
