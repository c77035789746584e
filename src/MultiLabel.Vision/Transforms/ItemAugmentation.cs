namespace MultiLabel.Vision.Transforms;

/// <summary>The random draws of <see cref="AugTransforms"/> for one item (neutral values where a step did not fire).</summary>
/// <param name="Flip">Mirrored left–right.</param>
/// <param name="RotateDegrees">Rotation angle.</param>
/// <param name="Zoom">Zoom factor (≥ 1 zooms in).</param>
/// <param name="ZoomCol">Horizontal position of the zoom centre, 0..1.</param>
/// <param name="ZoomRow">Vertical position of the zoom centre, 0..1.</param>
/// <param name="WarpX">Perspective warp magnitude along x.</param>
/// <param name="WarpY">Perspective warp magnitude along y.</param>
/// <param name="Brightness">Brightness change in (0, 1); 0.5 is neutral.</param>
/// <param name="Contrast">Contrast factor; 1 is neutral.</param>
public sealed record ItemAugmentation(
    bool Flip = false, double RotateDegrees = 0, double Zoom = 1, double ZoomCol = 0.5, double ZoomRow = 0.5,
    double WarpX = 0, double WarpY = 0, double Brightness = 0.5, double Contrast = 1)
{
    /// <summary>No change at all.</summary>
    public static ItemAugmentation Identity { get; } = new();

    /// <summary>Whether a perspective warp was drawn.</summary>
    public bool HasWarp => WarpX != 0 || WarpY != 0;
    /// <summary>Whether any geometric step was drawn (then the image is resampled).</summary>
    public bool HasGeometry => Flip || RotateDegrees != 0 || Zoom != 1 || HasWarp;
    /// <summary>Whether a lighting step was drawn.</summary>
    public bool HasLighting => Brightness != 0.5 || Contrast != 1;

    /// <summary>The affine part as fastai composes it (flip · rotate · zoom), mapping output to input coordinates;
    /// row-major 3×3 with last row (0, 0, 1).</summary>
    public double[] AffineMatrix()
    {
        double f = Flip ? -1 : 1;
        double t = RotateDegrees * Math.PI / 180, c = Math.Cos(t), s = Math.Sin(t);
        double z = 1 / Zoom, zc = (1 - z) * (2 * ZoomCol - 1), zr = (1 - z) * (2 * ZoomRow - 1);
        double[] flip = [f, 0, 0, 0, 1, 0, 0, 0, 1];
        double[] rotate = [c, s, 0, -s, c, 0, 0, 0, 1];
        double[] zoom = [z, 0, zc, 0, z, zr, 0, 0, 1];
        return Multiply(Multiply(flip, rotate), zoom);
    }

    /// <summary>The perspective part (fastai's Warp), mapping warped output coordinates to input ones.</summary>
    public double[] WarpMatrix(bool invert = false)
    {
        (double, double)[] corners = [(-1, -1), (-1, 1), (1, -1), (1, 1)];
        (double, double)[] moved = [(-1 - WarpY, -1 - WarpX), (-1 + WarpY, 1 + WarpX), (1 + WarpY, -1 + WarpX), (1 - WarpY, 1 - WarpX)];
        return invert ? Homography.Fit(corners, moved) : Homography.Fit(moved, corners);
    }

    internal static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
        return r;
    }

    internal static double[] Invert(double[] m)
    {
        double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
        if (Math.Abs(det) < 1e-12) throw new ArithmeticException("The augmentation matrix is singular.");
        return
        [
            (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
            (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
            (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det,
        ];
    }
}
