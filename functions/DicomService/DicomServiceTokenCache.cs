using Azure.Core;
using IchFunctions.Functions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IchFunctions.Functions.DicomService;

/// <summary>
/// Bearer tokens for the DICOM service from a <see cref="TokenCredential"/>, cached until five minutes before
/// they expire (or until the credential's refresh time, when it gives one), so that concurrent requests
/// share one token and a request never leaves with a token about to expire. A singleton: the HTTP handlers
/// that use it are recreated by the client factory every few minutes.
/// </summary>
public sealed class DicomServiceTokenCache : IDisposable
{
    /// <summary>Tokens are renewed this long before they expire.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TimeProvider _clock;
    private readonly ILogger<DicomServiceTokenCache> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AccessToken? _token;

    public DicomServiceTokenCache(
        [FromKeyedServices(DicomServiceRegistration.ServiceKey)] TokenCredential credential,
        IOptions<DicomServiceOptions> options,
        [FromKeyedServices(DicomServiceRegistration.ServiceKey)] TimeProvider clock,
        ILogger<DicomServiceTokenCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _credential = credential;
        _clock = clock;
        _logger = logger;
        Scope = string.IsNullOrEmpty(options.Value.TokenScope) ? null : options.Value.TokenScope;
    }

    /// <summary>The scope tokens are requested for; null when the server takes no token.</summary>
    public string? Scope { get; }

    /// <summary>Returns a cached token, or acquires one when none is cached or the cached one is due for renewal.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        string scope = Scope ?? throw new InvalidOperationException("DicomService__TokenScope is empty, so no token is requested.");
        if (_token is { } cached && !IsDue(cached))
        {
            return cached.Token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } current && !IsDue(current))
            {
                return current.Token;
            }

            AccessToken token = await _credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            _token = token;
            DicomServiceLogs.TokenAcquired(_logger, scope, token.ExpiresOn);
            return token.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Drops the cached token when the server rejected it, unless another request has renewed it already.</summary>
    public void Invalidate(string rejectedToken)
    {
        if (_token is { } cached && cached.Token == rejectedToken)
        {
            _token = null;
            DicomServiceLogs.TokenRejected(_logger, Scope ?? "");
        }
    }

    public void Dispose() => _refresh.Dispose();

    private bool IsDue(AccessToken token)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        return now >= token.ExpiresOn - RefreshMargin || (token.RefreshOn is { } refreshOn && now >= refreshOn);
    }
}
