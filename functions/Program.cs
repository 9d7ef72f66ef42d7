using IchFunctions.Functions;
using IchFunctions.Functions.Triggers.Sweep;
using IchFunctions.Functions.DicomService;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Triggers;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddIchFunctionsOptions(builder.Configuration);
builder.Services.AddSweep();
builder.Services.AddDicomServiceClient();
builder.Services.AddScoreStudyServices(builder.Configuration);
builder.Services.AddIchTriggers();
builder.Build().Run();
