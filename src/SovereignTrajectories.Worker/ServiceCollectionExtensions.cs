using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Auth;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Worker.Archive;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;

namespace SovereignTrajectories.Worker;

/// <summary>
/// The one call an agent's own .NET host makes to embed the publisher:
/// <c>services.AddSovereignTrajectories(configuration)</c>. Binds and validates (at start) the
/// <c>SovereignTrajectories</c> section, and registers the outbox, the pipeline
/// (<see cref="TrajectoryPublisher"/>, also as <see cref="ITrajectorySink"/>), the delivery service and intake.
/// </summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Everything: publishing plus intake (spool, live runs, OTLP/HTTP receiver, feedback).</summary>
    public static IServiceCollection AddSovereignTrajectories(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSovereignTrajectories(configuration, includeIntake: true);

    /// <summary>
    /// Publishing, with or without intake: <c>sovtraj publish</c> uses the same outbox, pipeline and
    /// delivery without watching directories or opening ports.
    /// </summary>
    public static IServiceCollection AddSovereignTrajectories(this IServiceCollection services, IConfiguration configuration, bool includeIntake)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SovereignTrajectoriesOptions>()
            .Bind(configuration.GetSection(SovereignTrajectoriesOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SovereignTrajectoriesOptions>, SovereignTrajectoriesOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SigningKeyProvider>();
        services.TryAddSingleton(sp => RelayOptionsResolver.Resolve(sp.GetRequiredService<IOptions<SovereignTrajectoriesOptions>>().Value));
        services.TryAddSingleton(sp => new RelayPool(
            sp.GetRequiredService<RelayPoolOptions>(),
            new SecretKeyAuthSigner(sp.GetRequiredService<SigningKeyProvider>().Key),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => OutboxStore.Open(
            sp.GetRequiredService<IOptions<SovereignTrajectoriesOptions>>().Value.ResolveOutboxPath(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<WorkerMetrics>();
        services.TryAddSingleton<PublishNotifications>();
        services.TryAddSingleton<SessionArchive>();
        services.TryAddSingleton<TrajectoryPublisher>();
        services.TryAddSingleton<ITrajectorySink>(sp => sp.GetRequiredService<TrajectoryPublisher>());
        services.TryAddSingleton<OutboxDeliveryService>();

        // Registered before intake so that the host stops intake first (reverse order), then delivery.
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDeliveryService>());
        if (includeIntake)
        {
            services.AddTrajectoryIntake(configuration);
        }

        return services;
    }
}
