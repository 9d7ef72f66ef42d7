using IchFunctions.Functions.Options;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace IchFunctions.Functions.DicomService;

/// <summary>
/// Turns the resilience pipeline's <see cref="TimeoutRejectedException"/> into the
/// <see cref="TaskCanceledException"/> with a <see cref="TimeoutException"/> that HttpClient throws for its own
/// timeout, so the DICOMweb client reports a timeout without depending on Polly.
/// </summary>
public sealed class TotalTimeoutHandler(IOptions<DicomServiceOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException exception)
        {
            int seconds = options.Value.TotalTimeoutSeconds;
            throw new TaskCanceledException(
                $"The request timed out: attempts and retries took longer than DicomService__TotalTimeoutSeconds ({seconds} s) "
                + "or the last attempt ran past DicomService__AttemptTimeoutSeconds.",
                new TimeoutException(exception.Message, exception));
        }
    }
}
