using System.Text.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest.Otlp;

/// <summary>
/// OpenTelemetry traces in OTLP/JSON (an export request, or the collector file exporter's one
/// request per line) with GenAI semantic-convention attributes. Spans are streamed, so memory is
/// bounded by the largest span plus what is kept of each (<see cref="OtlpSpan"/>); each trace
/// becomes one trajectory (<see cref="OtlpTraceMapper"/>). The input is one document: any bad span
/// is an error naming its line and path.
/// </summary>
public sealed class OtlpReader : ITrajectoryReader
{
    private const string ResourcePath = "resourceSpans/*/resource";
    private const string SpanPath = "resourceSpans/*/scopeSpans/*/spans/*";

    public TrajectoryFormat Format => TrajectoryFormat.Otlp;

    public async Task<IngestResult> ReadAsync(Stream input, string sourceName, IngestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var traces = new Dictionary<string, List<OtlpSpan>>(StringComparer.Ordinal);
        var order = new List<string>();
        string? serviceName = null;
        string? serviceVersion = null;
        long spans = 0;

        void OnElement(string key, JsonElement element, long line, string path)
        {
            try
            {
                if (key == ResourcePath)
                {
                    Dictionary<string, object> attributes = OtlpSpanParser.Attributes(element, path);
                    serviceName = attributes.TryGetValue("service.name", out object? n) ? n as string : null;
                    serviceVersion = attributes.TryGetValue("service.version", out object? v) ? v as string : null;
                    return;
                }

                OtlpSpan span = OtlpSpanParser.Parse(element, path, line, serviceName, serviceVersion);
                spans++;
                if (!traces.TryGetValue(span.TraceId, out List<OtlpSpan>? list))
                {
                    list = [];
                    traces[span.TraceId] = list;
                    order.Add(span.TraceId);
                }

                list.Add(span);
            }
            catch (BadFieldException ex)
            {
                throw new IngestException(sourceName, line, ex.Field, ex.Problem, ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new IngestException(sourceName, line, path, $"unreadable JSON text ({ex.Message})", ex);
            }
        }

        var walker = new JsonStreamWalker([ResourcePath, SpanPath], OnElement, sourceName, options);
        await walker.WalkAsync(input, cancellationToken).ConfigureAwait(false);
        if (spans == 0)
        {
            throw new IngestException(sourceName, null, "resourceSpans", "no spans found: not an OTLP/JSON trace export, or an empty one");
        }

        var trajectories = new List<Trajectory>(order.Count);
        foreach (string traceId in order)
        {
            trajectories.Add(OtlpTraceMapper.Map(traceId, traces[traceId], sourceName, options));
            traces.Remove(traceId); // let the spans go as soon as their trajectory exists
        }

        return new IngestResult(TrajectoryFormat.Otlp, sourceName, ValueList.From(trajectories), ValueList<TrajectoryNote>.Empty);
    }
}
