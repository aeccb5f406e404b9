using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Collects steps in log order while tool calls wait for their results: a call takes its place
/// when it is made and is filled in when the result arrives (paired by call id), followed by
/// its verification companion when the call ran tests, a build or a linter. Calls still
/// waiting at the end become <see cref="ToolStartStep"/>s (the run stopped before they returned).
/// </summary>
internal sealed class StepAssembler(IngestOptions options, NoteList notes)
{
    private readonly List<Slot> _slots = [];
    private readonly Dictionary<string, Slot> _pending = new(StringComparer.Ordinal);

    /// <summary>Number of tool calls still waiting for a result.</summary>
    public int PendingCalls => _pending.Count;

    public Slot Add(Step step)
    {
        var slot = new Slot { Step = step };
        _slots.Add(slot);
        return slot;
    }

    /// <summary>Places <paramref name="step"/> just before <paramref name="anchor"/> (e.g. thinking before the message it led to).</summary>
    public void InsertBefore(Slot anchor, Step step)
    {
        int index = _slots.LastIndexOf(anchor);
        _slots.Insert(index < 0 ? _slots.Count : index, new Slot { Step = step });
    }

    public bool IsPending(string callId) => _pending.ContainsKey(callId);

    /// <summary>A tool call was made; its step is completed by <see cref="CompleteTool"/>.</summary>
    public void StartTool(string callId, string name, string inputJson, DateTimeOffset? timestamp, string location, Func<string, Step>? asSubagent = null)
    {
        var call = new PendingCall(name, callId, inputJson, timestamp, asSubagent);
        var slot = new Slot { Call = call };
        if (!_pending.TryAdd(callId, slot))
        {
            notes.Add("duplicate-call-id", $"tool call id '{callId}' used twice; the later call is paired with the next result", location);
            _pending[callId] = slot;
        }

        _slots.Add(slot);
    }

    /// <summary>
    /// Pairs a result with its call. Returns false (and notes it) when no call with that id is
    /// waiting. <paramref name="exitCode"/> is the process exit code when the log has it.
    /// </summary>
    public bool CompleteTool(string callId, string output, bool ok, string location, int? exitCode = null, long? latencyMs = null, DateTimeOffset? timestamp = null)
    {
        if (!_pending.Remove(callId, out Slot? slot))
        {
            notes.Add("orphan-result", $"tool result for call id '{callId}' has no matching call; ignored", location);
            return false;
        }

        PendingCall call = slot.Call!;
        if (latencyMs is null && call.Timestamp is DateTimeOffset start && timestamp is DateTimeOffset end && end >= start)
        {
            latencyMs = (long)(end - start).TotalMilliseconds;
        }

        if (call.AsSubagent is not null)
        {
            slot.Step = call.AsSubagent(output) with { Timestamp = call.Timestamp };
            slot.Call = null;
            return true;
        }

        var tool = new ToolStep(call.Name, call.CallId, call.InputJson, output, ok)
        {
            LatencyMs = latencyMs,
            Timestamp = call.Timestamp,
        };
        slot.Step = tool;
        slot.Call = null;
        slot.Companion = VerificationExtractor.TryCreate(tool, options, exitCode, latencyMs);
        if (slot.Companion is not null && timestamp is not null)
        {
            slot.Companion = slot.Companion with { Timestamp = timestamp };
        }

        return true;
    }

    /// <summary>The steps in order; calls without a result become <see cref="ToolStartStep"/>s, with a note.</summary>
    public List<Step> Build(string source)
    {
        var steps = new List<Step>(_slots.Count + 8);
        foreach (Slot slot in _slots)
        {
            if (slot.Call is PendingCall call)
            {
                notes.Add("no-result", $"tool call '{call.Name}' ({call.CallId}) has no result: the run stopped before it returned", source);
                steps.Add(new ToolStartStep(call.Name, call.CallId)
                {
                    InputJson = call.InputJson,
                    Command = ShellCommands.FindCommand(call.InputJson),
                    Timestamp = call.Timestamp,
                });
                continue;
            }

            if (slot.Step is not null)
            {
                steps.Add(slot.Step);
            }

            if (slot.Companion is not null)
            {
                steps.Add(slot.Companion);
            }
        }

        return steps;
    }

    internal sealed class Slot
    {
        public Step? Step { get; set; }

        public Step? Companion { get; set; }

        public PendingCall? Call { get; set; }
    }

    internal sealed record PendingCall(string Name, string CallId, string InputJson, DateTimeOffset? Timestamp, Func<string, Step>? AsSubagent);
}
