using System.Security.Cryptography;
using System.Text;

namespace IchFunctions.Functions.Orchestration;

/// <summary>Names and instance IDs shared by the ScoreStudy orchestration and the triggers that start it.</summary>
public static class ScoreStudyNames
{
    /// <summary>Name under which the orchestration is registered.</summary>
    public const string Orchestration = "ScoreStudy";

    /// <summary>
    /// External event raised to a running instance when another instance of its study arrives; it restarts
    /// the quiet period. The payload is the SOP Instance UID, or null.
    /// </summary>
    public const string InstanceArrivedEvent = "InstanceArrived";

    /// <summary>
    /// Deterministic instance ID of the run that scores a study with a model version: the same study,
    /// partition and model always map to the same ID, so repeated triggers meet one instance.
    /// </summary>
    public static string InstanceId(string? dataPartition, string studyInstanceUid, string modelVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(studyInstanceUid);
        ArgumentException.ThrowIfNullOrEmpty(modelVersion);
        string key = $"{dataPartition ?? ""}\n{studyInstanceUid}\n{modelVersion}";
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return "ich-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Prefix of the work-container blobs that belong to one instance; all are deleted when it ends.</summary>
    public static string WorkPrefix(string instanceId) => instanceId + "/";
}
