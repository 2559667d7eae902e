namespace PrintFlow.Contracts;

/// <summary>The public order lifecycle: the same names in the API, events, UI and metrics.</summary>
public enum OrderStatus
{
    Submitted,
    PriceCalculating,
    Quoted,
    Confirmed,
    ManufacturingApproved,
    Printing,
    PostProcessing,
    QualityCheck,
    Packed,
    Shipped,
    Delivered,
    Rejected,
    Cancelled,
}

/// <summary>Where an order came from: the B2C shop or a B2B partner.</summary>
public enum SalesChannel
{
    Shop,
    Partner,
}

public enum LeadTime
{
    Standard,
    Express,
}
