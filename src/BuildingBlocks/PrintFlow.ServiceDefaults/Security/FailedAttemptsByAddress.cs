using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace PrintFlow.ServiceDefaults.Security;

/// <summary>
/// Failed authentication attempts (a wrong API key, a bad carrier signature) counted per client address, an IPv6
/// client per /64 (which one host usually holds whole): past the allowance in a minute the address is refused before
/// its next attempt is even checked, until the minute is over. Each instance counts on its own, in memory: with N
/// instances an address gets at most N times the allowance, which still makes guessing secrets hopeless and keeps
/// unauthenticated floods off the database.
/// </summary>
public abstract class FailedAttemptsByAddress : IDisposable
{
    /// <summary>The partition of requests without a known address (a Unix socket, the test server).</summary>
    private static readonly IPAddress Unknown = IPAddress.None;

    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly ILogger _logger;

    protected FailedAttemptsByAddress(int perMinute, ILogger logger)
    {
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _logger = logger;
    }

    /// <summary>Null when this address may try; else how long it must wait.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        // Zero permits asks without taking: granted while the address has attempts left.
        using var lease = _limiter.AttemptAcquire(PartitionOf(address), 0);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
    }

    /// <summary>Counts a failed attempt; <paramref name="what"/> names it in the one warning per address and minute.</summary>
    protected void Count(IPAddress? address, string what)
    {
        var partition = PartitionOf(address);
        using var lease = _limiter.AttemptAcquire(partition, 1);
        if (lease.IsAcquired && _limiter.GetStatistics(partition)?.CurrentAvailablePermits == 0)
        {
            // Once per address and minute, so an attack does not flood the log either.
            _logger.LogWarning("Too many {Attempts} from {RemoteAddress}; refusing it for the rest of the minute",
                what, partition.Equals(Unknown) ? "(unknown)" : partition.ToString());
        }
    }

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }

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
