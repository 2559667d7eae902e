using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Pricing.Tests.Support;

/// <summary>Model files that try to make the slicer do more than slice.</summary>
public static class SlicerAttackModels
{
    /// <summary>The two shapes of the reported attack: a bare post_process, and one behind custom start G-code.</summary>
    public static TheoryData<string> SlicerConfigVariants() => new() { "post_process", "start_gcode+post_process" };

    /// <summary>
    /// A valid 20 mm cube as 3MF carrying Metadata/Slic3r_PE.config, which PrusaSlicer 2.5 applies under the loaded
    /// profile, so any setting the profile leaves out (post_process in the old profile) is the file's. PrusaSlicer reads
    /// that config from its end and ignores it below ten settings, hence the ordinary ones first.
    /// </summary>
    public static byte[] ThreeMfWithSlicerConfig(string variant, string marker)
    {
        string[] ordinary =
        [
            "bed_temperature = 60", "bridge_speed = 25", "brim_width = 0", "complete_objects = 0", "cooling = 1",
            "extrusion_multiplier = 1", "fan_always_on = 1", "fill_density = 20%", "perimeters = 2", "skirts = 1",
        ];
        string[] hostile = variant switch
        {
            "post_process" => [$"post_process = touch {marker}"],
            "start_gcode+post_process" => ["start_gcode = M117 hello\\nG28 W\\n{if 1}G1 Z5{endif}", $"post_process = /bin/sh -c \"touch {marker}\""],
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
        };
        var config = string.Concat(ordinary.Concat(hostile).Select(line => "; " + line + "\n"));
        var cube = ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(20));
        return ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(cube, "<item objectid=\"1\"/>"), ("Metadata/Slic3r_PE.config", config));
    }
}
