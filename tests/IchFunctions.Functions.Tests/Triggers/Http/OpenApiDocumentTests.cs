using System.Text.Json;
using IchFunctions.Functions.Tests.Support;
using IchFunctions.Testing;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;

namespace IchFunctions.Functions.Tests.Triggers.Http;

/// <summary>docs/openapi.yaml against the HTTP triggers in the generated functions.metadata.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly string DocumentPath = Path.Combine(TestData.RepositoryRoot, "docs", "openapi.yaml");

    [Fact]
    public void Document_IsValidOpenApi30()
    {
        OpenApiDocument document = ReadDocument(out OpenApiDiagnostic diagnostic);

        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0, diagnostic.SpecificationVersion);
        Assert.NotEmpty(document.Paths);
    }

    [Fact]
    public void Document_AndHttpTriggers_ListSameOperations()
    {
        using JsonDocument metadata = FunctionMetadataFile.Read();
        OpenApiDocument document = ReadDocument(out _);

        string[] fromTriggers = HttpTriggers(metadata).Select(t => $"{t.Method} {t.Path} {t.Function}").Order(StringComparer.Ordinal).ToArray();
        string[] fromDocument = document.Paths
            .SelectMany(path => path.Value.Operations.Select(operation =>
                $"{operation.Key.ToString().ToUpperInvariant()} {path.Key} {operation.Value.OperationId}"))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(fromTriggers, fromDocument);
    }

    [Fact]
    public void Document_SecurityMatchesAuthorizationLevel()
    {
        using JsonDocument metadata = FunctionMetadataFile.Read();
        OpenApiDocument document = ReadDocument(out _);

        foreach ((string method, string path, string function, string authLevel) in HttpTriggers(metadata))
        {
            OpenApiOperation operation = document.Paths[path].Operations[Enum.Parse<OperationType>(method, ignoreCase: true)];
            bool needsKey = operation.Security.Count > 0;
            Assert.True(needsKey == (authLevel != "Anonymous"), $"{function}: authLevel {authLevel}, but the document lists {operation.Security.Count} security requirements.");
        }
    }

    private static OpenApiDocument ReadDocument(out OpenApiDiagnostic diagnostic)
    {
        Assert.True(File.Exists(DocumentPath), $"{DocumentPath} not found.");
        return new OpenApiStringReader().Read(File.ReadAllText(DocumentPath), out diagnostic);
    }

    private static IEnumerable<(string Method, string Path, string Function, string AuthLevel)> HttpTriggers(JsonDocument metadata)
    {
        foreach (JsonElement function in metadata.RootElement.EnumerateArray())
        {
            foreach (JsonElement binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() != "httpTrigger")
                {
                    continue;
                }

                string path = "/api/" + binding.GetProperty("route").GetString();
                foreach (JsonElement method in binding.GetProperty("methods").EnumerateArray())
                {
                    yield return (method.GetString()!.ToUpperInvariant(), path, function.GetProperty("name").GetString()!, binding.GetProperty("authLevel").GetString()!);
                }
            }
        }
    }
}
