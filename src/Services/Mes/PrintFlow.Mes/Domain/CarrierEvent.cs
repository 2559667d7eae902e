namespace PrintFlow.Mes.Domain;

/// <summary>A tracking event a carrier reported through its callback, kept so the same event applies once.</summary>
public sealed class CarrierEvent
{
    private CarrierEvent() { }

    public CarrierEvent(string carrier, string trackingNumber, string eventId, string status, Guid jobId, DateTimeOffset receivedAt)
    {
        Carrier = carrier;
        TrackingNumber = trackingNumber;
        EventId = eventId;
        Status = status;
        JobId = jobId;
        ReceivedAt = receivedAt;
    }

    public string Carrier { get; private set; } = "";
    public string TrackingNumber { get; private set; } = "";
    public string EventId { get; private set; } = "";
    public string Status { get; private set; } = "";
    public Guid JobId { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
}
