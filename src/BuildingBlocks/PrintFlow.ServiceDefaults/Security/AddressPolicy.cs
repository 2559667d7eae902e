using System.Net;
using System.Net.Sockets;

namespace PrintFlow.ServiceDefaults.Security;

/// <summary>
/// Which IP addresses an outgoing call may reach: public unicast only. Everything else (loopback, private, link-local, CGNAT,
/// cloud metadata, unspecified, multicast, reserved and documentation ranges) is refused with the class as the reason.
/// Webhooks take it as it is; MES's printers, which live on the factory network, also accept private and CGNAT.
/// </summary>
public static class AddressPolicy
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>Null when the address is public, else the class that refuses it (<c>loopback</c>, <c>private</c>, …).</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Refusal(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => RefusalV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => RefusalV6(address),
            _ => "unsupported",
        };
    }

    private static string? RefusalV4(byte[] b) => (b[0], b[1], b[2], b[3]) switch
    {
        (169, 254, 169, 254) => "metadata",
        (0, _, _, _) => "unspecified",
        (127, _, _, _) => "loopback",
        (10, _, _, _) => "private",
        (172, >= 16 and <= 31, _, _) => "private",
        (192, 168, _, _) => "private",
        (100, >= 64 and <= 127, _, _) => "cgnat",
        (169, 254, _, _) => "link-local",
        (192, 0, 0, _) => "reserved",
        (192, 0, 2, _) or (198, 51, 100, _) or (203, 0, 113, _) => "reserved",
        (198, 18 or 19, _, _) => "reserved",
        (>= 224 and <= 239, _, _, _) => "multicast",
        (>= 240, _, _, _) => "reserved",
        _ => null,
    };

    private static string? RefusalV6(IPAddress address)
    {
        if (address.Equals(AwsMetadataV6))
        {
            return "metadata";
        }

        if (address.Equals(IPAddress.IPv6None))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        var b = address.GetAddressBytes();
        if (b[0] == 0xff)
        {
            return "multicast";
        }

        if ((b[0] & 0xfe) == 0xfc)
        {
            return "private"; // fc00::/7, unique local
        }

        if (b[0] == 0xfe && (b[1] & 0xc0) is 0x80 or 0xc0)
        {
            return "link-local"; // fe80::/10, and the deprecated site-local fec0::/10
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return "reserved"; // 2001:db8::/32, documentation
        }

        if (b.AsSpan(0, 12).SequenceEqual(Nat64Prefix))
        {
            // 64:ff9b::/96 reaches the IPv4 address in its last four bytes through a NAT64 gateway.
            return RefusalV4(b[12..]);
        }

        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return "reserved"; // ::/96, the deprecated IPv4-compatible form (:: and ::1 matched above)
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return RefusalV4(b[2..6]); // 2002::/16, 6to4: the IPv4 address it tunnels to
        }

        return null;
    }

    private static readonly byte[] Nat64Prefix = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
}
