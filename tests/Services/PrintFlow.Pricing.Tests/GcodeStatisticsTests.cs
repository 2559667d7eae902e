using PrintFlow.Pricing.Core;
using PrintFlow.Slicing;

namespace PrintFlow.Pricing.Tests;

public class GcodeStatisticsTests
{
    [Fact]
    public void Parse_WhenPrusaSlicerFooter_ReadsVolumeGramsAndTime()
    {
        const string footer = """
            ; filament used [mm] = 1394.42
            ; filament used [cm3] = 3.35
            ; filament used [g] = 4.16
            ; estimated printing time (normal mode) = 1d 2h 3m 4s
            ; estimated printing time (silent mode) = 9h 0m 0s
            """;

        var result = GcodeStatistics.Parse(footer);

        Assert.Equal(3.35, result.FilamentCm3);
        Assert.Equal(4.16, result.FilamentGrams);
        Assert.Equal(new TimeSpan(1, 2, 3, 4).TotalHours, result.PrintHours, 9);
    }

    [Fact]
    public void Parse_WhenSeveralExtruders_SumsTheirFilament()
    {
        var result = GcodeStatistics.Parse("; filament used [cm3] = 1.50, 2.25\n; estimated printing time (normal mode) = 45s\n");

        Assert.Equal(3.75, result.FilamentCm3);
        Assert.Equal(45.0 / 3600, result.PrintHours, 9);
    }

    [Fact]
    public void Parse_WhenStatisticsMissing_ThrowsSlicerFailed()
    {
        var error = Assert.Throws<SlicerException>(() => GcodeStatistics.Parse("G1 X10 Y10\n"));

        Assert.Equal(SlicerException.Failed, error.Code);
    }
}
