using System.Net;
using Azure;
using IchFunctions.Dicom;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Imaging.DicomWeb;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>
/// Sorts activity exceptions into permanent failures, which end the run with a reason code, and transient
/// ones, which the activity rethrows for the orchestration's retry policy.
/// </summary>
internal static class PermanentFailures
{
    /// <summary>
    /// Runs an activity's work. A permanent failure is logged and returned as the activity's result through
    /// <paramref name="failed"/>, and a transient one propagates to the orchestration's retry policy.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        Func<Task<T>> work, Func<ActivityFailure, T> failed, bool remoteInference, ILogger logger, string instanceId, string activity)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception error) when (TryClassify(error, remoteInference, out ActivityFailure? failure))
        {
            Logs.ActivityFailedPermanently(logger, instanceId, activity, failure!.ReasonCode, error.Message);
            return failed(failure);
        }
    }

    /// <summary>
    /// Returns true with the failure when retrying cannot help: the input is bad, the server rejected the request
    /// with a client error, or the model cannot run it. Cancellation is never a failure.
    /// </summary>
    /// <param name="error">The exception an activity caught.</param>
    /// <param name="remoteInference">Whether inference errors come from a remote server, where they are transient.</param>
    /// <param name="failure">The failure to return; null when the error is transient.</param>
    public static bool TryClassify(Exception error, bool remoteInference, out ActivityFailure? failure)
    {
        failure = error switch
        {
            OperationCanceledException => null,
            DicomWebException { StatusCode: HttpStatusCode status } when IsClientError(status) =>
                new ActivityFailure(ReasonCodes.DicomServiceRejected, error.Message),
            DicomDataException => new ActivityFailure(ReasonCodes.InstanceUnreadable, error.Message),
            RequestFailedException { Status: 404 } => new ActivityFailure(ReasonCodes.SourceUnreadable, $"A blob was not found: {error.Message}"),
            InvalidDataException => new ActivityFailure(ReasonCodes.SourceUnreadable, error.Message),
            ModelContractException or OnnxRuntimeException => new ActivityFailure(ReasonCodes.ModelError, error.Message),
            InferenceException when !remoteInference => new ActivityFailure(ReasonCodes.ModelError, error.Message),
            FileNotFoundException when !remoteInference => new ActivityFailure(ReasonCodes.ModelError, error.Message),
            ArgumentException or InvalidOperationException => new ActivityFailure(ReasonCodes.InternalError, $"{error.GetType().Name}: {error.Message}"),
            _ => null,
        };
        return failure is not null;
    }

    /// <summary>4xx responses other than timeouts and throttling: the same request would be rejected again.</summary>
    private static bool IsClientError(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
}
