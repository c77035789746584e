namespace MultiLabel.Vision.Transforms;

/// <summary>3×3 perspective maps in [-1, 1] coordinates (fastai's find_coeffs / apply_perspective), row-major.</summary>
public static class Homography
{
    /// <summary>The map H with H(from[i]) = to[i] for four point pairs.</summary>
    public static double[] Fit(IReadOnlyList<(double X, double Y)> from, IReadOnlyList<(double X, double Y)> to)
    {
        var a = new double[8, 9];
        for (int i = 0; i < 4; i++)
        {
            var (x, y) = from[i];
            var (u, v) = to[i];
            double[] r1 = [x, y, 1, 0, 0, 0, -u * x, -u * y, u];
            double[] r2 = [0, 0, 0, x, y, 1, -v * x, -v * y, v];
            for (int c = 0; c < 9; c++) { a[2 * i, c] = r1[c]; a[2 * i + 1, c] = r2[c]; }
        }
        var h = Solve(a);
        return [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1];
    }

    /// <summary>The image of (<paramref name="x"/>, <paramref name="y"/>) under the map <paramref name="h"/>.</summary>
    public static (double X, double Y) Apply(double[] h, double x, double y)
    {
        double w = h[6] * x + h[7] * y + h[8];
        return ((h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w);
    }

    /// <summary>Gaussian elimination with partial pivoting on an 8×9 augmented matrix.</summary>
    static double[] Solve(double[,] a)
    {
        const int n = 8;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            if (Math.Abs(a[pivot, col]) < 1e-12) throw new ArithmeticException("The warp's corner points are degenerate.");
            for (int c = 0; c <= n; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = a[r, col] / a[col, col];
                for (int c = col; c <= n; c++) a[r, c] -= f * a[col, c];
            }
        }
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = a[i, n] / a[i, i];
        return x;
    }
}
