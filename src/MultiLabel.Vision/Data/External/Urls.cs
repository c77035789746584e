using MultiLabel.Vision.Downloads;

namespace MultiLabel.Vision.Data.External;

/// <summary>
/// fastai's <c>URLs</c> for the chapter's data: the same addresses and fastai's own checks from its
/// <c>download_checks.py</c> (size in bytes and the MD5 of the first MiB, fastdownload's <c>path_stats</c>).
/// </summary>
public static class Urls
{
    const string S3 = "https://s3.amazonaws.com/fast-ai-";

    /// <summary><c>URLs.PASCAL_2007</c>: PASCAL VOC 2007 with fastai's <c>train.csv</c> (5,011 photos, 20 labels), 1.6 GB.</summary>
    public static DataArchive Pascal2007 { get; } = new("PASCAL_2007", new Uri(S3 + "imagelocal/pascal_2007.tgz"),
        DownloadCheck.SizeAndMd5(1_637_796_771, "433b4706eb7c42bd74e7f784e3fdf244"), DataLayout.Pascal2007);

    /// <summary><c>URLs.BIWI_HEAD_POSE</c>: BIWI head pose (24 people, 15,678 frames at 640×480), 452 MB.</summary>
    public static DataArchive BiwiHeadPose { get; } = new("BIWI_HEAD_POSE", new Uri(S3 + "imagelocal/biwi_head_pose.tgz"),
        DownloadCheck.SizeAndMd5(452_316_199, "00f4ccf66e8cba184bc292fdc08fb237"), DataLayout.BiwiHeadPose);

    /// <summary><c>URLs.BIWI_SAMPLE</c>: fastai's small BIWI sample, 594 kB.</summary>
    public static DataArchive BiwiSample { get; } = new("BIWI_SAMPLE", new Uri(S3 + "sample/biwi_sample.tgz"),
        DownloadCheck.SizeAndMd5(593_774, "9179f4c1435f4b291f0d5b072d60c2c9"));

    /// <summary>Every archive this class names.</summary>
    public static IReadOnlyList<DataArchive> All => [Pascal2007, BiwiHeadPose, BiwiSample];
}
