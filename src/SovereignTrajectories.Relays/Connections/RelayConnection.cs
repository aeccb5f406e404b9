using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SovereignTrajectories.Nostr.Auth;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Nostr.Messages;
using SovereignTrajectories.Nostr.RelayInfo;
using SovereignTrajectories.Relays.Auth;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Publishing;

namespace SovereignTrajectories.Relays.Connections;

/// <summary>
/// One relay: a supervised WebSocket that reconnects with backoff, pipelines publishes (OKs matched
/// by event id), runs subscriptions whose events are verified and matched before anyone sees them,
/// and answers NIP-42 challenges through an <see cref="IAuthSigner"/> when the relay asks.
/// </summary>
public sealed class RelayConnection : IAsyncDisposable
{
    private const int InitialReceiveBuffer = 16 * 1024;
    private const int DefaultSubscriptionSlots = 16;

    // Events parsed and verified at once per connection: enough to keep every core busy, few enough
    // that a relay sending large events cannot make the copies waiting here grow without bound.
    private const int DeliveryWindow = 64;

    private readonly RelayConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IAuthSigner? _authSigner;
    private readonly HttpClient? _http;
    private readonly ReconnectBackoff _backoff;
    private readonly AttemptRateLimiter _limiter;
    private readonly ConcurrentDictionary<string, RelaySubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();
    private readonly Queue<string> _recentNotices = new();
    private readonly SemaphoreSlim _subscriptionSlots;
    private readonly SemaphoreSlim _publishSlots;

    // Parsed author keys for the events this connection verifies: most events of a query share an author.
    private readonly EventVerifier.PublicKeyCache _keys = new();
    private TaskCompletionSource _connected = NewSignal();
    private TaskCompletionSource<bool> _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _firstAttemptDeadline;
    private Session? _session;
    private Task? _supervisor;
    private long _cooldownUntilTicks;
    private int _subscriptionCounter;
    private long _connectAttempts;
    private long _connects;
    private long _eventsReceived;
    private long _droppedInvalid;
    private long _droppedUnmatched;
    private long _droppedUnknown;
    private long _malformed;
    private long _oversized;
    private long _notices;
    private int _state;
    private int _disposed;

    /// <param name="endpoint">The relay.</param>
    /// <param name="options">Timeouts, caps and reconnect settings (validated here).</param>
    /// <param name="logger">Where connection events go; never receives key material.</param>
    /// <param name="time">Clock and timers; a fake one in tests.</param>
    /// <param name="authSigner">Signs NIP-42 events when the relay asks; null means auth-required outcomes are final.</param>
    /// <param name="http">Used for the NIP-11 document; null makes a private client.</param>
    /// <param name="random">Jitter source in [0, 1); defaults to <see cref="Random.Shared"/>.</param>
    public RelayConnection(
        RelayEndpoint endpoint,
        RelayConnectionOptions options,
        ILogger<RelayConnection>? logger = null,
        TimeProvider? time = null,
        IAuthSigner? authSigner = null,
        HttpClient? http = null,
        Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Endpoint = endpoint;
        _options = options;
        _logger = logger ?? NullLogger<RelayConnection>.Instance;
        _time = time ?? TimeProvider.System;
        _authSigner = authSigner;
        _http = http;
        _backoff = new ReconnectBackoff(options, random ?? Random.Shared.NextDouble);
        _limiter = new AttemptRateLimiter(options.MaxConnectAttemptsPerMinute);
        _subscriptionSlots = new SemaphoreSlim(DefaultSubscriptionSlots, DefaultSubscriptionSlots);
        _publishSlots = new SemaphoreSlim(options.MaxPublishesInFlight, options.MaxPublishesInFlight);
    }

    /// <summary>The relay as configured.</summary>
    public RelayEndpoint Endpoint { get; }

    /// <summary>The relay's normalised URL, as every report names it.</summary>
    public string Name => Endpoint.Name;

    /// <summary>Where the connection is now.</summary>
    public RelayConnectionState State => (RelayConnectionState)Volatile.Read(ref _state);

    /// <summary>The clock and timers this connection runs on.</summary>
    public TimeProvider Time => _time;

    /// <summary>The relay's NIP-11 document, when it served one.</summary>
    public RelayInformation? Information { get; private set; }

    /// <summary>Why the last attempt or connection failed, for reports.</summary>
    public string? LastError { get; private set; }

    /// <summary>Whether the current connection has authenticated with NIP-42.</summary>
    public bool IsAuthenticated => _session?.Authenticated ?? false;

    /// <summary>Raised for every NOTICE (on the connection's reader; handlers must be quick).</summary>
    public event Action<RelayNotice>? NoticeReceived;

    /// <summary>Counters and the most recent notices.</summary>
    public RelayStatistics GetStatistics()
    {
        string[] notices;
        lock (_gate)
        {
            notices = _recentNotices.ToArray();
        }

        return new RelayStatistics(
            Name,
            Interlocked.Read(ref _connectAttempts),
            Interlocked.Read(ref _connects),
            Interlocked.Read(ref _eventsReceived),
            Interlocked.Read(ref _droppedInvalid),
            Interlocked.Read(ref _droppedUnmatched),
            Interlocked.Read(ref _droppedUnknown),
            Interlocked.Read(ref _malformed),
            Interlocked.Read(ref _oversized),
            Interlocked.Read(ref _notices),
            notices);
    }

    /// <summary>
    /// Starts the connection (NIP-11 fetch, then the supervised socket) and waits for the first
    /// attempt. Returns whether it connected; either way the connection keeps retrying in the background.
    /// </summary>
    public async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        bool start;
        lock (_gate)
        {
            start = _supervisor is null;
            if (start)
            {
                _supervisor = Task.CompletedTask;
            }
        }

        if (start)
        {
            // The NIP-11 document and the first WebSocket attempt share one ConnectTimeout: a host that does
            // not answer costs one timeout, not two.
            _firstAttemptDeadline = _time.GetUtcNow() + _options.ConnectTimeout;
            if (_options.FetchRelayInformation)
            {
                await FetchInformationAsync(_firstAttemptDeadline.Value, cancellationToken).ConfigureAwait(false);
                if (Information?.Limitation?.MaxSubscriptions is int max and > 0 and < DefaultSubscriptionSlots)
                {
                    // Hold back the slots the relay does not offer, so it never silently evicts one of ours.
                    for (int i = max; i < DefaultSubscriptionSlots; i++)
                    {
                        _subscriptionSlots.Wait(0, CancellationToken.None);
                    }
                }
            }

            _supervisor = Task.Run(() => SuperviseAsync(_lifetime.Token), CancellationToken.None);
        }

        return await _firstAttempt.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes when the connection is (again) open.</summary>
    public async Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                signal = _connected.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_session is { Ended: false })
            {
                return;
            }

            // Connected and already lost again: let the supervisor install the next signal.
            await Task.Yield();
        }
    }

    /// <summary>
    /// Sends one event and waits for this relay's verdict. Never throws for relay behaviour: every
    /// failure is an outcome. Throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<RelayPublishReport> PublishAsync(NostrEvent nostrEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nostrEvent);
        Session? session = _session;
        if (session is null || session.Ended)
        {
            return Report(new PublishOutcome.NotSent(NotConnectedReason()));
        }

        DateTimeOffset now = _time.GetUtcNow();
        long cooldown = Interlocked.Read(ref _cooldownUntilTicks);
        if (now.UtcTicks < cooldown)
        {
            TimeSpan remaining = TimeSpan.FromTicks(cooldown - now.UtcTicks);
            return Report(new PublishOutcome.RateLimited(remaining, "cooling down after the relay said rate-limited; not sent", Sent: false));
        }

        byte[] frame = SerializeEvent(nostrEvent);
        if (Information is { } info && info.CheckEvent(nostrEvent, frame.Length - RelayLimitation.EventFrameOverhead, now.ToUnixTimeSeconds()) is { } breaks)
        {
            return Report(new PublishOutcome.NotSent($"breaks the relay's NIP-11 limits: {breaks}"));
        }

        PublishOutcome outcome = await SendEventAsync(session, nostrEvent.Id, frame, cancellationToken).ConfigureAwait(false);
        if (outcome is not PublishOutcome.AuthRequired required || _authSigner is null)
        {
            return Report(outcome);
        }

        string? failure = await EnsureAuthenticatedAsync(session, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return Report(new PublishOutcome.AuthRequired($"{required.Message} (authentication failed: {failure})"));
        }

        // One resend after authenticating; whatever the relay says now is final.
        outcome = await SendEventAsync(session, nostrEvent.Id, frame, cancellationToken).ConfigureAwait(false);
        return new RelayPublishReport(Name, outcome, Authenticated: true);
    }

    /// <summary>
    /// Opens a REQ. A one-shot subscription ends at CLOSED or when the connection drops; a live one
    /// is re-sent with <c>since</c> after each reconnect. Dispose it to send CLOSE.
    /// </summary>
    public async Task<RelaySubscription> SubscribeAsync(IReadOnlyList<Filter> filters, bool live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            throw new ArgumentException("a subscription needs at least one filter", nameof(filters));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _subscriptionSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        string id = "st" + Interlocked.Increment(ref _subscriptionCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sub = new RelaySubscription(this, id, filters, live, _options.MaxBufferedEvents);
        _subscriptions[id] = sub;
        Session? session = _session;
        if (session is null || session.Ended)
        {
            if (!live)
            {
                sub.Complete(new SubscriptionItem.ConnectionLost(NotConnectedReason()));
            }

            return sub;
        }

        await SendTextAsync(session, new ReqMessage(id, filters).ToJson(), cancellationToken).ConfigureAwait(false);
        return sub;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Close handshake first: cancelling a pending receive would abort the socket without one.
        Session? session = _session;
        if (session is not null)
        {
            await CloseGracefullyAsync(session).ConfigureAwait(false);
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);

        if (_supervisor is { } supervisor)
        {
            try
            {
                await supervisor.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected: the supervisor stops by cancellation.
            }
        }

        foreach (RelaySubscription sub in _subscriptions.Values)
        {
            sub.Complete(new SubscriptionItem.ConnectionLost("connection disposed"));
        }

        _subscriptions.Clear();
        _firstAttempt.TrySetResult(false);
        SetState(RelayConnectionState.Closed);
        _lifetime.Dispose();
    }

    internal async ValueTask UnsubscribeAsync(RelaySubscription sub)
    {
        if (!_subscriptions.TryRemove(new KeyValuePair<string, RelaySubscription>(sub.Id, sub)))
        {
            return;
        }

        _subscriptionSlots.Release();

        Session? session = _session;
        if (session is { Ended: false } && sub.Terminal is not SubscriptionItem.Closed)
        {
            try
            {
                await SendTextAsync(session, new CloseMessage(sub.Id).ToJson(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection went away; the relay forgets the subscription with it.
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static byte[] SerializeEvent(NostrEvent e)
    {
        var writer = new ArrayBufferWriter<byte>(CanonicalJson.Utf8Length(e) + 16);
        ClientEventMessage.Write(writer, e);
        return writer.WrittenSpan.ToArray();
    }

    private RelayPublishReport Report(PublishOutcome outcome) => new(Name, outcome);

    private string NotConnectedReason() =>
        LastError is null ? $"not connected to {Name}" : $"not connected to {Name} ({LastError})";

    private void SetState(RelayConnectionState state) => Volatile.Write(ref _state, (int)state);

    /// <summary>Sends one event once a publish slot is free (<see cref="RelayConnectionOptions.MaxPublishesInFlight"/>) and waits for its OK.</summary>
    private async Task<PublishOutcome> SendEventAsync(Session session, string eventId, byte[] frame, CancellationToken cancellationToken)
    {
        await _publishSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The connection may have been replaced while this publish waited for its turn.
            if (session.Ended && _session is { Ended: false } current)
            {
                session = current;
            }

            var ok = await SendAndAwaitOkAsync(session, eventId, frame, _options.PublishTimeout, cancellationToken).ConfigureAwait(false);
            return ok.Outcome;
        }
        finally
        {
            _publishSlots.Release();
        }
    }

    private async Task<(PublishOutcome Outcome, OkMessage? Ok)> SendAndAwaitOkAsync(
        Session session, string eventId, byte[] frame, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<OkMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var outgoing = new OutgoingFrame(frame);
        TaskCompletionSource<OkMessage?> pending = session.Pending.GetOrAdd(eventId, waiter);
        if (session.Ended)
        {
            pending.TrySetResult(null);
        }

        try
        {
            try
            {
                await session.Outgoing.Writer.WriteAsync(outgoing, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return (new PublishOutcome.NotSent($"connection to {Name} closed before the event was sent"), null);
            }

            OkMessage? ok;
            try
            {
                ok = await pending.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return (new PublishOutcome.Timeout(timeout, $"no OK from {Name} within {timeout.TotalSeconds:0.###} s"), null);
            }

            if (ok is null)
            {
                return outgoing.Sent
                    ? (new PublishOutcome.Timeout(timeout, $"connection to {Name} closed before it answered"), null)
                    : (new PublishOutcome.NotSent($"connection to {Name} closed before the event was sent"), null);
            }

            return (MapOk(ok), ok);
        }
        finally
        {
            session.Pending.TryRemove(new KeyValuePair<string, TaskCompletionSource<OkMessage?>>(eventId, waiter));
        }
    }

    private PublishOutcome MapOk(OkMessage ok)
    {
        if (ok.Accepted)
        {
            return new PublishOutcome.Accepted(ok.Message, ok.Prefix == MachineReadablePrefix.Duplicate);
        }

        switch (ok.Prefix)
        {
            case MachineReadablePrefix.AuthRequired:
                return new PublishOutcome.AuthRequired(ok.Message);
            case MachineReadablePrefix.RateLimited:
                TimeSpan cooldown = _options.RateLimitCooldown;
                long until = (_time.GetUtcNow() + cooldown).UtcTicks;
                long current;
                while ((current = Interlocked.Read(ref _cooldownUntilTicks)) < until
                    && Interlocked.CompareExchange(ref _cooldownUntilTicks, until, current) != current)
                {
                }

                _logger.LogWarning("Relay {Relay} rate-limited a publish; pausing publishes for {Cooldown}", Name, cooldown);
                return new PublishOutcome.RateLimited(cooldown, ok.Message);
            default:
                return new PublishOutcome.Rejected(ok.Prefix, ok.Message);
        }
    }

    private Task<string?> EnsureAuthenticatedAsync(Session session, CancellationToken cancellationToken)
    {
        Task<string?> task;
        lock (session.AuthGate)
        {
            session.AuthTask ??= AuthenticateAsync(session);
            task = session.AuthTask;
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<string?> AuthenticateAsync(Session session)
    {
        if (_authSigner is null)
        {
            return "no signer configured for NIP-42";
        }

        string challenge;
        try
        {
            challenge = session.LatestChallenge
                ?? await session.Challenge.Task.WaitAsync(_options.AuthTimeout, _time, session.Stop.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return $"the relay sent no AUTH challenge within {_options.AuthTimeout.TotalSeconds:0.###} s";
        }
        catch (OperationCanceledException)
        {
            return "the connection closed while waiting for the AUTH challenge";
        }

        NostrEvent signed;
        try
        {
            UnsignedEvent unsigned = AuthEvent.Create(Endpoint.Url.OriginalString, challenge, _time.GetUtcNow().ToUnixTimeSeconds());
            signed = await _authSigner.SignAsync(unsigned, session.Stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"the signer failed: {ex.GetType().Name}";
        }

        byte[] frame = Encoding.UTF8.GetBytes(new ClientAuthMessage(signed).ToJson());
        var (outcome, ok) = await SendAndAwaitOkAsync(session, signed.Id, frame, _options.AuthTimeout, CancellationToken.None).ConfigureAwait(false);
        if (ok is { Accepted: true })
        {
            session.Authenticated = true;
            _logger.LogInformation("Authenticated to {Relay} with NIP-42 as {PublicKey}", Name, _authSigner.PublicKeyHex);
            return null;
        }

        return ok is null ? outcome.Describe() : $"the relay refused the AUTH event: {ok.Message}";
    }

    private async Task SendTextAsync(Session session, string text, CancellationToken cancellationToken)
    {
        try
        {
            await session.Outgoing.Writer.WriteAsync(new OutgoingFrame(Encoding.UTF8.GetBytes(text)), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The session ended; live subscriptions are re-sent by the next one.
        }
    }

    private async Task FetchInformationAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        HttpClient http = _http ?? new HttpClient();
        try
        {
            using var timeout = new CancellationTokenSource(Remaining(deadline), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Get, RelayUrl.ToHttp(Endpoint.Url));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/nostr+json"));
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                _logger.LogDebug("Relay {Relay} serves no NIP-11 document (HTTP {Status})", Name, (int)response.StatusCode);
                return;
            }

            string json = await ReadCappedAsync(response, linked.Token).ConfigureAwait(false);
            Information = RelayInformation.Parse(json);
            _logger.LogDebug("Relay {Relay} NIP-11 document loaded", Name);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or FormatException or IOException or InvalidOperationException)
        {
            _logger.LogDebug("Relay {Relay} NIP-11 document unavailable: {Reason}", Name, ex.Message);
        }
        finally
        {
            if (_http is null)
            {
                http.Dispose();
            }
        }
    }

    private async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _options.MaxIncomingMessageBytes)
            {
                throw new InvalidOperationException($"NIP-11 document larger than {_options.MaxIncomingMessageBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                while (!_limiter.TryAcquire(_time.GetUtcNow(), out TimeSpan wait))
                {
                    SetState(RelayConnectionState.Waiting);
                    _logger.LogDebug("Relay {Relay}: connection attempts per minute exhausted; waiting {Wait}", Name, wait);
                    await Task.Delay(wait, _time, stop).ConfigureAwait(false);
                }

                SetState(RelayConnectionState.Connecting);
                Interlocked.Increment(ref _connectAttempts);
                Session session;
                try
                {
                    session = await OpenAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LastError = ex is OperationCanceledException
                        ? $"connect timed out after {_options.ConnectTimeout.TotalSeconds:0.###} s"
                        : $"connect failed: {ex.Message}";
                    _logger.LogWarning("Relay {Relay}: {Error}", Name, LastError);
                    _firstAttempt.TrySetResult(false);
                    if (!_options.Reconnect)
                    {
                        break;
                    }

                    SetState(RelayConnectionState.Waiting);
                    await Task.Delay(_backoff.Failed(), _time, stop).ConfigureAwait(false);
                    continue;
                }

                _backoff.Connected(_time.GetUtcNow());
                Interlocked.Increment(ref _connects);
                _session = session;
                SetState(RelayConnectionState.Connected);
                LastError = null;
                _logger.LogInformation("Connected to {Relay}", Name);
                ResubscribeAll(session);
                lock (_gate)
                {
                    _connected.TrySetResult();
                }

                _firstAttempt.TrySetResult(true);
                await session.RunAsync(this).ConfigureAwait(false);
                lock (_gate)
                {
                    _connected = NewSignal();
                }

                EndSession(session);
                if (stop.IsCancellationRequested || !_options.Reconnect || Volatile.Read(ref _disposed) != 0)
                {
                    break;
                }

                TimeSpan delay = _backoff.Disconnected(_time.GetUtcNow());
                _logger.LogWarning("Lost {Relay} ({Error}); reconnecting in {Delay}", Name, LastError, delay);
                SetState(RelayConnectionState.Waiting);
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            _firstAttempt.TrySetResult(false);
            SetState(RelayConnectionState.Closed);
        }
    }

    private async Task<Session> OpenAsync(CancellationToken stop)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
        if (_options.KeepAliveInterval > TimeSpan.Zero && _options.KeepAliveTimeout > TimeSpan.Zero)
        {
            socket.Options.KeepAliveTimeout = _options.KeepAliveTimeout;
        }

        DateTimeOffset deadline = _firstAttemptDeadline ?? _time.GetUtcNow() + _options.ConnectTimeout;
        _firstAttemptDeadline = null;
        try
        {
            using var timeout = new CancellationTokenSource(Remaining(deadline), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stop);
            linked.Token.ThrowIfCancellationRequested();
            await socket.ConnectAsync(Endpoint.Url, linked.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new Session(socket, _options.MaxQueuedOutgoing, stop);
    }

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        TimeSpan left = deadline - _time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private void ResubscribeAll(Session session)
    {
        foreach (RelaySubscription sub in _subscriptions.Values)
        {
            if (sub.Live && !sub.IsDisposed)
            {
                sub.AuthRetried = false;
                session.Outgoing.Writer.TryWrite(new OutgoingFrame(Encoding.UTF8.GetBytes(new ReqMessage(sub.Id, sub.FiltersForResend()).ToJson())));
            }
        }
    }

    private void EndSession(Session session)
    {
        _session = null;
        session.End();
        if (LastError is null)
        {
            LastError = session.EndReason ?? "connection closed";
        }

        foreach (RelaySubscription sub in _subscriptions.Values)
        {
            if (!sub.Live)
            {
                sub.Complete(new SubscriptionItem.ConnectionLost($"connection to {Name} lost: {LastError}"));
            }
        }
    }

    private async Task CloseGracefullyAsync(Session session)
    {
        // Close handshake: send our Close, then give the relay a moment to answer before aborting.
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            if (session.Socket.State == WebSocketState.Open)
            {
                await session.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
            }

            await session.ReaderDone.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _logger.LogDebug("Relay {Relay}: close handshake incomplete: {Reason}", Name, ex.Message);
        }

        session.End();
    }

    private ValueTask DispatchAsync(Session session, ReadOnlySpan<byte> frame)
    {
        if (EventFrame.IsEvent(frame))
        {
            // Parsing and verifying an event is the costly part of a query: it runs on the thread pool,
            // several events at once, while this reader goes on; the deliveries keep the relay's order.
            byte[] copy = ArrayPool<byte>.Shared.Rent(frame.Length);
            frame.CopyTo(copy);
            var pending = new PendingEvent(this, copy, frame.Length);
            Task<AcceptedEvent?> verified = Task.Factory.StartNew(
                static p => ((PendingEvent)p!).Process(),
                pending,
                CancellationToken.None,
                TaskCreationOptions.PreferFairness,
                TaskScheduler.Default);
            return session.EnqueueAsync(new Delivery(verified, null));
        }

        return DispatchMessageAsync(session, frame);
    }

    private ValueTask DispatchMessageAsync(Session session, ReadOnlySpan<byte> frame)
    {
        if (ParseFrame(frame) is not { } message)
        {
            return ValueTask.CompletedTask;
        }

        switch (message)
        {
            case RelayEventMessage or RelayInvalidEventMessage:
                // Only if IsEvent and the parser ever disagree about a frame; treated like any event frame.
                return session.EnqueueAsync(new Delivery(Task.FromResult(ProcessEventMessage(message)), null));
            case OkMessage ok:
                if (session.Pending.TryGetValue(ok.EventId, out TaskCompletionSource<OkMessage?>? waiter))
                {
                    waiter.TrySetResult(ok);
                }

                break;
            case EoseMessage or ClosedMessage:
                // After the subscription's events, which may still be being verified.
                return session.EnqueueAsync(new Delivery(null, message));
            case NoticeMessage notice:
                OnNotice(notice.Message);
                break;
            case AuthChallengeMessage auth:
                session.LatestChallenge = auth.Challenge;
                session.Challenge.TrySetResult(auth.Challenge);
                break;
            default:
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Parses and verifies one EVENT frame (on the thread pool); the event when a live subscription should get it.</summary>
    private AcceptedEvent? ProcessEventFrame(ReadOnlySpan<byte> frame) =>
        ParseFrame(frame) is { } message ? ProcessEventMessage(message) : null;

    /// <summary>The frame as a relay message, or null (counted and logged) when it is malformed.</summary>
    private RelayMessage? ParseFrame(ReadOnlySpan<byte> frame)
    {
        try
        {
            return RelayMessageParser.Parse(frame);
        }
        catch (FormatException ex)
        {
            Interlocked.Increment(ref _malformed);
            _logger.LogDebug("Relay {Relay} sent a malformed message: {Reason}", Name, ex.Message);
            return null;
        }
    }

    private AcceptedEvent? ProcessEventMessage(RelayMessage message)
    {
        switch (message)
        {
            case RelayEventMessage ev:
                return Check(ev.SubscriptionId, ev.Event);
            case RelayInvalidEventMessage invalid:
                Interlocked.Increment(ref _droppedInvalid);
                if (_subscriptions.TryGetValue(invalid.SubscriptionId, out RelaySubscription? isub))
                {
                    isub.CountInvalid();
                }

                _logger.LogDebug("Relay {Relay} sent an unparseable event on {Sub}: {Reason}", Name, invalid.SubscriptionId, invalid.Reason);
                return null;
            default:
                return null;
        }
    }

    /// <summary>Id, signature and filter checks; counts and logs every drop.</summary>
    private AcceptedEvent? Check(string subscriptionId, NostrEvent e)
    {
        Interlocked.Increment(ref _eventsReceived);
        if (!_subscriptions.TryGetValue(subscriptionId, out RelaySubscription? sub))
        {
            Interlocked.Increment(ref _droppedUnknown);
            return null;
        }

        EventCheck check = EventVerifier.Verify(e, _keys);
        if (!check.IsValid)
        {
            Interlocked.Increment(ref _droppedInvalid);
            sub.CountInvalid();
            _logger.LogDebug("Relay {Relay} sent event {Id} that fails verification: {Reason}", Name, e.Id, check.Reason);
            return null;
        }

        if (!sub.Matches(e))
        {
            Interlocked.Increment(ref _droppedUnmatched);
            sub.CountUnmatched();
            _logger.LogDebug("Relay {Relay} sent event {Id} that does not match subscription {Sub}", Name, e.Id, sub.Id);
            return null;
        }

        return new AcceptedEvent(sub, e);
    }

    /// <summary>Hands events, EOSE and CLOSED to their subscriptions in the order the relay sent them.</summary>
    private async Task DeliverLoopAsync(Session session)
    {
        ChannelReader<Delivery> reader = session.Deliveries.Reader;
        CancellationToken stop = session.Stop.Token;
        try
        {
            while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                while (reader.TryRead(out Delivery? delivery))
                {
                    if (delivery.Event is { } verifying)
                    {
                        if (await verifying.ConfigureAwait(false) is { } accepted)
                        {
                            await accepted.Subscription.DeliverAsync(accepted.Event, stop).ConfigureAwait(false);
                        }
                    }
                    else if (delivery.Control is EoseMessage eose)
                    {
                        if (_subscriptions.TryGetValue(eose.SubscriptionId, out RelaySubscription? esub))
                        {
                            await esub.WriteAsync(new SubscriptionItem.EndOfStoredEvents(), stop).ConfigureAwait(false);
                        }
                    }
                    else if (delivery.Control is ClosedMessage closed)
                    {
                        OnClosed(closed, session);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Session ending: nobody is left to deliver to.
        }
    }

    private void OnClosed(ClosedMessage closed, Session session)
    {
        if (!_subscriptions.TryGetValue(closed.SubscriptionId, out RelaySubscription? sub))
        {
            return;
        }

        if (closed.Prefix == MachineReadablePrefix.AuthRequired && _authSigner is not null && !sub.AuthRetried)
        {
            sub.AuthRetried = true;

            // Authentication needs OKs from this very reader, so it runs beside it.
            _ = Task.Run(() => AuthenticateAndResubscribeAsync(sub, session, closed), CancellationToken.None);
            return;
        }

        _logger.LogInformation("Relay {Relay} closed subscription {Sub}: {Message}", Name, sub.Id, closed.Message);
        sub.Complete(new SubscriptionItem.Closed(closed.Prefix, closed.Message));
    }

    private async Task AuthenticateAndResubscribeAsync(RelaySubscription sub, Session session, ClosedMessage closed)
    {
        try
        {
            string? failure = await EnsureAuthenticatedAsync(session, session.Stop.Token).ConfigureAwait(false);
            if (failure is not null)
            {
                sub.Complete(new SubscriptionItem.Closed(closed.Prefix, $"{closed.Message} (authentication failed: {failure})"));
                return;
            }

            await SendTextAsync(session, new ReqMessage(sub.Id, sub.Filters).ToJson(), session.Stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            sub.Complete(new SubscriptionItem.Closed(closed.Prefix, $"{closed.Message} (authentication failed: {ex.GetType().Name})"));
        }
    }

    private void OnNotice(string text)
    {
        long count = Interlocked.Increment(ref _notices);
        DateTimeOffset now = _time.GetUtcNow();
        string kept = text.Length > 512 ? text[..512] + "..." : text;
        lock (_gate)
        {
            if (_options.MaxRememberedNotices > 0)
            {
                _recentNotices.Enqueue(kept);
                while (_recentNotices.Count > _options.MaxRememberedNotices)
                {
                    _recentNotices.Dequeue();
                }
            }
        }

        // A flood must not flood the log as well: the first few, then every thousandth.
        if (count <= 5 || count % 1000 == 0)
        {
            _logger.LogInformation("NOTICE from {Relay} (#{Count}): {Message}", Name, count, kept);
        }

        NoticeReceived?.Invoke(new RelayNotice(Name, kept, now));
    }

    // Reference types on purpose: generic code over them (Task, Channel) is shared and already compiled,
    // where a struct would make the JIT compile a copy of it on the first query.

    /// <summary>An event that passed every check, for its subscription.</summary>
    private sealed record AcceptedEvent(RelaySubscription Subscription, NostrEvent Event);

    /// <summary>One entry of the ordered delivery queue: an event being verified (null when dropped), or an EOSE/CLOSED.</summary>
    private sealed record Delivery(Task<AcceptedEvent?>? Event, RelayMessage? Control);

    /// <summary>A received EVENT frame's bytes (a pooled copy, returned once parsed) waiting for a verifier.</summary>
    private sealed class PendingEvent(RelayConnection owner, byte[] buffer, int length)
    {
        public AcceptedEvent? Process()
        {
            try
            {
                return owner.ProcessEventFrame(buffer.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>A queued message, and whether it was handed to the socket (to tell "not sent" from "no answer").</summary>
    private sealed class OutgoingFrame(byte[] bytes)
    {
        private volatile bool _sent;

        public byte[] Bytes { get; } = bytes;

        public bool Sent
        {
            get => _sent;
            set => _sent = value;
        }
    }

    /// <summary>One open WebSocket: its send queue, pending OKs and NIP-42 state. Replaced on reconnect.</summary>
    private sealed class Session
    {
        private int _ended;

        public Session(ClientWebSocket socket, int queueCapacity, CancellationToken stop)
        {
            Socket = socket;
            Stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Outgoing = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(queueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            Deliveries = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(DeliveryWindow)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        /// <summary>Received events (being verified) and the EOSE/CLOSED after them, in arrival order; bounded, so the reader waits.</summary>
        public Channel<Delivery> Deliveries { get; }

        public ValueTask EnqueueAsync(Delivery delivery)
        {
            if (Deliveries.Writer.TryWrite(delivery))
            {
                return ValueTask.CompletedTask;
            }

            return Deliveries.Writer.WriteAsync(delivery, Stop.Token);
        }

        public ClientWebSocket Socket { get; }

        public CancellationTokenSource Stop { get; }

        public Channel<OutgoingFrame> Outgoing { get; }

        public ConcurrentDictionary<string, TaskCompletionSource<OkMessage?>> Pending { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource<string> Challenge { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReaderDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Lock AuthGate { get; } = new();

        public Task<string?>? AuthTask { get; set; }

        public volatile string? LatestChallenge;

        public volatile bool Authenticated;

        public string? EndReason { get; private set; }

        public bool Ended => Volatile.Read(ref _ended) != 0;

        public async Task RunAsync(RelayConnection owner)
        {
            Task writer = WriteLoopAsync(owner);
            Task deliverer = owner.DeliverLoopAsync(this);
            await ReadLoopAsync(owner).ConfigureAwait(false);

            // What arrived before the socket ended still reaches its subscriptions, before they hear of the end.
            Deliveries.Writer.TryComplete();
            await deliverer.ConfigureAwait(false);
            Outgoing.Writer.TryComplete();
            await Stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The socket is gone either way.
            }
        }

        public void End()
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0)
            {
                return;
            }

            Outgoing.Writer.TryComplete();
            try
            {
                Stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }

            foreach (TaskCompletionSource<OkMessage?> waiter in Pending.Values)
            {
                waiter.TrySetResult(null);
            }

            Socket.Abort();
            Socket.Dispose();
        }

        private async Task WriteLoopAsync(RelayConnection owner)
        {
            try
            {
                await foreach (OutgoingFrame frame in Outgoing.Reader.ReadAllAsync(Stop.Token).ConfigureAwait(false))
                {
                    // Marked before the send completes: once handed to the socket it may have reached the relay.
                    frame.Sent = true;
                    await Socket.SendAsync(frame.Bytes, WebSocketMessageType.Text, endOfMessage: true, Stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                EndReason ??= $"send failed: {ex.Message}";
                owner._logger.LogDebug("Relay {Relay}: send failed: {Reason}", owner.Name, ex.Message);
                Socket.Abort();
            }
            catch (OperationCanceledException)
            {
                // Session ending.
            }
        }

        private async Task ReadLoopAsync(RelayConnection owner)
        {
            int max = owner._options.MaxIncomingMessageBytes;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
            int count = 0;
            bool discarding = false;
            try
            {
                while (true)
                {
                    if (count == buffer.Length)
                    {
                        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    ValueWebSocketReceiveResult result = await Socket.ReceiveAsync(buffer.AsMemory(count), Stop.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        EndReason ??= $"relay closed the connection ({Socket.CloseStatus} {Socket.CloseStatusDescription})".TrimEnd();
                        break;
                    }

                    count += result.Count;
                    if (!discarding && count > max)
                    {
                        discarding = true;
                        Interlocked.Increment(ref owner._oversized);
                        owner._logger.LogWarning("Relay {Relay} sent a message over {Max} bytes; discarding it", owner.Name, max);
                    }

                    if (discarding)
                    {
                        count = 0;
                        if (result.EndOfMessage)
                        {
                            discarding = false;
                        }

                        continue;
                    }

                    if (!result.EndOfMessage)
                    {
                        continue;
                    }

                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        await owner.DispatchAsync(this, buffer.AsSpan(0, count)).ConfigureAwait(false);
                    }
                    else
                    {
                        Interlocked.Increment(ref owner._malformed);
                    }

                    count = 0;
                }
            }
            catch (OperationCanceledException)
            {
                EndReason ??= "connection closed by the client";
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                EndReason ??= ex.Message;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                owner.LastError = EndReason;
                ReaderDone.TrySetResult();
            }
        }
    }
}
