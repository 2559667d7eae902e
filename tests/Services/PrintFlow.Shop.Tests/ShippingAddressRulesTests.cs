using PrintFlow.ServiceDefaults.Shipping;

namespace PrintFlow.Shop.Tests;

/// <summary>The address rules the Shop checkout, the Partner API and partners' default addresses share.</summary>
public sealed class ShippingAddressRulesTests
{
    private static readonly AddressInput Valid = new("Ivan Petrov", "ul. Tverskaya 7", "kv. 12", "Moscow", "Moscow", "125009", "RU", "+7 (495) 123-45-67");

    public static TheoryData<string, AddressInput> Invalid => new()
    {
        { "address.recipient.required", Valid with { Recipient = "  " } },
        { "address.recipient.too-long", Valid with { Recipient = new string('a', ShippingAddressRules.MaxRecipient + 1) } },
        { "address.recipient.control-characters", Valid with { Recipient = "Ivan\nPetrov" } },
        { "address.line1.required", Valid with { Line1 = null } },
        { "address.line1.too-long", Valid with { Line1 = new string('a', ShippingAddressRules.MaxLine + 1) } },
        { "address.line1.control-characters", Valid with { Line1 = "ul. Tverskaya\u202E7" } },
        { "address.line2.too-long", Valid with { Line2 = new string('a', ShippingAddressRules.MaxLine + 1) } },
        { "address.line2.control-characters", Valid with { Line2 = "kv.\t12" } },
        { "address.city.required", Valid with { City = "" } },
        { "address.city.too-long", Valid with { City = new string('a', ShippingAddressRules.MaxCity + 1) } },
        { "address.city.control-characters", Valid with { City = "Mos\0cow" } },
        { "address.region.too-long", Valid with { Region = new string('a', ShippingAddressRules.MaxRegion + 1) } },
        { "address.postal-code.required", Valid with { PostalCode = null } },
        { "address.postal-code.too-long", Valid with { PostalCode = "1234567890123" } },
        { "address.postal-code.invalid", Valid with { PostalCode = "12345" } },
        { "address.postal-code.invalid", Valid with { PostalCode = "12500A" } },
        { "address.postal-code.invalid", Valid with { Country = "DE", PostalCode = "1011" } },
        { "address.postal-code.invalid", Valid with { Country = "US", PostalCode = "9410" } },
        { "address.postal-code.invalid", Valid with { Country = "GB", PostalCode = "ABC" } },
        { "address.postal-code.invalid", Valid with { Country = "JP", PostalCode = "!" } },
        { "address.country.required", Valid with { Country = null } },
        { "address.country.unknown", Valid with { Country = "XX" } },
        { "address.country.unknown", Valid with { Country = "RUS" } },
        { "address.phone.invalid", Valid with { Phone = "call me" } },
        { "address.phone.invalid", Valid with { Phone = "+7 12" } },
        { "address.phone.control-characters", Valid with { Phone = "+7 495\r\n1234567" } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_WhenARuleIsBroken_RefusesWithItsCodeAndSentencesInBothLanguages(string code, AddressInput input)
    {
        var (address, problems) = ShippingAddressRules.Validate(input);

        Assert.Null(address);
        var problem = Assert.Single(problems);
        Assert.Equal(code, problem.Code);
        Assert.Matches("[A-Za-z]", problem.English);
        Assert.Matches("[А-Яа-я]", problem.Russian);
    }

    [Theory]
    [InlineData("RU", "101000")]
    [InlineData("ru", " 101000 ")]
    [InlineData("DE", "10115")]
    [InlineData("US", "94105-1234")]
    [InlineData("GB", "sw1a 1aa")]
    [InlineData("NL", "1012 AB")]
    [InlineData("PL", "00-950")]
    [InlineData("CA", "K1A 0B1")]
    [InlineData("JP", "100-0001")]
    public void Validate_WithThePostalCodeShapeOfTheCountry_Accepts(string country, string postalCode)
    {
        var (address, problems) = ShippingAddressRules.Validate(Valid with { Country = country, PostalCode = postalCode });

        Assert.Empty(problems);
        Assert.Equal(country.Trim().ToUpperInvariant(), address!.Country);
        Assert.Equal(postalCode.Trim().ToUpperInvariant(), address.PostalCode);
    }

    [Fact]
    public void Validate_WhenOptionalFieldsAreBlank_StoresThemAsNullAndTrimsTheRest()
    {
        var (address, problems) = ShippingAddressRules.Validate(new AddressInput(" Anna ", " Nevsky 1 ", " ", "Saint Petersburg", "", "191186", "RU", null));

        Assert.Empty(problems);
        Assert.Equal(new PrintFlow.Contracts.ShippingAddress("Anna", "Nevsky 1", null, "Saint Petersburg", null, "191186", "RU", null), address);
    }

    [Fact]
    public void Validate_WhenEverythingIsWrong_ListsOneProblemPerField()
    {
        var (_, problems) = ShippingAddressRules.Validate(new AddressInput(null, null, null, null, null, null, null, "x"));

        Assert.Equal(["recipient", "line1", "city", "postalCode", "country", "phone"], problems.Select(p => p.Field));
    }
}
