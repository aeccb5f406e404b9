using System.Text;
using SovereignTrajectories.Trajectories.Ingest;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

/// <summary>Runs alone: it reads the process-wide heap size, which tests running beside it would disturb.</summary>
[CollectionDefinition(nameof(OtlpMemoryTests), DisableParallelization = true)]
[Collection(nameof(OtlpMemoryTests))]
public sealed class OtlpMemoryTests
{
    [Fact]
    public async Task Memory_does_not_hold_the_document_while_streaming_spans()
    {
        // ~8 MB of spans read through a stream that never exposes the whole document.
        var sb = new StringBuilder("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[");
        string pad = new('p', 2000);
        for (int i = 0; i < 4000; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append(OtlpReaderTests.Span(OtlpReaderTests.T1, i.ToString("x16"), i == 0 ? null : "0000000000000000", "embeddings", i, i + 1, ",{\"key\":\"other.attr\",\"value\":{\"stringValue\":\"" + pad + "\"}}"));
        }

        sb.Append("]}]}]}");
        byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
        sb.Clear();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        IngestResult result = await IngestSamples.ReadAsync(bytes, TrajectoryFormat.Otlp);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(result);
        Assert.Empty(result.Single().Steps);
        Assert.True(after - before < bytes.Length / 2, $"retained {after - before} bytes reading {bytes.Length}");
    }
}
