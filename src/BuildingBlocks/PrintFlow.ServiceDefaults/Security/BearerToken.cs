using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace PrintFlow.ServiceDefaults.Security;

/// <summary>A shared secret presented as <c>Authorization: Bearer &lt;token&gt;</c> (the scheme in any case, RFC 9110).</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>The digest to keep in memory and compare against, rather than the secret itself.</summary>
    public static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>
    /// Whether the request presents the token whose <see cref="Digest"/> is <paramref name="expectedDigest"/>. Digests
    /// are compared in constant time, so neither the token's content nor its length leaks through timing.
    /// </summary>
    public static bool Presents(HttpRequest request, ReadOnlySpan<byte> expectedDigest)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Digest(header[Scheme.Length..].Trim()), expectedDigest);
    }
}
