namespace MultiLabel.Datasets;

/// <summary>The scene classes: an inside test for each shape in a unit frame ([-1, 1]², y down), rotated by the caller.</summary>
static class Shapes
{
    public static readonly string[] Names =
    [
        "circle", "square", "triangle", "star", "ring", "cross", "diamond", "hexagon", "arrow", "crescent",
        "ellipse", "pentagon", "frame", "heart", "octagon", "trapezoid", "chevron", "semicircle", "bar", "plus",
    ];

    public static Func<double, double, bool> Inside(string name) => name switch
    {
        "circle" => (x, y) => x * x + y * y <= 1,
        "square" => (x, y) => Math.Abs(x) <= 0.8 && Math.Abs(y) <= 0.8,
        "triangle" => Polygon((0, -1), (0.95, 0.8), (-0.95, 0.8)),
        "star" => Polygon(Star(5, 1, 0.42)),
        "ring" => (x, y) => x * x + y * y <= 1 && x * x + y * y >= 0.36,
        "cross" => (x, y) => (Math.Abs(x - y) <= 0.3 || Math.Abs(x + y) <= 0.3) && Math.Abs(x) <= 0.85 && Math.Abs(y) <= 0.85,
        "diamond" => (x, y) => Math.Abs(x) / 0.5 + Math.Abs(y) <= 1, // narrow: no rotation of a square looks like it
        "hexagon" => Polygon(Regular(6, 1, 0)),
        "arrow" => Polygon((-1, -0.25), (0.2, -0.25), (0.2, -0.65), (1, 0), (0.2, 0.65), (0.2, 0.25), (-1, 0.25)),
        "crescent" => (x, y) => x * x + y * y <= 1 && (x - 0.45) * (x - 0.45) + y * y > 0.7,
        "ellipse" => (x, y) => x * x + y * y / 0.3 <= 1,
        "pentagon" => Polygon(Regular(5, 1, -Math.PI / 2)),
        "frame" => (x, y) => Math.Abs(x) <= 0.9 && Math.Abs(y) <= 0.9 && (Math.Abs(x) >= 0.6 || Math.Abs(y) >= 0.6),
        "heart" => (x, y) => Math.Pow(x * x + (0.2 - y) * (0.2 - y) - 0.6, 3) - x * x * Math.Pow(0.2 - y, 3) <= 0,
        "octagon" => Polygon(Regular(8, 1, Math.PI / 8)),
        "trapezoid" => Polygon((-0.5, -0.6), (0.5, -0.6), (1, 0.6), (-1, 0.6)),
        "chevron" => Polygon((-1, -0.6), (0, 0.2), (1, -0.6), (1, -0.1), (0, 0.7), (-1, -0.1)),
        "semicircle" => (x, y) => x * x + y * y <= 1 && y >= 0,
        "bar" => (x, y) => Math.Abs(x) <= 1 && Math.Abs(y) <= 0.2,
        "plus" => (x, y) => (Math.Abs(x) <= 0.25 && Math.Abs(y) <= 0.9) || (Math.Abs(y) <= 0.25 && Math.Abs(x) <= 0.9),
        _ => throw new ArgumentException($"unknown shape '{name}'"),
    };

    static (double, double)[] Regular(int n, double r, double phase) =>
        Enumerable.Range(0, n).Select(i => (r * Math.Cos(phase + 2 * Math.PI * i / n), r * Math.Sin(phase + 2 * Math.PI * i / n))).ToArray();

    static (double, double)[] Star(int n, double outer, double inner) =>
        Enumerable.Range(0, 2 * n).Select(i =>
        {
            double r = i % 2 == 0 ? outer : inner, a = -Math.PI / 2 + Math.PI * i / n;
            return (r * Math.Cos(a), r * Math.Sin(a));
        }).ToArray();

    static Func<double, double, bool> Polygon(params (double X, double Y)[] v) => (x, y) =>
    {
        bool inside = false;
        for (int i = 0, j = v.Length - 1; i < v.Length; j = i++)
            if ((v[i].Y > y) != (v[j].Y > y) && x < (v[j].X - v[i].X) * (y - v[i].Y) / (v[j].Y - v[i].Y) + v[i].X)
                inside = !inside;
        return inside;
    };
}
