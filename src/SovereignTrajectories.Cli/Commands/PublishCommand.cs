using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Hosting;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;
using Spectre.Console;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj publish FILE... [--key KEYFILE] [--relay URL...] [--format F] [--outbox DB]</c>: the
/// worker's conversion, outbox and receipt for run files given directly. Prints the <c>naddr</c> of
/// each published session on stdout; exit 0 only when every session reached the quorum, 1 when a
/// file could not be read or a session did not get there in time, 2 when it could not run.
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Agent run files (REPLAY.jsonl, ATIF, OTLP JSON, Claude Code, Codex).", Arity = ArgumentArity.OneOrMore };
        Option<FileInfo?> key = KeySource.CreateOption();
        var relays = new Option<string[]>("--relay") { Description = "Relay URL (repeat --relay for several); default: the relays in relays.json." };
        var quorum = new Option<int?>("--quorum") { Description = "How many relays must accept each event (default: relays.json's quorum, or 1)." };
        var config = new Option<string?>("--config") { Description = "Relay pool configuration file (default: ./relays.json)." };
        var format = new Option<TrajectoryFormat>("--format") { Description = "Input format, or auto to detect each file.", DefaultValueFactory = _ => TrajectoryFormat.Auto };
        var outbox = new Option<string?>("--outbox") { Description = "Outbox database to use (kept, so a later run resumes it); default: a temporary one." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the quorum before giving up (the outbox keeps the rest).", DefaultValueFactory = _ => 120 };
        var command = new Command("publish", "Publish agent run files as signed trajectories through a durable outbox; prints each session's naddr.")
        {
            files, key, relays, quorum, config, format, outbox, timeout,
        };
        CliAction.Set(command, (parse, ct) => RunAsync(
            parse.GetValue(files) ?? [],
            parse.GetValue(key),
            parse.GetValue(relays),
            parse.GetValue(quorum),
            parse.GetValue(config),
            parse.GetValue(format),
            parse.GetValue(outbox),
            parse.GetValue(timeout),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(
        string[] files,
        FileInfo? keyFile,
        string[]? relayUrls,
        int? quorum,
        string? relayConfig,
        TrajectoryFormat format,
        string? outboxPath,
        int timeoutSeconds,
        CancellationToken ct)
    {
        if (timeoutSeconds < 1)
        {
            throw new CliUsageException($"--timeout: {timeoutSeconds} must be at least 1 second");
        }

        // Fail early with the CLI's own wording; the worker configuration below says the same with setting names.
        using (KeySource.Load(keyFile))
        {
        }

        RelayPoolConfiguration.Resolve(relayUrls, relayConfig, quorum);
        bool temporary = outboxPath is null;
        string dataDirectory = temporary
            ? Directory.CreateTempSubdirectory("sovtraj-publish-").FullName
            : Path.GetDirectoryName(Path.GetFullPath(outboxPath!))!;
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["SovereignTrajectories:DataDirectory"] = dataDirectory,
            ["SovereignTrajectories:Outbox:Path"] = outboxPath is null ? null : Path.GetFullPath(outboxPath),
        };
        if (keyFile is not null)
        {
            settings["SovereignTrajectories:Key:File"] = keyFile.FullName;
        }

        if (relayUrls is { Length: > 0 })
        {
            for (int i = 0; i < relayUrls.Length; i++)
            {
                settings[$"SovereignTrajectories:Relays:{i}"] = relayUrls[i];
            }
        }
        else
        {
            settings["SovereignTrajectories:RelaysFile"] = Path.GetFullPath(relayConfig ?? RelayPoolConfiguration.DefaultFileName);
        }

        if (quorum is int k)
        {
            settings["SovereignTrajectories:Quorum"] = k.ToString(CultureInfo.InvariantCulture);
        }

        (bool filesRead, bool allPublished) = (false, false);
        IHost host = WorkerHost.CreateBuilder(null, includeIntake: false, settings, LogLevel.Warning).Build();
        try
        {
            await host.StartAsync(ct).ConfigureAwait(false);
            try
            {
                (filesRead, allPublished) = await PublishAsync(host.Services, files, format, TimeSpan.FromSeconds(timeoutSeconds), ct).ConfigureAwait(false);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            // Disposing closes the outbox database before a temporary one is deleted.
            if (host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                host.Dispose();
            }
        }

        if (temporary && allPublished)
        {
            TryDelete(dataDirectory);
        }
        else if (temporary)
        {
            await Console.Error.WriteLineAsync($"sovtraj: the outbox with what is left to send is kept at {Path.Combine(dataDirectory, "outbox.db")} (rerun with --outbox to resume)").ConfigureAwait(false);
        }

        return filesRead && allPublished ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <returns>Whether every file was read, and whether every session read reached the quorum.</returns>
    private static async Task<(bool FilesRead, bool AllPublished)> PublishAsync(IServiceProvider services, string[] files, TrajectoryFormat format, TimeSpan timeout, CancellationToken ct)
    {
        TrajectoryPublisher publisher = services.GetRequiredService<TrajectoryPublisher>();
        PublishNotifications notifications = services.GetRequiredService<PublishNotifications>();
        OutboxStore store = services.GetRequiredService<OutboxStore>();
        bool filesRead = true;
        bool published = true;
        var committed = new List<CommitResult>();
        foreach (string file in files)
        {
            try
            {
                IReadOnlyList<CommitResult> results = await publisher.CommitFileAsync(Path.GetFullPath(file), format, ct).ConfigureAwait(false);
                committed.AddRange(results);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or OutboxConflictException or ArgumentException)
            {
                // One bad file never stops the others.
                filesRead = false;
                await Console.Error.WriteLineAsync($"sovtraj: {file}: {ex.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        IReadOnlyList<SessionDeliveryStatus?> outcomes = Interactive()
            ? await WithProgressBarsAsync(committed, notifications, store, deadline.Token).ConfigureAwait(false)
            : await WithPlainLinesAsync(committed, notifications, store, deadline.Token).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        for (int i = 0; i < committed.Count; i++)
        {
            CommitResult c = committed[i];
            SessionDeliveryStatus? s = outcomes[i];
            if (s is { Published: true })
            {
                await Console.Out.WriteLineAsync(c.Naddr).ConfigureAwait(false);
                continue;
            }

            published = false;
            string why = s is null
                ? $"not published within {timeout.TotalSeconds:0} s"
                : $"{s.EventsAtQuorum} of {s.RequiredEvents} events reached the quorum; {(s.FailureReasons.Count == 0 ? "still retrying" : string.Join("; ", s.FailureReasons))}";
            await Console.Error.WriteLineAsync($"sovtraj: session {c.Sid} ({c.Naddr}) not published: {why}").ConfigureAwait(false);
        }

        return (filesRead, published);
    }

    private static async Task<IReadOnlyList<SessionDeliveryStatus?>> WithPlainLinesAsync(
        IReadOnlyList<CommitResult> committed, PublishNotifications notifications, OutboxStore store, CancellationToken ct)
    {
        var outcomes = new SessionDeliveryStatus?[committed.Count];
        await Task.WhenAll(committed.Select(async (c, i) =>
        {
            outcomes[i] = await SettleAsync(c, notifications, store, ct).ConfigureAwait(false);
            string state = outcomes[i] switch
            {
                { Published: true } => "published",
                null => "timed out",
                _ => "failed",
            };
            await Console.Error.WriteLineAsync($"sovtraj: {c.Sid}: {state} ({c.StepCount} steps)").ConfigureAwait(false);
        })).ConfigureAwait(false);
        return outcomes;
    }

    private static async Task<IReadOnlyList<SessionDeliveryStatus?>> WithProgressBarsAsync(
        IReadOnlyList<CommitResult> committed, PublishNotifications notifications, OutboxStore store, CancellationToken ct)
    {
        var outcomes = new SessionDeliveryStatus?[committed.Count];
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                ProgressTask[] tasks = committed.Select(c => progress.AddTask(Markup.Escape(c.Sid), maxValue: 1)).ToArray();
                async Task RefreshAsync()
                {
                    for (int i = 0; i < committed.Count; i++)
                    {
                        SessionDeliveryStatus? s = await store.GetSessionStatusAsync(committed[i].Coordinate, CancellationToken.None).ConfigureAwait(false);
                        if (s is { RequiredEvents: > 0 })
                        {
                            tasks[i].MaxValue = s.RequiredEvents;
                            tasks[i].Value = s.EventsAtQuorum;
                        }
                    }
                }

                Task all = Task.WhenAll(committed.Select(async (c, i) => outcomes[i] = await SettleAsync(c, notifications, store, ct).ConfigureAwait(false)));
                while (!all.IsCompleted)
                {
                    Task signal = notifications.RecordedSignal;
                    await RefreshAsync().ConfigureAwait(false);
                    await Task.WhenAny(all, signal).ConfigureAwait(false);
                }

                await RefreshAsync().ConfigureAwait(false);
                await all.ConfigureAwait(false);
            }).ConfigureAwait(false);
        return outcomes;
    }

    private static async Task<SessionDeliveryStatus?> SettleAsync(CommitResult c, PublishNotifications notifications, OutboxStore store, CancellationToken ct)
    {
        try
        {
            return await notifications.WhenSessionSettledAsync(c.Coordinate, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            SessionDeliveryStatus? s = await store.GetSessionStatusAsync(c.Coordinate, CancellationToken.None).ConfigureAwait(false);
            return s is { Published: true } ? s : null;
        }
    }

    private static bool Interactive() =>
        !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
