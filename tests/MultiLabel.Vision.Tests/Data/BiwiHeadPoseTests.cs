using MultiLabel.Vision.Data;
using MultiLabel.Vision.Data.Formats;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace MultiLabel.Vision.Tests.Data;

public sealed class BiwiHeadPoseTests
{
    const string Calibration = "517.679 0 320 \n0 517.679 240.5 \n0 0 1 \n\n0 0 0 0 \n\n1 0 0 \n0 1 0 \n0 0 1 \n\n0 0 0 \n";

    static void Frame(string folder, int number, string pose)
    {
        Directory.CreateDirectory(folder);
        TestImages.Jpeg(Path.Combine(folder, $"frame_{number:D5}_rgb.jpg"), 64, 48, new Rgb24(90, 90, 90));
        File.WriteAllText(Path.Combine(folder, $"frame_{number:D5}_pose.txt"), pose);
    }

    static string Pose(double x, double y, double z) =>
        FormattableString.Invariant($"0.9 0.1 0.2 \n-0.1 0.9 0.3 \n0.2 -0.3 0.9 \n\n{x} {y} {z} \n");

    [Fact]
    public void The_chapter_example_projects_to_the_chapter_pixels()
    {
        var k = new double[,] { { 517.679, 0, 320 }, { 0, 517.679, 240.5 }, { 0, 0, 1 } };

        var centre = BiwiHeadPose.ProjectCenter((62.3638, 96.2159, 979.839), k);

        // x = 62.3638·517.679/979.839 + 320, y = 96.2159·517.679/979.839 + 240.5
        Assert.Equal(352.9487, centre.X, 3);
        Assert.Equal(291.3338, centre.Y, 3);
    }

    [Fact]
    public void A_hand_made_folder_loads_with_folder_01_calibration_for_every_person()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(temp.File("01")).FullName, "rgb.cal"), Calibration);
        Frame(temp.File("01"), 3, Pose(62.3638, 96.2159, 979.839));
        Frame(temp.File("01"), 4, Pose(0, 0, 1000));
        Frame(temp.File("13"), 3, Pose(-100, 50, 800));
        File.WriteAllText(Path.Combine(temp.File("13"), "rgb.cal"), "1 0 0\n0 1 0\n0 0 1\n"); // ignored: K comes from 01

        var frames = BiwiHeadPose.Load(temp.Path).Items;
        var split = Splitters.FuncSplitter<BiwiFrame>(f => f.Person == BiwiHeadPose.DefaultValidPerson)(frames);

        Assert.Equal(3, frames.Count);
        Assert.Equal(("01", 352.9487f), (frames[0].Person, (float)Math.Round(frames[0].Center.X, 4)));
        Assert.Equal(320f, frames[1].Center.X, 3);
        Assert.Equal(240.5f, frames[1].Center.Y, 3);
        Assert.Equal(-100 * 517.679 / 800 + 320, frames[2].Center.X, 3);
        Assert.Equal(Path.Combine(temp.File("13"), "frame_00003_pose.txt"), frames[2].PosePath);
        Assert.Equal([0, 1], split.Train);
        Assert.Equal([2], split.Valid);
    }

    [Fact]
    public void A_pose_file_that_does_not_parse_is_named_with_its_line()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(temp.File("01")).FullName, "rgb.cal"), Calibration);
        Frame(temp.File("01"), 3, "0.9 0.1 0.2\n0 1 0\n0 0 1\n\n12.5 abc 900\n");

        var error = Assert.Throws<InvalidDataException>(() => BiwiHeadPose.Load(temp.Path));

        Assert.Contains("frame_00003_pose.txt' line 5: 'abc' is not a number.", error.Message);
    }

    [Fact]
    public void A_pose_without_its_centre_row_and_a_missing_pose_file_are_reported_in_skip_mode()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(temp.File("01")).FullName, "rgb.cal"), Calibration);
        Frame(temp.File("01"), 3, "1 0 0\n0 1 0\n0 0 1\n");
        Frame(temp.File("01"), 4, Pose(0, 0, 900));
        Frame(temp.File("01"), 5, Pose(0, 0, 900));
        File.Delete(Path.Combine(temp.File("01"), "frame_00005_pose.txt"));

        var report = BiwiHeadPose.Load(temp.Path, onBadItem: OnBadItem.SkipAndReport);

        Assert.Single(report.Items);
        Assert.Equal(2, report.Skipped.Count);
        Assert.Contains("expected 3 rotation rows, a blank line and the centre 'X Y Z'", report.Skipped[0].Reason);
        Assert.Contains("frame_00005_pose.txt' does not exist", report.Skipped[1].Reason);
    }

    [Fact]
    public void A_calibration_that_does_not_parse_stops_the_load_naming_it()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(temp.File("01")).FullName, "rgb.cal"), "517.679 0\n0 1\n");
        Frame(temp.File("01"), 3, Pose(0, 0, 900));

        var error = Assert.Throws<InvalidDataException>(() => BiwiHeadPose.Load(temp.Path));

        Assert.Contains("rgb.cal': the first three rows must hold three numbers each", error.Message);
    }

    [Fact]
    public void The_bundled_head_poses_load_with_24_people_and_centres_inside_the_frames()
    {
        var frames = BiwiHeadPose.Load(Path.Combine(RepositoryRoot.Path, "datasets", "headpose-quick")).Items;

        Assert.Equal(24 * 160, frames.Count);
        Assert.Equal(24, frames.Select(f => f.Person).Distinct().Count());
        Assert.Equal(160, frames.Count(f => f.Person == "13"));
        Assert.All(frames, f => Assert.InRange(f.Center.X, 0, 80));
        Assert.All(frames, f => Assert.InRange(f.Center.Y, 0, 60));
    }
}
