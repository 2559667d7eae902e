using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.Partners.Auth;

/// <summary>
/// Requests with a missing or wrong API key, counted per client address: after
/// <see cref="PartnersOptions.InvalidKeyAttemptsPerMinute"/> of them in a minute the address is refused before its next
/// key is even hashed, whatever key it sends (<see cref="FailedAttemptsByAddress"/>).
/// </summary>
public sealed class ApiKeyAttempts(IOptions<PartnersOptions> options, ILogger<ApiKeyAttempts> logger)
    : FailedAttemptsByAddress(options.Value.InvalidKeyAttemptsPerMinute, logger)
{
    /// <summary>Counts a request whose key was missing, unknown or revoked.</summary>
    public void Failed(IPAddress? address) => Count(address, "requests with a missing or invalid API key");
}
