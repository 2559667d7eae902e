using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Mes.Accounts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Endpoints;
using PrintFlow.Mes.Handlers;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Printers.OctoPrint;
using PrintFlow.Mes.Queries;
using PrintFlow.Mes.Shipping;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PrintFlow.Mes.Work;
using PrintFlow.Messaging;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Mes;

/// <summary>Composition of the Mes service: what a host calls to run it.</summary>
public static class MesModule
{
    public static WebApplicationBuilder AddMes(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<MesDbContext>("mes");
        builder.Services.AddMessagingEndpoint<MesDbContext>("mes", e => e
            .Handle<ManufacturingRequested, ManufacturingRequestedHandler>()
            .Handle<ManufacturingCancelled, ManufacturingCancelledHandler>());
        // After the database initializer, so the schema exists when the demo staff are written.
        builder.Services.AddHostedService<DemoStaffSeeder>();

        builder.Services.AddOptions<MesOptions>().BindConfiguration(MesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CarrierOptionsSetup>();
        builder.Services.AddSingleton<IPostConfigureOptions<MesOptions>>(sp => sp.GetRequiredService<CarrierOptionsSetup>());
        builder.Services.AddSingleton<IValidateOptions<MesOptions>>(sp => sp.GetRequiredService<CarrierOptionsSetup>());
        builder.Services.AddSingleton<CarrierBook>();
        builder.Services.AddSingleton<CarrierAuthAttempts>();
        builder.Services.AddSingleton<IPasswordHasher<MesAccount>, PasswordHasher<MesAccount>>();
        builder.Services.AddScoped<IAccountDirectory, MesAccountDirectory>();
        builder.Services.AddAccountSessions<MesDbContext>(MesAccountDirectory.Name);
        builder.Services.AddScoped<FloorWork>();
        builder.Services.AddScoped<QueueQuery>();
        builder.Services.AddScoped<ServerTimings>();
        builder.Services.AddScoped<StatsQuery>();
        // Development runs the printer simulator on this machine, so loopback printer URLs are allowed there unless configured.
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<FarmOptions>().Configure(o => o.AllowLoopback = development)
            .BindConfiguration(FarmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PrinterUrlPolicy>();
        builder.Services.AddSingleton<PrinterKeys>();
        builder.Services.AddMetricsSource<FarmMetrics>();
        builder.Services.AddModelStore();
        builder.Services.AddSingleton<PrintSlicer>();
        builder.Services.AddScoped<FarmWork>();
        builder.Services.AddScoped<FarmQuery>();
        builder.Services.AddSingleton<PrinterMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PrinterMonitor>());
        builder.Services.AddPrinterConnection();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(MesEndpoints.StaffPolicy, policy => policy.RequireRole(Roles.Operator, Roles.Supervisor))
            .AddPolicy(MesEndpoints.SupervisorPolicy, policy => policy.RequireRole(Roles.Supervisor));
        return builder;
    }

    public static WebApplication MapMes(this WebApplication app)
    {
        app.UseMesServerTiming();
        app.MapMesEndpoints();
        return app;
    }
}
