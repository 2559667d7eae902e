namespace PrintFlow.Testing;

/// <summary>A valid shipping address as the Shop's checkout form sends it.</summary>
public static class TestAddresses
{
    public static readonly (string Name, string Value)[] Checkout =
    [
        ("recipient", "Ivan Petrov"), ("line1", "ul. Tverskaya 7, kv. 12"), ("city", "Moscow"), ("postalCode", "125009"), ("country", "RU"),
    ];
}
