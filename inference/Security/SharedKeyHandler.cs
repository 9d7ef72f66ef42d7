using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Security;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;shared key&gt;</c> when the shared key for local use is configured; the key
/// is compared in constant time and never logged.
/// </summary>
internal sealed class SharedKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<Options.AuthenticationOptions> settings)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "SharedKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = BearerToken.Read(Request);
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string? key = settings.Value.SharedKey;
        if (string.IsNullOrEmpty(key) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(key)))
        {
            return Task.FromResult(AuthenticateResult.Fail("The bearer token is not the configured shared key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "shared-key")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        Response.Headers.WWWAuthenticate = "Bearer";
        await BearerToken.WriteChallengeAsync(Context, result.Failure?.Message, Logger).ConfigureAwait(false);
    }
}
