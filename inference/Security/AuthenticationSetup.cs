using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace IchFunctions.Inference.Security;

/// <summary>
/// Registers authentication for the inference routes: Microsoft Entra ID bearer tokens validated against the
/// configured audience and the tenant's issuers, and the shared key for local use. A policy scheme sends
/// JWT-shaped tokens to the Entra ID handler and anything else to the shared key handler.
/// </summary>
internal static class AuthenticationSetup
{
    public const string PolicyScheme = "EntraIdOrSharedKey";

    public static IServiceCollection AddInferenceAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = new Options.AuthenticationOptions();
        configuration.GetSection(Options.AuthenticationOptions.SectionName).Bind(settings);
        bool useEntraId = settings.UsesEntraId;

        AuthenticationBuilder builder = services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "Entra ID or shared key", policy =>
            {
                policy.ForwardDefaultSelector = context =>
                    useEntraId && (string.IsNullOrEmpty(settings.SharedKey) || BearerToken.LooksLikeJwt(BearerToken.Read(context.Request)))
                        ? JwtBearerDefaults.AuthenticationScheme
                        : SharedKeyHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, SharedKeyHandler>(SharedKeyHandler.SchemeName, _ => { });

        if (useEntraId)
        {
            builder.AddJwtBearer(options =>
            {
                string tenant = settings.TenantId!;
                options.Authority = $"https://login.microsoftonline.com/{tenant}/v2.0";
                options.MapInboundClaims = false;
                options.TokenValidationParameters.ValidAudience = settings.Audience;

                // Entra ID issues v1.0 or v2.0 tokens depending on the app registration's accessTokenAcceptedVersion.
                options.TokenValidationParameters.ValidIssuers = [$"https://sts.windows.net/{tenant}/", $"https://login.microsoftonline.com/{tenant}/v2.0"];
                options.Events = new JwtBearerEvents
                {
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        context.Response.Headers.WWWAuthenticate = "Bearer";
                        ILogger logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthenticationSetup));
                        await BearerToken.WriteChallengeAsync(context.HttpContext, context.AuthenticateFailure?.Message, logger).ConfigureAwait(false);
                    },
                };
            });
        }

        services.AddAuthorizationBuilder().AddFallbackPolicy("Authenticated", policy => policy.RequireAuthenticatedUser());
        return services;
    }
}
