using System.Net;
using System.Text.Json;
using IchFunctions.Imaging.DicomWeb;

namespace IchFunctions.Imaging.Outputs.Common;

/// <summary>What a DICOMweb server did with one instance of a STOW-RS request.</summary>
public enum StowInstanceStatus
{
    /// <summary>Listed in Referenced SOP Sequence (0008,1199): stored now, or (Orthanc) already stored and kept.</summary>
    Stored,

    /// <summary>
    /// Listed in Failed SOP Sequence (0008,1198) with Failure Reason 45070 (0xB00E), which the Azure DICOM
    /// service returns for an instance whose SOP Instance UID is already stored.
    /// </summary>
    AlreadyStored,

    /// <summary>Listed in Failed SOP Sequence with another failure reason.</summary>
    Failed,

    /// <summary>Not named in the response at all.</summary>
    Missing,
}

/// <summary>
/// Reads a STOW-RS response (DICOM JSON, PS3.18 section 10.5.3) for one instance. Outputs have deterministic
/// UIDs, so storing a rerun's result again must count as success in either server's form. Orthanc 1.x with
/// OverwriteInstances false returns 200 and lists the instance as referenced, keeping the first copy. The
/// Azure DICOM service returns 409 (or 202 when other instances succeeded) with failure reason 45070.
/// </summary>
public static class StowOutcome
{
    /// <summary>Failure Reason of the Azure DICOM service for an instance that already exists.</summary>
    public const int AzureInstanceAlreadyExists = 45070;

    /// <summary>Returns the status of <paramref name="sopInstanceUid"/> and the failure reason when it failed.</summary>
    public static (StowInstanceStatus Status, int? FailureReason) Classify(JsonElement response, string sopInstanceUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        StowInstanceResult result = StowResponse.Parse(HttpStatusCode.OK, response, [sopInstanceUid]).Instances[0];
        return (result.Status, result.FailureReason);
    }
}
