using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PrintFlow.Partners.Auth;

/// <summary>
/// Requests with a missing or wrong API key, counted per client address (an IPv6 client per /64, which one host
/// usually holds whole): after <see cref="PartnersOptions.InvalidKeyAttemptsPerMinute"/> of them in a minute, the
/// address is refused before its next key is even hashed, whatever key it sends, until the minute is over. Each
/// instance counts on its own, in memory: with N instances an address gets at most N times the allowance, which still
/// makes guessing keys hopeless and keeps unauthenticated floods off the database.
/// </summary>
public sealed class ApiKeyAttempts : IDisposable
{
    /// <summary>The partition of requests without a known address (a Unix socket, the test server).</summary>
    private static readonly IPAddress Unknown = IPAddress.None;

    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly ILogger<ApiKeyAttempts> _logger;

    public ApiKeyAttempts(IOptions<PartnersOptions> options, ILogger<ApiKeyAttempts> logger)
    {
        var limit = options.Value.InvalidKeyAttemptsPerMinute;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _logger = logger;
    }

    /// <summary>Null when this address may present a key; else how long it must wait.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        // Zero permits asks without taking: granted while the address has attempts left.
        using var lease = _limiter.AttemptAcquire(PartitionOf(address), 0);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
    }

    /// <summary>Counts a request whose key was missing, unknown or revoked.</summary>
    public void Failed(IPAddress? address)
    {
        var partition = PartitionOf(address);
        using var lease = _limiter.AttemptAcquire(partition, 1);
        if (lease.IsAcquired && _limiter.GetStatistics(partition)?.CurrentAvailablePermits == 0)
        {
            // Once per address and minute, so an attack does not flood the log either.
            _logger.LogWarning("Too many requests with a missing or invalid API key from {RemoteAddress}; refusing it for the rest of the minute",
                partition.Equals(Unknown) ? "(unknown)" : partition.ToString());
        }
    }

    public void Dispose() => _limiter.Dispose();

    private static IPAddress PartitionOf(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
