using System.Text.Json;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.Tests.Outputs.Archive;

public sealed class StowOutcomeTests
{
    /// <summary>
    /// The shape of the Azure DICOM service's response (HTTP 409) when an instance with the same SOP Instance UID
    /// is already stored: Failed SOP Sequence with Failure Reason 45070.
    /// </summary>
    private const string AzureConflict = """
        {
          "00081190": { "vr": "UR", "Value": ["https://dicom.example/v2/studies/1.2.3"] },
          "00081198": { "vr": "SQ", "Value": [ {
            "00081150": { "vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.66.4"] },
            "00081155": { "vr": "UI", "Value": ["1.2.3.4"] },
            "00081197": { "vr": "US", "Value": [45070] } } ] }
        }
        """;

    [Fact]
    public void Classify_AzureFailureReason45070_IsAlreadyStored()
    {
        using JsonDocument response = JsonDocument.Parse(AzureConflict);

        (StowInstanceStatus status, int? reason) = StowOutcome.Classify(response.RootElement, "1.2.3.4");

        Assert.Equal(StowInstanceStatus.AlreadyStored, status);
        Assert.Equal(45070, reason);
    }

    [Fact]
    public void Classify_OtherFailureReason_IsFailed()
    {
        using JsonDocument response = JsonDocument.Parse(AzureConflict.Replace("45070", "272", StringComparison.Ordinal));

        Assert.Equal(StowInstanceStatus.Failed, StowOutcome.Classify(response.RootElement, "1.2.3.4").Status);
    }

    [Fact]
    public void Classify_UidNotInResponse_IsMissing()
    {
        using JsonDocument response = JsonDocument.Parse(AzureConflict);

        Assert.Equal(StowInstanceStatus.Missing, StowOutcome.Classify(response.RootElement, "9.9.9").Status);
    }
}
