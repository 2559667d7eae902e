using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.Mes.Shipping;

/// <summary>
/// Carrier callbacks with a wrong signature or secret, counted per client address like the Partner API's bad keys:
/// past <see cref="MesOptions.CarrierAuthFailuresPerMinute"/> in a minute the address gets 429 before its next
/// signature is even checked (<see cref="FailedAttemptsByAddress"/>).
/// </summary>
public sealed class CarrierAuthAttempts(IOptions<MesOptions> options, ILogger<CarrierAuthAttempts> logger)
    : FailedAttemptsByAddress(options.Value.CarrierAuthFailuresPerMinute, logger)
{
    public void Failed(IPAddress? address, string carrier) => Count(address, $"carrier callbacks ({carrier}) with a bad signature");
}
