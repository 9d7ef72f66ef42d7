using System.Collections.Concurrent;
using Azure.Core;
using IchFunctions.Functions.DicomService;
using IchFunctions.Functions.Options;
using IchFunctions.Imaging.DicomWeb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Tests.DicomService;

/// <summary>A service provider with the app's options and DICOM service client registration over given settings.</summary>
internal static class DicomServiceHost
{
    public static ServiceProvider Build(Uri baseUrl, IReadOnlyDictionary<string, string?>? settings = null, TokenCredential? credential = null, LogCollector? logs = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["DicomService:BaseUrl"] = baseUrl.AbsoluteUri,
            ["DicomService:TokenScope"] = "",
            ["DicomService:RetryBaseDelayMilliseconds"] = "10",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        if (credential is not null)
        {
            services.AddKeyedSingleton(DicomServiceRegistration.ServiceKey, credential);
        }

        services.AddIchFunctionsOptions(configuration);
        services.AddDicomServiceClient();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static DicomWebClient Client(this ServiceProvider provider) => provider.GetRequiredService<DicomWebClient>();
}

/// <summary>A credential that returns numbered tokens valid for <see cref="Lifetime"/> from the clock's time, and records each request.</summary>
internal sealed class CountingCredential(TimeProvider clock) : TokenCredential
{
    private readonly ConcurrentQueue<string[]> _requests = new();

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    public IReadOnlyList<string[]> Requests => [.. _requests];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requests.Enqueue(requestContext.Scopes);
        return ValueTask.FromResult(new AccessToken($"token-{_requests.Count}", clock.GetUtcNow() + Lifetime));
    }
}

/// <summary>A clock that moves only when a test advances it.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Collects every formatted log message, for checks that no patient data is logged.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public ILogger CreateLogger(string categoryName) => new Collector(_messages);

    public void Dispose()
    {
    }

    private sealed class Collector(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} {exception}");
    }
}
