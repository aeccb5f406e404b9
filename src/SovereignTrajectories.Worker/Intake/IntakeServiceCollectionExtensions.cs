using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Feedback;
using SovereignTrajectories.Worker.Http;
using SovereignTrajectories.Worker.Live;
using SovereignTrajectories.Worker.Otlp;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// Registers intake: the spool, live-run following, the OTLP/feedback/status HTTP receiver and the
/// feedback drop, with <see cref="IntakeOptions"/> bound from <c>SovereignTrajectories:Intake</c>
/// and validated at start. Needs an <see cref="ITrajectorySink"/> (the publishing pipeline) and
/// optionally an <see cref="IWorkerStatusSource"/> (the outbox) registered by the caller.
/// </summary>
internal static class IntakeServiceCollectionExtensions
{
    internal static IServiceCollection AddTrajectoryIntake(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IntakeOptions>()
            .Bind(configuration.GetSection(IntakeOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IntakeMonitor>();
        services.TryAddSingleton<SessionLocks>();
        services.TryAddSingleton<TrajectoryCommitter>();
        services.TryAddSingleton<FeedbackService>();
        services.TryAddSingleton(sp =>
        {
            OtlpOptions otlp = sp.GetRequiredService<IOptions<IntakeOptions>>().Value.Otlp;
            string dataDirectory = sp.GetService<IOptions<SovereignTrajectoriesOptions>>()?.Value.DataDirectory ?? Environment.CurrentDirectory;
            return new OtlpTraceAssembler(
                sp.GetRequiredService<TrajectoryCommitter>(),
                sp.GetRequiredService<IntakeMonitor>(),
                otlp,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<OtlpTraceAssembler>>(),
                new OtlpSpanJournal(IntakeOptions.Resolve(dataDirectory, otlp.JournalDirectory)));
        });

        // Hosted services stop in reverse order: the HTTP receiver (last) stops taking spans before
        // the sweep stores the traces still open.
        services.AddHostedService<RunSpoolService>();
        services.AddHostedService<LiveRunService>();
        services.AddHostedService<FeedbackSpoolService>();
        services.AddHostedService<OtlpSweepService>();
        services.TryAddSingleton<IntakeHttpServer>();
        services.AddHostedService(sp => sp.GetRequiredService<IntakeHttpServer>());
        return services;
    }
}
