using PrintFlow.Crm;
using PrintFlow.Host;
using PrintFlow.Host.Components;
using PrintFlow.Mes;
using PrintFlow.Ordering;
using PrintFlow.Partners;
using PrintFlow.Pricing;
using PrintFlow.ServiceDefaults;
using PrintFlow.Shop;

// The embedded host: every service in one process, each on its own SQLite file, messages delivered in-process.
// The same modules run as separate processes against PostgreSQL and RabbitMQ in production.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrdering();
builder.AddPricing();
builder.AddShop();
builder.AddPartners();
builder.AddMes();
builder.AddCrm();
builder.AddMessagingTransport(); // Messaging:Transport: InProcess (default) or RabbitMq
builder.Services.AddRazorComponents();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddHostedService<StartupBanner>();

var app = builder.Build();
app.MapStaticAssets();
app.UseServiceDefaults();
app.MapOrdering();
app.MapPricing();
app.MapShop();
app.MapPartners();
app.MapMes();
app.MapCrm();
app.MapRazorComponents<App>().AddAdditionalAssemblies(UiAssemblies.All);
app.Run();

/// <summary>Lets the HTTP tests start this host with WebApplicationFactory.</summary>
public partial class Program;
