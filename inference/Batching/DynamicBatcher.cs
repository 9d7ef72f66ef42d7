using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using IchFunctions.Imaging.Inference;
using IchFunctions.Inference.Model;
using IchFunctions.Inference.Options;
using IchFunctions.Inference.Telemetry;
using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Batching;

/// <summary>
/// Merges concurrent requests of the same height and width into one model run of at most
/// <see cref="ServingOptions.MaxBatchSize"/> slices, waiting at most <see cref="ServingOptions.MaxQueueDelayMilliseconds"/>
/// after the first request for others, then splits the outputs back. One run executes at a time, since one run
/// already takes every CPU core or the whole GPU. Requests abandoned before their run are dropped, and a run
/// whose requests are all abandoned is terminated.
/// </summary>
internal sealed class DynamicBatcher : BackgroundService
{
    private readonly Channel<InferenceWork> _queue;
    private readonly List<InferenceWork> _deferred = [];
    private readonly ModelHost _model;
    private readonly InferenceTelemetry _telemetry;
    private readonly ILogger<DynamicBatcher> _logger;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxQueueDelay;

    public DynamicBatcher(IOptions<ServingOptions> options, ModelHost model, InferenceTelemetry telemetry, ILogger<DynamicBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ServingOptions serving = options.Value;
        _queue = Channel.CreateBounded<InferenceWork>(new BoundedChannelOptions(serving.MaxQueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _model = model;
        _telemetry = telemetry;
        _logger = logger;
        _maxBatchSize = serving.MaxBatchSize;
        _maxQueueDelay = TimeSpan.FromMilliseconds(serving.MaxQueueDelayMilliseconds);
    }

    public int MaxBatchSize => _maxBatchSize;

    /// <summary>Queues <paramref name="work"/>; returns false when the queue is full and the caller should respond with 429.</summary>
    public bool TryEnqueue(InferenceWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!_queue.Writer.TryWrite(work))
        {
            return false;
        }

        _telemetry.AddQueueDepth(1);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                List<InferenceWork> batch = await CollectBatchAsync(stoppingToken).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    await RunAsync(batch).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping; requests still queued are cancelled below.
        }

        _queue.Writer.TryComplete();
        foreach (InferenceWork work in _deferred.Concat(Drain()))
        {
            work.Completion.TrySetCanceled(stoppingToken);
        }
    }

    private IEnumerable<InferenceWork> Drain()
    {
        while (_queue.Reader.TryRead(out InferenceWork? work))
        {
            yield return work;
        }
    }

    /// <summary>
    /// Takes the oldest live request, then adds same-shaped requests until the batch is full or the queue delay
    /// has passed since the first was taken. Requests of another shape wait for a later batch, in arrival order.
    /// </summary>
    private async Task<List<InferenceWork>> CollectBatchAsync(CancellationToken stoppingToken)
    {
        var batch = new List<InferenceWork>();
        int slices = 0;
        int abandoned = 0;
        long deadline = 0;
        for (int i = 0; i < _deferred.Count && slices < _maxBatchSize;)
        {
            InferenceWork work = _deferred[i];
            if (TryAdd(batch, work, ref slices, ref abandoned))
            {
                _deferred.RemoveAt(i);
                StartDeadline(batch, ref deadline);
            }
            else
            {
                i++;
            }
        }

        while (slices < _maxBatchSize)
        {
            if (_queue.Reader.TryRead(out InferenceWork? work))
            {
                _telemetry.AddQueueDepth(-1);
                if (!TryAdd(batch, work, ref slices, ref abandoned))
                {
                    _deferred.Add(work);
                }

                StartDeadline(batch, ref deadline);

                continue;
            }

            if (batch.Count == 0)
            {
                await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero || !await WaitForMoreAsync(remaining, stoppingToken).ConfigureAwait(false))
            {
                break;
            }
        }

        if (abandoned > 0)
        {
            _logger.RequestsAbandoned(abandoned);
        }

        return batch;
    }

    /// <summary>Starts the queue delay when the first request joins the batch.</summary>
    private void StartDeadline(List<InferenceWork> batch, ref long deadline)
    {
        if (deadline == 0 && batch.Count > 0)
        {
            deadline = Stopwatch.GetTimestamp() + (long)(_maxQueueDelay.TotalSeconds * Stopwatch.Frequency);
        }
    }

    /// <summary>Adds live work of the batch's shape that fits; cancels abandoned work (and returns true, as it is consumed).</summary>
    private bool TryAdd(List<InferenceWork> batch, InferenceWork work, ref int slices, ref int abandoned)
    {
        if (work.CancellationToken.IsCancellationRequested)
        {
            work.Completion.TrySetCanceled(work.CancellationToken);
            abandoned++;
            return true;
        }

        if (batch.Count > 0 && (!batch[0].SameShape(work) || slices + work.Batch > _maxBatchSize))
        {
            return false;
        }

        batch.Add(work);
        slices += work.Batch;
        return true;
    }

    private async Task<bool> WaitForMoreAsync(TimeSpan remaining, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(remaining);
        try
        {
            return await _queue.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task RunAsync(List<InferenceWork> batch)
    {
        IModelRunner runner = _model.Runner;
        int context = runner.Contract.Input.ContextSlices;
        int height = batch[0].Height;
        int width = batch[0].Width;
        int plane = height * width;
        int slices = batch.Sum(work => work.Batch);

        using Activity? activity = InferenceTelemetry.ActivitySource.StartActivity("ich.inference.batch");
        activity?.SetTag("ich.batch.slices", slices);
        activity?.SetTag("ich.batch.requests", batch.Count);
        activity?.SetTag("ich.provider", _model.Provider);

        using var allAbandoned = new CancellationTokenSource();
        int live = batch.Count;
        var registrations = batch.Select(work => work.CancellationToken.Register(() =>
        {
            if (Interlocked.Decrement(ref live) == 0)
            {
                allAbandoned.Cancel();
            }
        })).ToList();

        var clock = Stopwatch.StartNew();
        float[]? input = null, pixels = null, slicesOut = null;
        try
        {
            if (batch.Count == 1)
            {
                InferenceWork work = batch[0];
                await runner.RunAsync(work.Input, work.Batch, height, width, work.PixelOutput, work.SliceOutput, allAbandoned.Token).ConfigureAwait(false);
            }
            else
            {
                input = ArrayPool<float>.Shared.Rent(slices * context * plane);
                pixels = ArrayPool<float>.Shared.Rent(slices * plane);
                slicesOut = ArrayPool<float>.Shared.Rent(slices);
                int offset = 0;
                foreach (InferenceWork work in batch)
                {
                    work.Input.CopyTo(input, offset * context * plane);
                    offset += work.Batch;
                }

                await runner.RunAsync(
                    input.AsMemory(0, slices * context * plane), slices, height, width,
                    pixels.AsMemory(0, slices * plane), slicesOut.AsMemory(0, slices), allAbandoned.Token).ConfigureAwait(false);

                offset = 0;
                foreach (InferenceWork work in batch)
                {
                    pixels.AsSpan(offset * plane, work.Batch * plane).CopyTo(work.PixelOutput);
                    slicesOut.AsSpan(offset, work.Batch).CopyTo(work.SliceOutput);
                    offset += work.Batch;
                }
            }

            _telemetry.RecordBatch(slices, clock.Elapsed.TotalSeconds, _model.Provider);
            _logger.BatchRan(slices, batch.Count, height, width, clock.Elapsed.TotalMilliseconds);
            batch.ForEach(work => work.Completion.TrySetResult());
        }
        catch (OperationCanceledException) when (allAbandoned.IsCancellationRequested)
        {
            batch.ForEach(work => work.Completion.TrySetCanceled(work.CancellationToken));
        }
        catch (Exception error) when (error is InferenceException or ArgumentException)
        {
            // Each request responds with 500 from this exception; the batch's failure is logged once here.
            _logger.BatchFailed(error, slices, batch.Count);
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            batch.ForEach(work => work.Completion.TrySetException(error));
        }
        finally
        {
            registrations.ForEach(registration => registration.Dispose());
            ReturnPooled(input);
            ReturnPooled(pixels);
            ReturnPooled(slicesOut);
        }
    }

    private static void ReturnPooled(float[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
