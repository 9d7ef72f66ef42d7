namespace IchFunctions.Functions.Triggers.Events;

/// <summary>
/// One <c>Microsoft.HealthcareApis.DicomImageCreated</c> event: the DICOM service stored an instance.
/// </summary>
/// <param name="EventId">Event Grid or CloudEvents id; redeliveries of one event share it.</param>
/// <param name="DataPartition">Data partition, or null for the default partition.</param>
/// <param name="StudyInstanceUid">Study of the stored instance.</param>
/// <param name="SeriesInstanceUid">Series of the stored instance.</param>
/// <param name="SopInstanceUid">The stored instance.</param>
/// <param name="StoredAt">Event time: when the DICOM service stored the instance.</param>
public sealed record DicomImageCreated(
    string EventId,
    string? DataPartition,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    DateTimeOffset StoredAt);
