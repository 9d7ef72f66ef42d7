using System.Net;
using System.Net.Sockets;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Orchestration.Support;
using IchFunctions.Imaging.Inference.Remote;
using IchFunctions.Testing;

namespace IchFunctions.Functions.Tests.Orchestration;

/// <summary>ScoreStudy with the remote engine: the project's inference service on 127.0.0.1, healthy, returning 503 for a while, or gone.</summary>
public sealed class ScoreStudyRemoteEngineTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task ScoreStudy_RemoteEngine_MatchesInProcess()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using TestStudy study = await TestStudy.StoreGeWithHemorrhageAsync(seed: 91_002, hemorrhage: true, cancellationToken);
        var request = new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, Trigger = "test" };

        ScoreStudyOutcome inProcess;
        await using (ScoreStudyHarness local = await ScoreStudyHarness.StartAsync(TestServers.DicomWebRoot))
        {
            inProcess = ScoreStudyEndToEndTests.ReadOutcome(await local.RunAsync(request, NewInstanceId(study), RunTimeout));
        }

        await using InferenceServer server = await InferenceServer.StartAsync(cancellationToken);
        await using ScoreStudyHarness remote = await ScoreStudyHarness.StartAsync(
            TestServers.DicomWebRoot, server.BaseAddress, options => options.WithSharedKey(InferenceServer.SharedKey));
        ScoreStudyOutcome served = ScoreStudyEndToEndTests.ReadOutcome(await remote.RunAsync(request, NewInstanceId(study), RunTimeout));

        Assert.Equal(ScoreStudyOutcomeKind.Scored, served.Kind);
        Assert.Equal(inProcess.ExamProbability!.Value, served.ExamProbability!.Value, 1e-5);
        Assert.Equal(inProcess.HemorrhageVolumeMl!.Value, served.HemorrhageVolumeMl!.Value, 0.01);
        Assert.Equal(inProcess.Positive, served.Positive);
        Assert.Equal(inProcess.SegmentationSopInstanceUid, served.SegmentationSopInstanceUid);
        IReadOnlyList<(string Modality, string SopInstanceUid)> instances = await study.ListInstancesAsync(cancellationToken);
        Assert.Single(instances, i => i.Modality == "SEG");
        Assert.Single(instances, i => i.Modality == "SR");
        Assert.Empty(await remote.ListWorkBlobsAsync());
    }

    [Fact]
    public async Task ScoreStudy_InferenceAnswers503ThenRecovers_Completes()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using TestStudy study = await TestStudy.StoreGeWithHemorrhageAsync(seed: 91_003, hemorrhage: true, cancellationToken);
        await using InferenceServer server = await InferenceServer.StartAsync(cancellationToken);
        await using var proxy = new FaultProxy(server.BaseAddress);

        // The engine retries once within an activity, so 3 responses of 503 also make at least one activity fail and be retried.
        proxy.AnswerUnavailable("/infer", 3);
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(
            TestServers.DicomWebRoot, proxy.Rewrite(server.BaseAddress),
            options => options.WithSharedKey(InferenceServer.SharedKey) with { MaxRetries = 1, InitialBackoff = TimeSpan.FromMilliseconds(50) });

        ScoreStudyOutcome outcome = ScoreStudyEndToEndTests.ReadOutcome(await harness.RunAsync(
            new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, Trigger = "test" }, NewInstanceId(study), RunTimeout));

        Assert.Equal(ScoreStudyOutcomeKind.Scored, outcome.Kind);
        Assert.Equal(3, proxy.Unavailable);
        Assert.Single(await study.ListInstancesAsync(cancellationToken), i => i.Modality == "SEG");
        Assert.Empty(await harness.ListWorkBlobsAsync());
    }

    [Fact]
    public async Task ScoreStudy_InferenceEndpointGone_FailsWithReason()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        await using TestStudy study = await TestStudy.StoreGeWithHemorrhageAsync(seed: 91_004, hemorrhage: true, cancellationToken);
        await using ScoreStudyHarness harness = await ScoreStudyHarness.StartAsync(
            TestServers.DicomWebRoot, new Uri($"http://127.0.0.1:{UnusedPort()}/"),
            options => options with { MaxRetries = 0 });

        ScoreStudyOutcome outcome = ScoreStudyEndToEndTests.ReadOutcome(await harness.RunAsync(
            new ScoreStudyRequest { StudyInstanceUid = study.StudyInstanceUid, Trigger = "test" }, NewInstanceId(study), RunTimeout));

        Assert.Equal(ScoreStudyOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(ReasonCodes.InferenceUnavailable, outcome.ReasonCode);
        Assert.Contains("failed after", outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await study.ListInstancesAsync(cancellationToken), i => i.Modality is "SEG" or "SR");
        Assert.Empty(await harness.ListWorkBlobsAsync());
    }

    internal static string NewInstanceId(TestStudy study) =>
        ScoreStudyNames.InstanceId(null, study.StudyInstanceUid, "test-" + Guid.NewGuid().ToString("N"));

    /// <summary>A port nothing listens on: one the system just handed out and that was closed again.</summary>
    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
