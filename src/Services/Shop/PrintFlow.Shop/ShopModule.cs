using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.ModelStorage;
using PrintFlow.Resending;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Uploads;
using Microsoft.FeatureManagement;
using PrintFlow.Shop.Accounts;
using PrintFlow.Shop.Carts;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;
using PrintFlow.Shop.Endpoints;
using PrintFlow.Shop.Handlers;
using PrintFlow.Shop.Preview;

namespace PrintFlow.Shop;

/// <summary>Composition of the Shop service: what a host calls to run it.</summary>
public static class ShopModule
{
    public static WebApplicationBuilder AddShop(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ShopDbContext>("shop");
        builder.Services.AddMessagingEndpoint<ShopDbContext>("shop", endpoint => endpoint
            .Handle<OrderStatusChanged, OrderStatusChangedHandler>()
            .Handle<OrderCommandRejected, OrderCommandRejectedHandler>()
            .Handle<CartQuoted, CartQuotedHandler>());
        builder.Services.AddUploadUsageRetention<ShopDbContext>();
        builder.Services.AddSubmissionResender<ShopDbContext, ShopOrder>("shop", "Shop", (_, order, _) => Task.FromResult(order.ToSubmitted()));
        builder.Services.AddOptions<ShopOptions>().BindConfiguration(ShopOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddModelStore().AddModelStoreSweeper();
        builder.Services.AddSingleton<ModelPreviews>();
        builder.Services.TryAddSingleton<IPasswordHasher<Customer>, PasswordHasher<Customer>>();
        builder.Services.AddScoped<IAccountDirectory, ShopAccountDirectory>();
        builder.Services.AddAccountSessions<ShopDbContext>(ShopAccountDirectory.Name);
        builder.Services.AddSignInCounters<ShopDbContext>(); // Shop serves /account/login: its instances share the counters
        builder.Services.AddOptions<AccountEmailOptions>().BindConfiguration(AccountEmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<AccountEmails>();
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddHostedService<DemoCustomerSeeder>();
        builder.Services.AddSingleton<CartSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CartSweeper>());
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        return builder;
    }

    public static WebApplication MapShop(this WebApplication app)
    {
        app.MapPost("/shop/register", RegistrationEndpoint.RegisterAsync);
        CustomerAccountEndpoints.Map(app);
        app.MapGet($"{ModelPreviews.Route}/{{token}}", PreviewEndpoint.GetAsync).AllowAnonymous();

        var orders = app.MapGroup("/shop/orders").RequireAuthorization(policy => policy.RequireRole(Roles.Customer));
        orders.MapPost("/", UploadEndpoint.PlaceOrderAsync);
        orders.MapGet("/list", OrderEndpoints.ListFragmentAsync);
        orders.MapGet("/events", OrderEndpoints.ListEvents);
        orders.MapPost("/{id:guid}/confirm", OrderEndpoints.ConfirmAsync);
        orders.MapPost("/{id:guid}/cancel", OrderEndpoints.CancelAsync);
        orders.MapGet("/{id:guid}/live", OrderEndpoints.LiveFragmentAsync);
        orders.MapGet("/{id:guid}/events", OrderEndpoints.EventsAsync);
        orders.MapPost("/{id:guid}/reorder", CartEndpoints.ReorderAsync);
        orders.MapGet("/{id:guid}/items/{itemId:guid}/model", ModelDownloads.OrderModelAsync);

        // The instant quote before sign-up: anyone may use it while the ShopInstantQuote flag is on.
        var cart = app.MapGroup("/shop/cart").AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<IFeatureManager>().IsEnabledAsync(FeatureFlags.ShopInstantQuote)
                ? await next(context)
                : Problems.Of(StatusCodes.Status404NotFound, "cart.disabled", "Instant quotes are switched off; sign in to order."));
        cart.MapPost("/items", CartUploadEndpoint.UploadAsync);
        cart.MapPost("/{token}/items/{itemId:guid}", CartEndpoints.ChangeItemAsync);
        cart.MapPost("/{token}/items/{itemId:guid}/remove", CartEndpoints.RemoveItemAsync);
        cart.MapGet("/{token}/items/{itemId:guid}/model", ModelDownloads.CartModelAsync);
        cart.MapPost("/{token}/lead-time", CartEndpoints.SetLeadTimeAsync);
        cart.MapGet("/{token}/view", CartEndpoints.FragmentAsync);
        cart.MapGet("/{token}/events", CartEndpoints.EventsAsync);
        cart.MapPost("/{token}/checkout", CartEndpoints.CheckoutAsync);
        return app;
    }
}
