using System.Net.Http.Json;
using System.Text.Json;

namespace IchFunctions.Testing;

/// <summary>Removes studies from the test Orthanc through its own REST API, so each test cleans up what it stored.</summary>
public static class OrthancStudies
{
    public static async Task DeleteAsync(HttpClient client, string studyInstanceUid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using HttpResponseMessage lookup = await client.PostAsync(
            new Uri(TestServers.OrthancRoot, "tools/lookup"), new StringContent(studyInstanceUid), cancellationToken);
        lookup.EnsureSuccessStatusCode();

        JsonElement[] matches = await lookup.Content.ReadFromJsonAsync<JsonElement[]>(cancellationToken) ?? [];
        foreach (JsonElement match in matches)
        {
            if (match.GetProperty("Type").GetString() == "Study")
            {
                string path = match.GetProperty("Path").GetString()!.TrimStart('/');
                using HttpResponseMessage deleted = await client.DeleteAsync(new Uri(TestServers.OrthancRoot, path), cancellationToken);
                deleted.EnsureSuccessStatusCode();
            }
        }
    }
}
