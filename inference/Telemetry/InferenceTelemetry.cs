using System.Diagnostics;
using System.Diagnostics.Metrics;
using IchFunctions.Inference.Model;

namespace IchFunctions.Inference.Telemetry;

/// <summary>
/// The service's OpenTelemetry instruments (meter and activity source <see cref="Name"/>): request latency,
/// batch sizes, queue depth and the execution provider.
/// </summary>
internal sealed class InferenceTelemetry
{
    public const string Name = "IchFunctions.Inference";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _rejected;
    private readonly UpDownCounter<int> _queueDepth;

    public InferenceTelemetry(IMeterFactory meterFactory, ModelHost model)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(Name);
        _requestDuration = meter.CreateHistogram<double>(
            "ich.inference.request.duration", "s", "Time from receiving an inference request to its response, queueing included.");
        _batchSize = meter.CreateHistogram<int>(
            "ich.inference.batch.size", "{slice}", "Slices per model run after merging concurrent requests.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        _batchDuration = meter.CreateHistogram<double>("ich.inference.batch.duration", "s", "Time of one model run.");
        _rejected = meter.CreateCounter<long>("ich.inference.requests.rejected", "{request}", "Inference requests answered with an error status.");
        _queueDepth = meter.CreateUpDownCounter<int>("ich.inference.queue.depth", "{request}", "Requests waiting for a batch.");
        meter.CreateObservableGauge(
            "ich.inference.model.ready",
            () => new Measurement<int>(model.IsReady ? 1 : 0, new KeyValuePair<string, object?>("provider", model.Provider)),
            description: "1 when the model is loaded and warmed up; the provider attribute names the execution provider.");
    }

    public void RecordRequest(double seconds, string encoding, int statusCode) =>
        _requestDuration.Record(seconds, new("encoding", encoding), new("http.response.status_code", statusCode));

    public void RecordBatch(int slices, double seconds, string provider)
    {
        _batchSize.Record(slices, new KeyValuePair<string, object?>("provider", provider));
        _batchDuration.Record(seconds, new KeyValuePair<string, object?>("provider", provider));
    }

    public void AddQueueDepth(int change) => _queueDepth.Add(change);

    public void RecordRejected(int statusCode) => _rejected.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
}
