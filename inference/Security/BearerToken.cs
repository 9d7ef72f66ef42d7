using IchFunctions.Inference.Endpoints;

namespace IchFunctions.Inference.Security;

/// <summary>Reads bearer tokens and writes the 401 responses of both authentication schemes.</summary>
internal static class BearerToken
{
    private const string Prefix = "Bearer ";

    /// <summary>Returns the token of an <c>Authorization: Bearer</c> header, or null when there is none.</summary>
    public static string? Read(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header[Prefix.Length..].Trim() : null;
    }

    /// <summary>True when the token has the three dot-separated parts of a JWT, so it is checked as an Entra ID token.</summary>
    public static bool LooksLikeJwt(string? token) => token is not null && token.Count(c => c == '.') == 2;

    public static Task WriteChallengeAsync(HttpContext context, string? failure, ILogger logger)
    {
        string message = failure is not null
            ? $"Authentication failed: {failure}"
            : Read(context.Request) is null && context.Request.Headers.Authorization.Count > 0
                ? "The Authorization header is not of the form 'Bearer <token>'."
                : "The request has no bearer token; send 'Authorization: Bearer <token>' with an Entra ID access token for the service's audience, or the shared key where one is configured.";
        return ProtocolErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, message, logger);
    }
}
