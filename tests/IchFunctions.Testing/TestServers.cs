namespace IchFunctions.Testing;

/// <summary>
/// Addresses of the servers that <c>./build.sh test</c> starts on 127.0.0.1 and passes in through
/// environment variables. A missing variable fails the test: these tests never pass without their server.
/// </summary>
public static class TestServers
{
    /// <summary>Azurite connection string (blob, queue and table endpoints, well-known development account).</summary>
    public const string AzuriteVariable = "ICH_AZURITE_CONNECTION_STRING";

    /// <summary>Orthanc's DICOMweb root, for example http://127.0.0.1:8042/dicom-web.</summary>
    public const string DicomWebVariable = "ICH_DICOMWEB_URL";

    /// <summary>Orthanc's own REST root, for example http://127.0.0.1:8042, used to clean up between tests.</summary>
    public const string OrthancVariable = "ICH_ORTHANC_URL";

    public static string AzuriteConnectionString => Require(AzuriteVariable, "Azurite");

    public static Uri DicomWebRoot => new(Require(DicomWebVariable, "Orthanc with its DICOMweb plugin").TrimEnd('/') + "/");

    public static Uri OrthancRoot => new(Require(OrthancVariable, "Orthanc").TrimEnd('/') + "/");

    private static string Require(string variable, string server)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{variable} is not set, so this test cannot reach {server}. Run the tests with "
                + "'./build.sh test', which starts the servers on 127.0.0.1 and sets the variable, "
                + "or start the servers with './build.sh servers' and export the variables it prints.");
        }

        return value;
    }
}
