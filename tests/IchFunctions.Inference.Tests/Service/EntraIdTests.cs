using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IchFunctions.Inference.Tests.Service;

/// <summary>
/// The service with Entra ID settings. The tenant's signing keys come from a local key instead of the Entra
/// metadata endpoint, so the tests sign their own tokens. Audience, issuer, lifetime and signature checks are the real ones.
/// </summary>
public sealed class EntraIdFixture : ServiceFixture
{
    public const string Audience = "api://ich-inference-tests";
    public const string TenantId = "0b6b6a43-6a1c-4bd8-9d5f-1c1f1f0e7c11";

    public RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = "test-key" };

    protected override IEnumerable<string> Settings =>
        [.. base.Settings, $"--Authentication:Audience={Audience}", $"--Authentication:TenantId={TenantId}"];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0" };
            configuration.SigningKeys.Add(SigningKey);
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        });
    }

    public string Token(string? issuer = null, string audience = Audience, DateTime? expires = null, SecurityKey? key = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? $"https://login.microsoftonline.com/{TenantId}/v2.0",
            Audience = audience,
            NotBefore = DateTime.UtcNow.AddMinutes(-10),
            IssuedAt = DateTime.UtcNow.AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(30),
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}

public sealed class EntraIdTests(EntraIdFixture service) : IClassFixture<EntraIdFixture>
{
    private async Task<HttpResponseMessage> InferAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Tensors.Infer()) { Content = Tensors.JsonRequest(new float[192], [1, 3, 8, 8]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await service.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task V2Token_Accepted()
    {
        using HttpResponseMessage response = await InferAsync(service.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task V1Token_Accepted()
    {
        using HttpResponseMessage response = await InferAsync(service.Token(issuer: $"https://sts.windows.net/{EntraIdFixture.TenantId}/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SharedKey_StillAccepted()
    {
        using HttpResponseMessage response = await InferAsync(ServiceFixture.SharedKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WrongAudience_Returns401()
    {
        using HttpResponseMessage response = await InferAsync(service.Token(audience: "api://another-service"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Audience validation failed", await Tensors.ErrorAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherTenant_Returns401()
    {
        using HttpResponseMessage response = await InferAsync(service.Token(issuer: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Issuer validation failed", await Tensors.ErrorAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_Returns401()
    {
        using HttpResponseMessage response = await InferAsync(service.Token(expires: DateTime.UtcNow.AddMinutes(-6)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Lifetime validation failed", await Tensors.ErrorAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignSignature_Returns401()
    {
        using var otherKey = RSA.Create(2048);

        using HttpResponseMessage response = await InferAsync(service.Token(key: new RsaSecurityKey(otherKey) { KeyId = "test-key" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Signature validation failed", await Tensors.ErrorAsync(response), StringComparison.Ordinal);
    }
}
