using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SovereignTrajectories.Testing;

/// <summary>
/// A real Nostr relay process (<c>src/local-relay/relay.mjs</c>) on 127.0.0.1 for tests. Start it
/// with <see cref="StartAsync"/>; dispose it to stop the process and delete its temporary database.
/// The relay exits by itself when this test process dies, because it watches its stdin pipe.
/// </summary>
public sealed class LocalRelay : IAsyncDisposable
{
    /// <summary>The line relay.mjs prints once, when it listens: <c>RELAY READY ws://host:port</c>.</summary>
    public const string ReadyPrefix = "RELAY READY ";

    private const string InstallCommand = "npm_config_nodedir=/usr npm ci";

    private readonly Process _process;
    private readonly OutputTail _stderr;
    private readonly LocalRelayOptions _options;
    private string? _ownedDatabaseDir;
    private int _disposed;

    private LocalRelay(Process process, OutputTail stderr, LocalRelayOptions options, Uri url, string databasePath, string? ownedDatabaseDir)
    {
        _process = process;
        _stderr = stderr;
        _options = options;
        Url = url;
        DatabasePath = databasePath;
        _ownedDatabaseDir = ownedDatabaseDir;
    }

    /// <summary>The relay's WebSocket address, e.g. <c>ws://127.0.0.1:40123</c>.</summary>
    public Uri Url { get; }

    /// <summary>The TCP port it listens on.</summary>
    public int Port => Url.Port;

    /// <summary>The same host and port over HTTP, for the NIP-11 document.</summary>
    public Uri HttpUrl => new UriBuilder(Url) { Scheme = "http" }.Uri;

    /// <summary>The Node process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The SQLite file holding its events.</summary>
    public string DatabasePath { get; }

    /// <summary>True while the Node process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>What the relay wrote to stderr lately (for diagnostics).</summary>
    public string StderrTail => _stderr.ToString();

    /// <summary>Starts a relay and returns once it printed its ready line.</summary>
    public static Task<LocalRelay> StartAsync(LocalRelayOptions? options = null, CancellationToken ct = default)
    {
        options ??= new LocalRelayOptions();
        RequireScript(); // before creating a temp folder that a failure would leave behind
        string? ownedDir = null;
        string databasePath = options.DatabasePath ?? string.Empty;
        if (options.DatabasePath is null)
        {
            ownedDir = Directory.CreateTempSubdirectory("sovtraj-relay-test-").FullName;
            databasePath = Path.Combine(ownedDir, "events.db");
        }

        return StartCoreAsync(options, databasePath, ownedDir, ct);
    }

    /// <summary>
    /// Kills the process at once (SIGKILL), as a crash would: no clean shutdown, connections
    /// drop without a close frame. The database stays for <see cref="RestartAsync"/>.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a new relay process on the same port and the same database, so stored events
    /// survive. This instance is stopped first if it still runs, and hands the temporary database
    /// over to the returned one: dispose the returned relay (disposing this one as well is harmless).
    /// </summary>
    public async Task<LocalRelay> RestartAsync(CancellationToken ct = default)
    {
        if (!_process.HasExited)
        {
            await StopProcessAsync().ConfigureAwait(false);
        }

        string? ownedDir = Interlocked.Exchange(ref _ownedDatabaseDir, null);
        LocalRelayOptions options = _options with { Port = Port, DatabasePath = DatabasePath };
        try
        {
            return await StartCoreAsync(options, DatabasePath, ownedDir, ct).ConfigureAwait(false);
        }
        catch
        {
            // Keep the database ours so disposing this instance still cleans it up.
            _ownedDatabaseDir = ownedDir;
            throw;
        }
    }

    /// <summary>Stops the process (gracefully by closing its stdin, then by kill) and deletes a temporary database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopProcessAsync().ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
            string? dir = Interlocked.Exchange(ref _ownedDatabaseDir, null);
            if (dir is not null)
            {
                TryDeleteDirectory(dir);
            }
        }
    }

    public override string ToString() => $"local relay {Url} (pid {_process.Id})";

    private static async Task<LocalRelay> StartCoreAsync(LocalRelayOptions options, string databasePath, string? ownedDir, CancellationToken ct)
    {
        string relayDir = RepoPaths.LocalRelayDir;
        string script = RequireScript();
        var psi = new ProcessStartInfo(options.NodeExecutable)
        {
            WorkingDirectory = relayDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        psi.ArgumentList.Add(script);
        psi.Environment["RELAY_HOST"] = "127.0.0.1";
        psi.Environment["RELAY_PORT"] = (options.Port ?? 0).ToString(CultureInfo.InvariantCulture);
        psi.Environment["RELAY_DB"] = databasePath;
        psi.Environment["RELAY_EXIT_ON_STDIN_CLOSE"] = "1";
        if (options.RequireAuth)
        {
            psi.Environment["RELAY_AUTH"] = "1";
        }

        SetIfPresent(psi, "RELAY_MAX_CONTENT_LENGTH", options.MaxContentLength);
        SetIfPresent(psi, "RELAY_MAX_MESSAGE_LENGTH", options.MaxMessageLength);
        SetIfPresent(psi, "RELAY_MAX_LIMIT", options.MaxLimit);
        foreach ((string key, string value) in options.Environment)
        {
            psi.Environment[key] = value;
        }

        var stderr = new OutputTail();
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null
                && e.Data.StartsWith(ReadyPrefix, StringComparison.Ordinal)
                && Uri.TryCreate(e.Data[ReadyPrefix.Length..].Trim(), UriKind.Absolute, out Uri? url))
            {
                ready.TrySetResult(url);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                stderr.Add(e.Data);
            }
        };

        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"could not start {options.NodeExecutable} {script}");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            if (ownedDir is not null)
            {
                TryDeleteDirectory(ownedDir);
            }

            throw new InvalidOperationException($"could not start '{options.NodeExecutable}' (is Node installed and on PATH?): {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.StartTimeout);
        try
        {
            // WaitForExitAsync also waits for the output readers to drain, so stderr is complete.
            Task exited = process.WaitForExitAsync(timeout.Token);
            Task first = await Task.WhenAny(ready.Task, exited).ConfigureAwait(false);
            if (first != ready.Task)
            {
                await exited.ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"local relay exited with code {SafeExitCode(process)} before it was ready; stderr:{Environment.NewLine}{stderr}");
            }

            Uri url = await ready.Task.ConfigureAwait(false);
            return new LocalRelay(process, stderr, options, url, databasePath, ownedDir);
        }
        catch (Exception ex)
        {
            KillQuietly(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            process.Dispose();
            if (ownedDir is not null)
            {
                TryDeleteDirectory(ownedDir);
            }

            if (ex is OperationCanceledException && !ct.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"local relay printed no '{ReadyPrefix}...' line within {options.StartTimeout.TotalSeconds:0} s; stderr:{Environment.NewLine}{stderr}", ex);
            }

            throw;
        }
    }

    private static string RequireScript()
    {
        string script = Path.Combine(RepoPaths.LocalRelayDir, "relay.mjs");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"local relay script not found: {script}", script);
        }

        NodeModules.Require(RepoPaths.LocalRelayDir, InstallCommand);
        return script;
    }

    private async Task StopProcessAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        // relay.mjs shuts down cleanly when its stdin closes (RELAY_EXIT_ON_STDIN_CLOSE=1).
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The pipe is already broken: the process is going anyway.
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(_process);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void SetIfPresent(ProcessStartInfo psi, string name, int? value)
    {
        if (value is int v)
        {
            psi.Environment[name] = v.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static void TryDeleteDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not worth failing a test over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
