using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PrintFlow.Mes.Shipping;

/// <summary>
/// Carrier callbacks with a wrong signature or secret, counted per client address (IPv6 per /64) like the Partner API's
/// bad keys: past <see cref="MesOptions.CarrierAuthFailuresPerMinute"/> in a minute the address gets 429 before its
/// next signature is even checked. Counted per instance, in memory.
/// </summary>
public sealed class CarrierAuthAttempts : IDisposable
{
    private static readonly IPAddress Unknown = IPAddress.None;
    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly ILogger<CarrierAuthAttempts> _logger;

    public CarrierAuthAttempts(IOptions<MesOptions> options, ILogger<CarrierAuthAttempts> logger)
    {
        var limit = options.Value.CarrierAuthFailuresPerMinute;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _logger = logger;
    }

    /// <summary>Null when this address may try; else how long it must wait.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        using var lease = _limiter.AttemptAcquire(PartitionOf(address), 0);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
    }

    public void Failed(IPAddress? address, string carrier)
    {
        var partition = PartitionOf(address);
        using var lease = _limiter.AttemptAcquire(partition, 1);
        if (lease.IsAcquired && _limiter.GetStatistics(partition)?.CurrentAvailablePermits == 0)
        {
            _logger.LogWarning("Too many carrier callbacks ({Carrier}) with a bad signature from {RemoteAddress}; refusing it for the rest of the minute",
                carrier, partition.Equals(Unknown) ? "(unknown)" : partition.ToString());
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
