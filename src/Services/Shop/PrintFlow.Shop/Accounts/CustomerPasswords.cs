using Microsoft.AspNetCore.Identity;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Accounts;

internal static class CustomerPasswords
{
    public const int MinimumLength = 8;
    private static readonly PasswordHasher<Customer> Hasher = new();

    public static void Set(Customer customer, string password) => customer.SetPasswordHash(Hasher.HashPassword(customer, password));

    public static bool Verify(Customer customer, string password) =>
        Hasher.VerifyHashedPassword(customer, customer.PasswordHash, password) != PasswordVerificationResult.Failed;
}
