using System.Globalization;
using SovereignTrajectories.Audit.Fetching;

namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>
/// Where a long audit stands, on one line of the terminal's stderr that is rewritten in place (reading an
/// archive: share of bytes; fetching: events so far; then the checks) and cleared before the report.
/// Written only to a terminal, so a redirected stderr, a log or a pipe never sees it. A line is rewritten at
/// most every 100 ms, except when the stage changes.
/// </summary>
internal sealed class TerminalProgress : IProgress<AuditProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private AuditStage? _stage;
    private long _lastWritten;
    private int _width;

    public TerminalProgress(TextWriter writer, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A progress line on <paramref name="stderr"/> when it is the console's and that is a terminal; otherwise none.</summary>
    public static TerminalProgress? ForTerminal(TextWriter stderr) =>
        ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected ? new TerminalProgress(stderr) : null;

    public void Report(AuditProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            if (value.Stage == _stage && _time.GetElapsedTime(_lastWritten, now) < Interval)
            {
                return;
            }

            _stage = value.Stage;
            _lastWritten = now;
            string text = "sovtraj: " + Describe(value);

            // Padded over what the previous line left, so a shorter line leaves no tail behind.
            _writer.Write("\r" + text.PadRight(_width));
            _writer.Flush();
            _width = text.Length;
        }
    }

    /// <summary>Blanks the line, if one was written, so that the report starts on a clean line.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (_width > 0)
            {
                _writer.Write("\r" + new string(' ', _width) + "\r");
                _writer.Flush();
                _width = 0;
            }

            _stage = null;
        }
    }

    internal static string Describe(AuditProgress p) => p.Stage switch
    {
        AuditStage.Reading when p.Total is > 0 and long total => string.Create(
            CultureInfo.InvariantCulture,
            $"reading the archive, {100.0 * Math.Min(p.Done, total) / total:0}% ({p.Done / 1048576.0:0.0} of {total / 1048576.0:0.0} MiB)"),
        AuditStage.Reading => string.Create(CultureInfo.InvariantCulture, $"reading the archive, {p.Done / 1048576.0:0.0} MiB"),
        AuditStage.Fetching => string.Create(CultureInfo.InvariantCulture, $"fetching from relays, {p.Done:N0} events so far"),
        _ => string.Create(CultureInfo.InvariantCulture, $"checking {p.Done:N0} events"),
    };
}
