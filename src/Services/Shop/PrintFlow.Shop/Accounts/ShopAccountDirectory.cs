using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Accounts;

/// <summary>Answers sign-ins for shop customers.</summary>
internal sealed class ShopAccountDirectory(ShopDbContext db, IPasswordHasher<Customer> hasher) : IAccountDirectory
{
    public const string Name = "shop";

    public string Owner => Name;

    public async Task<ClaimsIdentity?> ValidateAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = Customer.NormalizeEmail(email);
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Email == normalized, cancellationToken);
        return CustomerPasswords.Verify(hasher, customer, password) ? IdentityOf(customer!) : null;
    }

    public static ClaimsIdentity IdentityOf(Customer customer) =>
        AccountIdentity.Create(customer.Id.ToString(), customer.DisplayName, customer.Email, Roles.Customer);
}
