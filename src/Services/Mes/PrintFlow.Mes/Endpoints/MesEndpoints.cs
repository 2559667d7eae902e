using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using PrintFlow.Accounts;
using PrintFlow.LiveUpdates;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Pages;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Queries;
using PrintFlow.Mes.Shipping;
using PrintFlow.Mes.Work;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Endpoints;

/// <summary>
/// The floor's form posts (each calls one domain method and redirects back with the outcome's sentence), the
/// live queue fragment and its event stream.
/// </summary>
public static class MesEndpoints
{
    public const string StaffPolicy = "mes-staff";
    public const string SupervisorPolicy = "mes-supervisor";

    public static IEndpointRouteBuilder MapMesEndpoints(this IEndpointRouteBuilder app)
    {
        var mes = app.MapGroup("/mes").RequireAuthorization(StaffPolicy);
        mes.MapGet("/queue/fragment", QueueFragmentAsync);
        mes.MapGet("/queue/events", (LiveFeed feed, HttpContext http) => feed.Stream(MesTopics.Queue, http));
        mes.MapPost("/take-next", TakeNextAsync);
        mes.MapPost("/jobs/{jobId:guid}/take", TakeAsync);
        mes.MapPost("/reassign", ReassignAsync).RequireAuthorization(SupervisorPolicy);
        mes.MapPost("/people/{accountId:guid}/skills", SetSkillsAsync).RequireAuthorization(SupervisorPolicy);
        mes.MapGet("/jobs/{jobId:guid}/packing-slip/qr.png", PackingSlip.QrAsync);
        mes.MapGet("/jobs/{jobId:guid}/packing-slip.pdf", PackingSlipPdf.GetAsync);
        mes.MapPost("/jobs/{jobId:guid}/{action}", ApplyAsync);
        mes.MapGet("/floor/fragment", FloorFragmentAsync);
        mes.MapGet("/floor/events", (LiveFeed feed, HttpContext http) => feed.Stream(MesTopics.Floor, http));
        mes.MapPost("/printers/{printerId:guid}/take-next", TakeNextOnPrinterAsync);
        var printers = mes.MapGroup("/printers").RequireAuthorization(SupervisorPolicy);
        printers.MapPost("/", AddPrinterAsync);
        printers.MapPost("/{printerId:guid}", EditPrinterAsync);
        printers.MapPost("/{printerId:guid}/maintenance", (Guid printerId, [FromForm] string? returnUrl, ClaimsPrincipal user, FarmWork farm, CancellationToken ct) =>
            PrinterCommandAsync(returnUrl, () => farm.MaintenanceAsync(printerId, start: true, AccountId(user), ct)));
        printers.MapPost("/{printerId:guid}/end-maintenance", (Guid printerId, [FromForm] string? returnUrl, ClaimsPrincipal user, FarmWork farm, CancellationToken ct) =>
            PrinterCommandAsync(returnUrl, () => farm.MaintenanceAsync(printerId, start: false, AccountId(user), ct)));
        printers.MapPost("/{printerId:guid}/retire", (Guid printerId, [FromForm] string? returnUrl, ClaimsPrincipal user, FarmWork farm, CancellationToken ct) =>
            PrinterCommandAsync(returnUrl, () => farm.RetireAsync(printerId, AccountId(user), ct)));

        // Carriers call this without a session: each carrier authenticates with its own secret (CarrierCallbackEndpoint).
        app.MapPost("/api/carriers/{carrier}/events", CarrierCallbackEndpoint.HandleAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<RazorComponentResult<QueueFragment>> QueueFragmentAsync(
        [FromQuery] string? stage, [FromQuery] string? material, [FromQuery] string? channel,
        [FromQuery] string? priority, [FromQuery] string? q, [FromQuery] string? after,
        QueueQuery queue, CancellationToken cancellationToken)
    {
        var filter = QueueFilter.Parse(stage, material, channel, priority, q, after);
        var page = await queue.PageAsync(filter, cancellationToken);
        return new RazorComponentResult<QueueFragment>(new Dictionary<string, object?>
        {
            [nameof(QueueFragment.Page)] = page,
            [nameof(QueueFragment.Filter)] = filter,
            [nameof(QueueFragment.ReturnUrl)] = "/mes" + filter.ToQueryString(filter.After),
        });
    }

    private static async Task<RazorComponentResult<FloorFragment>> FloorFragmentAsync(
        [FromQuery] string? retired, FarmQuery farm, CancellationToken cancellationToken) =>
        new(new Dictionary<string, object?> { [nameof(FloorFragment.View)] = await farm.FloorAsync(retired == "1", cancellationToken) });

    private static async Task<RedirectHttpResult> TakeNextOnPrinterAsync(
        Guid printerId, [FromForm] string? returnUrl, ClaimsPrincipal user, FarmWork farm, CancellationToken cancellationToken) =>
        Back(returnUrl ?? "/mes/floor", await RunAsync(() => farm.TakeNextOnPrinterAsync(printerId, AccountId(user), cancellationToken)));

    private static async Task<RedirectHttpResult> AddPrinterAsync(IFormCollection form, ClaimsPrincipal user, FarmWork farm, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(() => farm.AddAsync(PrinterForm.From(form), AccountId(user), cancellationToken));
        return Back(outcome.Succeeded ? "/mes/floor" : form["returnUrl"], outcome);
    }

    private static async Task<RedirectHttpResult> EditPrinterAsync(
        Guid printerId, IFormCollection form, ClaimsPrincipal user, FarmWork farm, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(() => farm.EditAsync(printerId, PrinterForm.From(form), AccountId(user), cancellationToken));
        return Back(outcome.Succeeded ? "/mes/floor" : form["returnUrl"], outcome);
    }

    private static async Task<RedirectHttpResult> PrinterCommandAsync(string? returnUrl, Func<Task<WorkOutcome>> command) =>
        Back(returnUrl ?? "/mes/floor", await RunAsync(command));

    private static async Task<RedirectHttpResult> TakeNextAsync(
        [FromForm] string? returnUrl, ClaimsPrincipal user, FloorWork work, CancellationToken cancellationToken) =>
        Back(returnUrl, await RunAsync(() => work.TakeNextAsync(AccountId(user), cancellationToken)));

    private static async Task<RedirectHttpResult> TakeAsync(
        Guid jobId, [FromForm] string? returnUrl, ClaimsPrincipal user, FloorWork work, CancellationToken cancellationToken) =>
        Back(returnUrl, await RunAsync(() => work.TakeAsync(jobId, AccountId(user), cancellationToken)));

    private static async Task<RedirectHttpResult> ReassignAsync(
        [FromForm] Guid jobId, [FromForm] Guid operatorId, [FromForm] string? returnUrl, ClaimsPrincipal user, FloorWork work,
        CancellationToken cancellationToken) =>
        Back(returnUrl, await RunAsync(() => work.ReassignAsync(jobId, operatorId, AccountId(user), cancellationToken)));

    private static async Task<RedirectHttpResult> SetSkillsAsync(
        Guid accountId, IFormCollection form, ClaimsPrincipal user, FloorWork work, CancellationToken cancellationToken) =>
        Back(form["returnUrl"], await RunAsync(() =>
            work.SetSkillsAsync(accountId, form["materials"].OfType<string>(), AccountId(user), cancellationToken)));

    private static async Task<Results<RedirectHttpResult, NotFound>> ApplyAsync(
        Guid jobId, string action, [FromForm] string? reason, [FromForm] string? carrier, [FromForm] string? trackingNumber,
        [FromForm] string? returnUrl, ClaimsPrincipal user, FloorWork work, CancellationToken cancellationToken)
    {
        if (JobAction.FromSlug(action) is not { } step)
        {
            return TypedResults.NotFound();
        }

        return Back(returnUrl, await RunAsync(() => work.ApplyAsync(jobId, step, AccountId(user), reason, new ShippingForm(carrier, trackingNumber), cancellationToken)));
    }

    private static async Task<WorkOutcome> RunAsync(Func<Task<WorkOutcome>> command)
    {
        try
        {
            return await command();
        }
        catch (JobRuleException refusal)
        {
            return WorkOutcome.Refused(refusal.Code, refusal.Message);
        }
    }

    /// <summary>Back to the page the form was on, carrying the outcome's sentence for <c>mes-message</c>.</summary>
    private static RedirectHttpResult Back(string? returnUrl, WorkOutcome outcome)
    {
        var target = LocalUrl.IsLocal(returnUrl) ? returnUrl! : "/mes";
        var questionMark = target.IndexOf('?', StringComparison.Ordinal);
        var path = questionMark < 0 ? target : target[..questionMark];
        var query = questionMark < 0 ? [] : QueryHelpers.ParseQuery(target[questionMark..])
            .Where(pair => pair.Key is not ("msg" or "ok"))
            .SelectMany(pair => pair.Value.Select(value => new KeyValuePair<string, string?>(pair.Key, value)));
        var withMessage = query.Append(new("msg", outcome.Message)).Append(new("ok", outcome.Succeeded ? "1" : "0"));
        return TypedResults.LocalRedirect(QueryHelpers.AddQueryString(path, withMessage));
    }

    private static Guid AccountId(ClaimsPrincipal user) =>
        Guid.TryParse(user.Id(), out var id)
            ? id
            : throw new JobRuleException("account.not-found", Texts.Get<MesStrings>("Work.NotOperatorAccount"));
}
