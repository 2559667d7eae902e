using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Messaging.RabbitMq.Tests;

public sealed class RabbitMqOptionsTests
{
    [Theory]
    [InlineData("http://printflow:s3cret-broker-pass@rabbit:5672/")]
    [InlineData("printflow:s3cret-broker-pass@rabbit")]
    public void Validate_WhenTheUriIsNotAnAmqpAddress_SaysSoWithoutRepeatingItsPassword(string uri)
    {
        var options = new RabbitMqOptions { Uri = uri };

        var error = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Contains("Messaging:RabbitMq:Uri", error.ErrorMessage);
        Assert.DoesNotContain("s3cret", error.ErrorMessage);
    }
}
