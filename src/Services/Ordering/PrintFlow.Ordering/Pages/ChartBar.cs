namespace PrintFlow.Ordering.Pages;

/// <summary>One bar: what it measures, its size, and the value written beside it.</summary>
public sealed record ChartBar(string Label, double Value, string Text);
