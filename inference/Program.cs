using IchFunctions.Inference;

ServiceApplication.Build(args).Run();

/// <summary>Entry point, public so integration tests can host the service.</summary>
public partial class Program;
