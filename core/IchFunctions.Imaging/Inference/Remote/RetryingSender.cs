using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IchFunctions.Imaging.Inference.Remote;

/// <summary>
/// Sends HTTP requests with a time limit per attempt, the bearer token, and retries with exponential backoff and
/// jitter for transient failures: connection errors, attempt timeouts, 429, 502, 503 and 504 (honouring
/// Retry-After). Any other error status raises <see cref="InferenceException"/> with the server's message.
/// The caller's cancellation is never retried.
/// </summary>
internal sealed class RetryingSender(HttpClient http, RemoteModelOptions options)
{
    private static readonly HashSet<HttpStatusCode> TransientStatuses =
    [
        HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    /// <summary>Sends the request <paramref name="create"/> builds (once per attempt) and returns the successful response.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string operation, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            string reason;
            TimeSpan? retryAfter = null;
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(options.AttemptTimeout);
            HttpResponseMessage? response = null;
            try
            {
                using HttpRequestMessage request = create();
                string? token = options.BearerToken is null ? null : await options.BearerToken(cancellationToken).ConfigureAwait(false);
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }

                string message = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                if (!TransientStatuses.Contains(response.StatusCode))
                {
                    throw new InferenceException($"{operation} failed with HTTP {(int)response.StatusCode} from {http.BaseAddress}: {message}");
                }

                reason = $"HTTP {(int)response.StatusCode}: {message}";
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException error)
            {
                reason = $"connection failed: {error.Message}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"no response within {options.AttemptTimeout.TotalSeconds:0.#} s";
            }
            finally
            {
                if (response is not null && !response.IsSuccessStatusCode)
                {
                    response.Dispose();
                }
            }

            if (attempt > options.MaxRetries)
            {
                throw new InferenceException($"{operation} on {http.BaseAddress} failed after {attempt} attempts; last error: {reason}");
            }

            TimeSpan delay = Backoff(attempt, retryAfter);
            options.OnRetry?.Invoke(new RetryAttempt(attempt, reason, delay));
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        double exponential = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1);
        double jittered = exponential * (1 + (0.25 * Random.Shared.NextDouble()));
        double milliseconds = Math.Max(jittered, retryAfter?.TotalMilliseconds ?? 0);
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, options.MaxBackoff.TotalMilliseconds));
    }

    /// <summary>Returns the protocol's <c>{"error": ...}</c> message, or the start of the body when it has none.</summary>
    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not the protocol's error object (a proxy's HTML page, for example); the raw start is more useful.
        }

        return body.Length > 300 ? body[..300] : body;
    }
}
