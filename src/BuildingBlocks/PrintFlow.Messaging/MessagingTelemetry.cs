using System.Diagnostics;

namespace PrintFlow.Messaging;

public static class MessagingTelemetry
{
    public const string SourceName = "PrintFlow.Messaging";
    public static readonly ActivitySource Source = new(SourceName);
}
