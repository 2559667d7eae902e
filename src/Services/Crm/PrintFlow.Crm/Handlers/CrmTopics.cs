namespace PrintFlow.Crm.Handlers;

public static class CrmTopics
{
    /// <summary>Anything in the customer table changed.</summary>
    public const string Customers = "crm";
}
