using IchFunctions.Inference.Options;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddInferenceOptions(builder.Configuration);
WebApplication app = builder.Build();

// Open Inference Protocol (KServe v2) server liveness: the process is up and serving HTTP.
app.MapGet("/v2/health/live", () => Results.Ok());

app.Run();

/// <summary>Entry point, public so integration tests can host the service.</summary>
public partial class Program;
