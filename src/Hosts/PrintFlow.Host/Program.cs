using PrintFlow.Accounts;
using PrintFlow.Host;
using PrintFlow.Host.Components;
using PrintFlow.Host.Demo;
using PrintFlow.LiveUpdates;
using PrintFlow.ServiceDefaults;

WebApplication app;
try
{
    app = Compose(args);
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    // A setting found wrong while composing (an unknown Logging:Format, Peers without an InternalKey) is reported like
    // one found at start: a line, not a stack trace. WebApplicationFactory's HostAbortedException must pass through.
    return CouldNotStart(exception);
}

var lifetime = app.Lifetime; // read now: once Run returns or throws, the host and its services are disposed
try
{
    app.Run();
    return 0;
}
catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
{
    // Stopped (Ctrl+C, SIGTERM) while still starting, for example while waiting for its database: a normal stop.
    Console.Out.WriteLine("PrintFlow stopped before start-up completed.");
    return 0;
}
catch (Exception exception)
{
    // The host has logged the failure with its details ("Hosting failed to start"); the console gets the reason.
    return CouldNotStart(exception);
}

// One executable, two shapes. Embedded (default): every service in one process, each on its own SQLite file,
// messages delivered in-process. Distributed: PrintFlow:Services picks the service(s) of this process, with
// Database:Provider=Postgres and Messaging:Transport=RabbitMq (see deploy/local/up.sh).
static WebApplication Compose(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    var selection = HostedServices.Selected(builder.Configuration);
    builder.AddServiceDefaults();
    builder.AddAccounts();
    PostgresLiveFeedBackplane.AddLiveFeed(builder.Services, builder.Configuration);
    foreach (var service in selection.Services)
    {
        service.Add(builder);
    }

    builder.AddMessagingTransport(); // Messaging:Transport: InProcess (default) or RabbitMq
    builder.AddDemoFloor(selection); // Demo:SimulatedPrinters, Development only
    builder.Services.AddSingleton(selection);
    builder.Services.AddRazorComponents();
    builder.Services.AddCascadingAuthenticationState();
    builder.Services.AddHostedService<StartupBanner>();

    var app = builder.Build();
    app.MapStaticAssets();
    app.UseServiceDefaults();
    app.MapAccounts();
    foreach (var service in selection.Services)
    {
        service.Map(app);
    }

    app.MapRazorComponents<App>().AddAdditionalAssemblies([.. selection.Pages]);
    return app;
}

static int CouldNotStart(Exception exception)
{
    Console.Error.WriteLine($"PrintFlow could not start: {exception.Message}");
    return 1;
}

/// <summary>Lets the HTTP tests start this host with WebApplicationFactory.</summary>
public partial class Program;
