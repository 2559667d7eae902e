using Microsoft.AspNetCore.Identity;
using PrintFlow.Accounts;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Accounts;

internal static class CustomerPasswords
{
    public const int MinimumLength = 8;

    /// <summary>Longer passwords are refused before hashing, so a huge form field costs nothing.</summary>
    public const int MaximumLength = 1024;

    /// <summary>The one rule for every new password (registration, reset, change).</summary>
    public static bool IsAcceptable(string? password) => password is { Length: >= MinimumLength and <= MaximumLength };

    public static void Set(IPasswordHasher<Customer> hasher, Customer customer, string password) =>
        customer.SetPasswordHash(hasher.HashPassword(customer, password));

    /// <summary>True when the customer exists and the password is theirs; an unknown customer costs a check too.</summary>
    public static bool Verify(IPasswordHasher<Customer> hasher, Customer? customer, string password)
    {
        if (customer is null)
        {
            DummyPassword.Verify(hasher, password);
            return false;
        }

        return hasher.VerifyHashedPassword(customer, customer.PasswordHash, password) != PasswordVerificationResult.Failed;
    }
}
