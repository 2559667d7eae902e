using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Crm.Data;
using PrintFlow.Crm.Domain;
using PrintFlow.Crm.Handlers;
using PrintFlow.Crm.Pages;
using PrintFlow.LiveUpdates;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Crm.Endpoints;

/// <summary>The CRM's fragment, live stream and note form; every one for sales managers only.</summary>
internal static class CrmEndpoints
{
    public const int PageSize = 200;

    public static async Task<RazorComponentResult<CustomerTable>> CustomersFragmentAsync(string? q, CrmDbContext db, CancellationToken cancellationToken) =>
        new(new { Customers = await SearchAsync(db, q, cancellationToken) });

    public static IResult Events(LiveFeed feed, HttpContext http) => feed.Stream(CrmTopics.Customers, http);

    public static async Task<IResult> AddNoteAsync(
        string channel, string id, [FromForm] string? text, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FindCustomerAsync(db, channel, id, cancellationToken) is not { } customer)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "crm.customer-not-found", ServiceDefaults.Localization.Texts.Get<CrmStrings>("Problem.crm.customer-not-found"));
        }

        var page = DetailPath(customer);
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length > CrmNote.MaxLength)
        {
            return Results.Redirect($"{page}?error=note.invalid");
        }

        var author = user.FindFirstValue(ClaimTypes.Name) ?? user.FindFirstValue(ClaimTypes.Email) ?? "sales";
        db.Notes.Add(CrmNote.Write(customer, author, text, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect(page);
    }

    public static async Task<List<CrmCustomer>> SearchAsync(CrmDbContext db, string? q, CancellationToken cancellationToken)
    {
        var customers = db.Customers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            customers = customers.Where(c => c.SearchText.Contains(term));
        }

        return await customers.OrderByDescending(c => c.LastOrderAt).Take(PageSize).ToListAsync(cancellationToken);
    }

    public static async Task<CrmCustomer?> FindCustomerAsync(CrmDbContext db, string channel, string id, CancellationToken cancellationToken) =>
        Enum.TryParse<SalesChannel>(channel, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(channel[0])
            ? await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Channel == parsed && c.CustomerId == id, cancellationToken)
            : null;

    public static string DetailPath(CrmCustomer customer) =>
        $"/crm/customers/{customer.Channel}/{Uri.EscapeDataString(customer.CustomerId)}";
}

