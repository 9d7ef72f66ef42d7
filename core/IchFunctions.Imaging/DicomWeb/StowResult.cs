using System.Globalization;
using System.Net;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.DicomWeb;

/// <summary>What the server did with one instance of a STOW-RS request.</summary>
/// <param name="SopInstanceUid">The instance, as sent.</param>
/// <param name="SopClassUid">Referenced SOP Class UID (0008,1150) from the response, when given.</param>
/// <param name="Status">Stored, already stored, failed, or not named in the response.</param>
/// <param name="FailureReason">Failure Reason (0008,1197) when the instance is in the Failed SOP Sequence.</param>
/// <param name="WarningReason">Warning Reason (0008,1196) of a stored instance, for example 1 for validation warnings.</param>
/// <param name="FailedAttributeCount">Items in Failed Attributes Sequence (0074,1048): attributes the server found invalid but stored.</param>
/// <param name="RetrieveUrl">Retrieve URL (0008,1190) the server gave for the stored instance.</param>
public sealed record StowInstanceResult(
    string SopInstanceUid,
    string? SopClassUid,
    StowInstanceStatus Status,
    int? FailureReason,
    int? WarningReason,
    int FailedAttributeCount,
    Uri? RetrieveUrl)
{
    /// <summary>
    /// True when the instance is in the archive after the request: stored now, or already stored with the same
    /// UIDs (45070). Outputs have deterministic UIDs, so an instance already stored is this run's result.
    /// </summary>
    public bool IsStored => Status is StowInstanceStatus.Stored or StowInstanceStatus.AlreadyStored;
}

/// <summary>The outcome of a STOW-RS request: the HTTP status and one result per instance sent, in request order.</summary>
public sealed record StowResult(HttpStatusCode StatusCode, IReadOnlyList<StowInstanceResult> Instances)
{
    /// <summary>True when every instance sent is in the archive (see <see cref="StowInstanceResult.IsStored"/>).</summary>
    public bool AllStored => Instances.All(instance => instance.IsStored);

    /// <summary>Throws <see cref="DicomWebException"/> naming each instance not stored and its failure reason.</summary>
    public void EnsureAllStored(string studyInstanceUid)
    {
        StowInstanceResult[] failed = [.. Instances.Where(instance => !instance.IsStored)];
        if (failed.Length == 0)
        {
            return;
        }

        string details = string.Join("; ", failed.Select(Describe));
        throw new DicomWebException(
            string.Create(CultureInfo.InvariantCulture,
                $"STOW-RS into study {studyInstanceUid} (HTTP {(int)StatusCode}) did not store {failed.Length} of {Instances.Count} instances: {details}."),
            StatusCode);
    }

    private static string Describe(StowInstanceResult instance) => instance.Status switch
    {
        StowInstanceStatus.Failed => string.Create(CultureInfo.InvariantCulture,
            $"{instance.SopInstanceUid} failed with reason {instance.FailureReason?.ToString(CultureInfo.InvariantCulture) ?? "(none given)"} ({StowFailureReasons.Describe(instance.FailureReason)})"),
        _ => $"{instance.SopInstanceUid} is not named in the response",
    };
}

/// <summary>Failure Reason (0008,1197) codes of STOW-RS responses that the Azure DICOM service documents.</summary>
public static class StowFailureReasons
{
    /// <summary>Processing failure (0x0110): a general failure while storing.</summary>
    public const int ProcessingFailure = 272;

    /// <summary>The instance failed validation (0xA900 range).</summary>
    public const int ValidationFailed = 43264;

    /// <summary>The instance's Study Instance UID differs from the study in the request URL.</summary>
    public const int StudyUidMismatch = 43265;

    /// <summary>An instance with the same study, series and SOP Instance UIDs is already stored.</summary>
    public const int AlreadyStored = StowOutcome.AzureInstanceAlreadyExists;

    /// <summary>Another request is creating the same instance, or an earlier failed create is not cleaned up yet.</summary>
    public const int CreateInProgress = 45071;

    /// <summary>Returns a short explanation of a failure reason code, for messages.</summary>
    public static string Describe(int? reason) => reason switch
    {
        ProcessingFailure => "processing failure on the server",
        ValidationFailed => "the instance failed the server's validation",
        StudyUidMismatch => "the instance's Study Instance UID differs from the study in the request",
        AlreadyStored => "an instance with the same UIDs is already stored",
        CreateInProgress => "the same instance is being stored by another request, or an earlier failed attempt is not cleaned up yet; retry later",
        null => "no reason given",
        _ => "reason not documented by the Azure DICOM service",
    };
}
