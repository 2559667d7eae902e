using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PrintFlow.Partners.Domain;

/// <summary>An API key as stored: only its SHA-256, so a leaked table does not leak keys.</summary>
public sealed class PartnerApiKey
{
    public const string KeyPrefix = "pfk_";

    private PartnerApiKey()
    {
    }

    private PartnerApiKey(Guid partnerId, string key, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        PartnerId = partnerId;
        Hash = HashOf(key);
        Hint = key.Length > 8 ? key[..8] + "…" : key;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public string Hash { get; private set; } = "";

    /// <summary>The first characters, so a person can tell keys apart without seeing one.</summary>
    public string Hint { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>A new random key; the caller shows <paramref name="key"/> once and keeps only the entity.</summary>
    public static PartnerApiKey Issue(Guid partnerId, DateTimeOffset now, out string key)
    {
        key = KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new PartnerApiKey(partnerId, key, now);
    }

    /// <summary>A key chosen by the caller (the Development demo key, so docs and tests can use it).</summary>
    public static PartnerApiKey FromKnown(Guid partnerId, string key, DateTimeOffset now) => new(partnerId, key, now);

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public void Revoke(DateTimeOffset at) => RevokedAt ??= at;
}
