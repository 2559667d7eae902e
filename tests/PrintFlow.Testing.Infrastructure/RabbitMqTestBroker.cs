namespace PrintFlow.Testing.Infrastructure;

/// <summary>
/// The real RabbitMQ broker that <c>scripts/start-rabbitmq.sh</c> started (test.sh runs it). Tests isolate themselves
/// with unique exchange and queue names (or a throw-away virtual host) rather than sharing state.
/// </summary>
public static class RabbitMqTestBroker
{
    public const string UriVariable = "PRINTFLOW_TEST_RABBITMQ";

    public static Uri Uri
    {
        get
        {
            FastLoop.Refuse("RabbitMQ", "Infrastructure");
            return new(Environment.GetEnvironmentVariable(UriVariable) is { Length: > 0 } configured
                ? configured
                : "amqp://printflow:printflow@localhost:5672/");
        }
    }
}
