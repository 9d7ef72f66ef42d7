using System.Diagnostics;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Tests.Support;
using IchFunctions.Testing;

namespace IchFunctions.Dicom.Tests.IO;

/// <summary>
/// Feeds mutated copies of the real test files to the reader: truncations, overwritten length fields, random
/// bytes and flipped bits, with a fixed seed so failures repeat. Every case must finish quickly, raise nothing
/// but <see cref="DicomDataException"/> subtypes, and allocate at most a fixed multiple of the input size.
/// </summary>
public sealed class MutationTests
{
    private const int Seed = 20261204;
    private const int CasesPerFile = 40;

    /// <summary>Allowed allocation per case: this multiple of the input size plus <see cref="AllocationAllowance"/>.</summary>
    private const int AllocationFactor = 4;

    /// <summary>Fixed allowance for the pooled buffer, dictionary lookups and exception objects.</summary>
    private const int AllocationAllowance = 512 * 1024;

    [Fact]
    public async Task Read_MutatedRealFiles_FailsOnlyWithToolkitErrors()
    {
        string root = TestData.Require("dcm_qa_ct");
        root = Path.GetDirectoryName(root)!;
        string[] files = [.. TestFiles.All().Select(file => Path.Combine(root, file))];
        var random = new Random(Seed);
        var failures = new List<string>();
        int cases = 0;
        var clock = Stopwatch.StartNew();

        // The whole run executes on one worker thread with a deadline, so a hang fails the test instead of stalling it.
        Task run = Task.Factory.StartNew(() =>
        {
            foreach (string file in files)
            {
                byte[] original = File.ReadAllBytes(file);
                for (int i = 0; i < CasesPerFile; i++)
                {
                    (byte[] mutated, string description) = Mutate(original, random);
                    string label = $"{Path.GetRelativePath(root, file)} case {i} ({description})";
                    bool deflated = file.EndsWith("image_dfl.dcm", StringComparison.Ordinal);
                    string? failure = i % 4 == 1
                        ? ReadOneAsync(mutated, label)
                        : ReadOne(mutated, nonSeekable: i % 4 == 3, label, allowInflation: deflated);
                    if (failure is not null)
                    {
                        failures.Add(failure);
                    }

                    cases++;
                }
            }
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken));
        Assert.True(finished == run, $"The mutation run did not finish within 2 minutes after {cases} cases; the reader hangs on some input.");
        await run;

        TestContext.Current.SendDiagnosticMessage($"{cases} mutated inputs read in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(cases >= 3000, $"only {cases} cases ran");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n" + string.Join('\n', failures.Take(20)));
    }

    private static string? ReadOne(byte[] input, bool nonSeekable, string label, bool allowInflation)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            Stream stream = nonSeekable ? new ChunkedStream(input, 997) : new MemoryStream(input, writable: false);
            DicomReader.Read(stream);
        }
        catch (DicomDataException)
        {
            // Expected for most mutations.
        }
        catch (Exception exception)
        {
            return $"{label}: {exception.GetType().Name}: {exception.Message}";
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long limit = ((long)AllocationFactor * input.Length) + AllocationAllowance;
        if (!allowInflation && allocated > limit)
        {
            return $"{label}: allocated {allocated} bytes for {input.Length} input bytes (limit {limit})";
        }

        return clock.Elapsed > TimeSpan.FromSeconds(5) ? $"{label}: took {clock.Elapsed.TotalSeconds:F1} s" : null;
    }

    /// <summary>
    /// Reads through the async path from a stream that yields on every read. Continuations may run on other
    /// threads, so the per-thread allocation count does not apply here; exceptions and time are checked.
    /// </summary>
    private static string? ReadOneAsync(byte[] input, string label)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            DicomReader.ReadAsync(new ChunkedStream(input, 4093)).AsTask().GetAwaiter().GetResult();
        }
        catch (DicomDataException)
        {
            // Expected for most mutations.
        }
        catch (Exception exception)
        {
            return $"{label} (async): {exception.GetType().Name}: {exception.Message}";
        }

        return clock.Elapsed > TimeSpan.FromSeconds(5) ? $"{label} (async): took {clock.Elapsed.TotalSeconds:F1} s" : null;
    }

    private static (byte[] Bytes, string Description) Mutate(byte[] original, Random random)
    {
        // Most structure (meta group, headers, sequences) sits before Pixel Data, so mutations favour the first 4 KiB.
        int hot = Math.Min(original.Length, 4096);
        switch (random.Next(5))
        {
            case 0:
            {
                int length = random.Next(original.Length);
                return (original[..length], $"truncated to {length}");
            }

            case 1:
            {
                byte[] bytes = (byte[])original.Clone();
                int offset = random.Next(hot);
                int count = Math.Min(4, bytes.Length - offset);
                byte value = random.Next(3) switch { 0 => 0xFF, 1 => 0x00, _ => (byte)random.Next(256) };
                bytes.AsSpan(offset, count).Fill(value);
                return (bytes, $"{count} bytes at {offset} set to 0x{value:X2}");
            }

            case 2:
            {
                byte[] bytes = (byte[])original.Clone();
                int offset = random.Next(hot);
                int count = Math.Min(random.Next(1, 64), bytes.Length - offset);
                random.NextBytes(bytes.AsSpan(offset, count));
                return (bytes, $"{count} random bytes at {offset}");
            }

            case 3:
            {
                byte[] bytes = (byte[])original.Clone();
                int flips = random.Next(1, 8);
                for (int i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return (bytes, $"{flips} bit flips");
            }

            default:
            {
                int offset = random.Next(hot);
                byte[] inserted = new byte[random.Next(1, 16)];
                random.NextBytes(inserted);
                return ([.. original[..offset], .. inserted, .. original[offset..]], $"{inserted.Length} bytes inserted at {offset}");
            }
        }
    }
}
