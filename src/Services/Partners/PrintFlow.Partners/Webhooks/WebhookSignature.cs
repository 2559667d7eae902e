using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PrintFlow.Partners.Webhooks;

/// <summary>
/// <c>PrintFlow-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>; during a secret
/// rotation's overlap one <c>v1</c> per valid secret, the current one first.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "PrintFlow-Signature";

    public static string Sign(IReadOnlyList<byte[]> keys, long unixSeconds, byte[] body)
    {
        var signed = SignedBytes(unixSeconds, body);
        var header = new StringBuilder("t=").Append(unixSeconds.ToString(CultureInfo.InvariantCulture));
        foreach (var key in keys)
        {
            header.Append(",v1=").Append(Convert.ToHexStringLower(HMACSHA256.HashData(key, signed)));
        }

        return header.ToString();
    }

    /// <summary>What a receiver does (the docs show the same in Python and Node): true when a v1 matches and t is recent.</summary>
    public static bool Verify(string secret, string header, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? t = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            if (pair[0] == "t" && long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                t = seconds;
            }
            else if (pair[0] == "v1")
            {
                candidates.Add(pair[1]);
            }
        }

        if (t is not { } timestamp || Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), SignedBytes(timestamp, body))));
        return candidates.Any(c => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(c)));
    }

    private static byte[] SignedBytes(long unixSeconds, byte[] body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        return [.. prefix, .. body];
    }
}
