using IchFunctions.Imaging.Inference;

namespace IchFunctions.Imaging.Tests.Inference;

public sealed class OnnxEngineOptionsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(16, 2, 8)]
    public void Resolve_CpuDefaults_SplitTheCoresAmongTwoBatches(int cores, int runs, int threads)
    {
        OnnxEngineOptions resolved = OnnxModelRunner.Resolve(new OnnxEngineOptions(), cores);

        Assert.Equal((runs, threads), (resolved.ConcurrentRuns, resolved.IntraOpThreads));
    }

    [Fact]
    public void Resolve_ExplicitValues_AreKept()
    {
        OnnxEngineOptions resolved = OnnxModelRunner.Resolve(new OnnxEngineOptions { ConcurrentRuns = 1, IntraOpThreads = 3 }, 16);

        Assert.Equal((1, 3), (resolved.ConcurrentRuns, resolved.IntraOpThreads));
    }

    [Fact]
    public void Resolve_OneRunGiven_GetsEveryCore()
    {
        OnnxEngineOptions resolved = OnnxModelRunner.Resolve(new OnnxEngineOptions { ConcurrentRuns = 1 }, 16);

        Assert.Equal(16, resolved.IntraOpThreads);
    }

    [Fact]
    public void Resolve_Cuda_RunsOneBatchWithOnnxRuntimeThreads()
    {
        OnnxEngineOptions resolved = OnnxModelRunner.Resolve(new OnnxEngineOptions { Provider = ExecutionProvider.Cuda }, 16);

        Assert.Equal((1, 0), (resolved.ConcurrentRuns, resolved.IntraOpThreads));
    }
}
