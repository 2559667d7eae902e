using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Partners.Auth;
using PrintFlow.Partners.Data;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Endpoints;

/// <summary>The partner's default shipping address: used for every order whose request names none.</summary>
public sealed record DefaultShippingAddress(ShippingAddress? ShippingAddress);

/// <summary><c>GET/PUT/DELETE /account/shipping-address</c>.</summary>
internal static class AccountEndpoints
{
    private const int MaxBodyBytes = 8 * 1024;

    internal static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder api)
    {
        var account = api.MapGroup("/account").WithTags("Account")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        account.MapGet("/shipping-address", GetAsync).WithName("GetDefaultShippingAddress")
            .WithSummary("Your default shipping address (null when none is set).");
        account.MapPut("/shipping-address", PutAsync).WithName("SetDefaultShippingAddress")
            .WithSummary("Set the address orders ship to when their request has no shippingAddress.")
            .Accepts<ShippingAddress>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        account.MapDelete("/shipping-address", DeleteAsync).WithName("DeleteDefaultShippingAddress")
            .WithSummary("Remove the default address: orders without a shippingAddress then carry none.");
        return account;
    }

    private static async Task<Ok<DefaultShippingAddress>> GetAsync(ClaimsPrincipal user, PartnersDbContext db, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var address = await db.Partners.AsNoTracking().Where(p => p.Id == partnerId).Select(p => p.DefaultShipTo).FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new DefaultShippingAddress(address));
    }

    private static async Task<Results<Ok<DefaultShippingAddress>, ProblemHttpResult>> PutAsync(
        HttpContext http, ClaimsPrincipal user, PartnersDbContext db, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength is > MaxBodyBytes)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "request.too-large", PartnersStrings.Get("Problem.request.too-large.address", MaxBodyBytes / 1024));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return Problems.Of(StatusCodes.Status413PayloadTooLarge, "request.too-large", PartnersStrings.Get("Problem.request.too-large.address", MaxBodyBytes / 1024));
            }

            buffer.Write(chunk, 0, read);
        }

        var (address, errors) = AddressJson.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (address is null)
        {
            return CreateOrderEndpoint.Invalid(errors);
        }

        var partnerId = user.PartnerId();
        var partner = await db.Partners.FirstAsync(p => p.Id == partnerId, cancellationToken);
        partner.SetDefaultShipTo(address);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DefaultShippingAddress(address));
    }

    private static async Task<NoContent> DeleteAsync(ClaimsPrincipal user, PartnersDbContext db, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var partner = await db.Partners.FirstAsync(p => p.Id == partnerId, cancellationToken);
        partner.SetDefaultShipTo(null);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
