using System.Text.Json.Nodes;

namespace IchFunctions.Infra.Tests;

/// <summary>
/// Checks the security and cost properties that docs/deploy.md promises, on the template compiled from
/// infra/main.bicep, so that an edit cannot silently drop one.
/// </summary>
public sealed class DeploymentPostureTests
{
    private static CompiledTemplate Template => CompiledTemplate.MainTemplate;

    [Fact]
    public void StorageAccount_AllowsEntraIdOnly()
    {
        JsonNode properties = Assert.Single(Template.Resources("Microsoft.Storage/storageAccounts"))["properties"]!;

        Assert.False(properties["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(properties["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", properties["minimumTlsVersion"]!.GetValue<string>());
        Assert.Equal("AzureServices", properties["networkAcls"]!["bypass"]!.GetValue<string>());
    }

    [Fact]
    public void FunctionApp_RunsDotnetIsolated10OnFlexConsumption()
    {
        JsonObject site = Assert.Single(Template.Resources("Microsoft.Web/sites"));
        JsonObject plan = Assert.Single(Template.Resources("Microsoft.Web/serverfarms"));

        Assert.Equal("SystemAssigned", site["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        JsonNode runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        Assert.Equal("SystemAssignedIdentity",
            site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void PublishingCredentials_AreDisabled()
    {
        List<JsonObject> policies = Template.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy => Assert.False(policy["properties"]!["allow"]!.GetValue<bool>()));
    }

    [Fact]
    public void InferenceApp_ScalesToZeroWithoutPublicAddress()
    {
        JsonObject app = Assert.Single(Template.Resources("Microsoft.App/containerApps"));
        JsonObject environment = Assert.Single(Template.Resources("Microsoft.App/managedEnvironments"));

        Assert.Equal(0, app["properties"]!["template"]!["scale"]!["minReplicas"]!.GetValue<int>());
        Assert.True(environment["properties"]!["vnetConfiguration"]!["internal"]!.GetValue<bool>());
    }

    [Fact]
    public void GpuProfile_DefaultsToT4AndOffersNoV100()
    {
        JsonObject parameter = Template.Parameter("gpuProfileType");
        List<string> allowed = parameter["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();

        Assert.Equal("Consumption-GPU-NC8as-T4", parameter["defaultValue"]!.GetValue<string>());
        Assert.Contains("Consumption-GPU-NC24-A100", allowed);
        Assert.DoesNotContain(allowed, profile => profile.Contains("V100", StringComparison.OrdinalIgnoreCase)
            || profile.Contains("NC6s", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void DicomEvents_GoToQueueWithManagedIdentity()
    {
        JsonObject subscription = Assert.Single(Template.Resources("Microsoft.EventGrid/systemTopics/eventSubscriptions"));
        JsonNode properties = subscription["properties"]!;

        Assert.Equal(["Microsoft.HealthcareApis.DicomImageCreated"],
            properties["filter"]!["includedEventTypes"]!.AsArray().Select(v => v!.GetValue<string>()));
        JsonNode delivery = properties["deliveryWithResourceIdentity"]!;
        Assert.Equal("UserAssigned", delivery["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageQueue", delivery["destination"]!["endpointType"]!.GetValue<string>());
    }

    [Fact]
    public void ContainerRegistry_HasNoAdminUser()
    {
        JsonObject registry = Assert.Single(Template.Resources("Microsoft.ContainerRegistry/registries"));

        Assert.False(registry["properties"]!["adminUserEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public void ApplicationInsights_DisablesLocalAuthentication()
    {
        JsonObject component = Assert.Single(Template.Resources("Microsoft.Insights/components"));

        Assert.True(component["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
    }

    [Fact]
    public void DicomAccess_GrantsDicomDataOwner()
    {
        const string DicomDataOwnerRoleId = "58a3b984-7adf-4c20-983a-32417c86fbc8";
        JsonObject assignment = Assert.Single(Template.Resources("Microsoft.Authorization/roleAssignments"),
            a => a["scope"]?.GetValue<string>().Contains("dicomservices", StringComparison.OrdinalIgnoreCase) == true);

        Assert.Contains("dicomDataOwner", assignment["properties"]!["roleDefinitionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(DicomDataOwnerRoleId, Template.ToJsonString(), StringComparison.Ordinal);
    }
}
