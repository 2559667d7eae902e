using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Crm.Accounts;
using PrintFlow.Crm.Data;
using PrintFlow.Crm.Domain;
using PrintFlow.Crm.Endpoints;
using PrintFlow.Crm.Handlers;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Crm;

/// <summary>Composition of the Crm service: what a host calls to run it. The CRM only reads events; it is never on the order path.</summary>
public static class CrmModule
{
    public static WebApplicationBuilder AddCrm(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CrmDbContext>("crm");
        builder.Services.AddMessagingEndpoint<CrmDbContext>("crm", endpoint => endpoint
            .Handle<OrderSubmitted, OrderSubmittedHandler>()
            .Handle<OrderStatusChanged, OrderStatusChangedHandler>()
            .Handle<CustomerRegistered, CustomerRegisteredHandler>());
        builder.Services.AddScoped<CustomerBook>();
        builder.Services.TryAddSingleton<IPasswordHasher<SalesManager>, PasswordHasher<SalesManager>>();
        builder.Services.AddScoped<IAccountDirectory, SalesAccountDirectory>();
        builder.Services.AddAccountSessions<CrmDbContext>(SalesAccountDirectory.Name);
        builder.Services.AddHostedService<DemoSalesManagerSeeder>();
        return builder;
    }

    public static WebApplication MapCrm(this WebApplication app)
    {
        var crm = app.MapGroup("/crm").RequireAuthorization(policy => policy.RequireRole(Roles.Sales));
        crm.MapGet("/fragments/customers", CrmEndpoints.CustomersFragmentAsync);
        crm.MapGet("/events", CrmEndpoints.Events);
        crm.MapPost("/customers/{channel}/{id}/notes", CrmEndpoints.AddNoteAsync);
        return app;
    }
}
