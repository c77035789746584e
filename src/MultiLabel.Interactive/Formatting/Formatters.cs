using Microsoft.DotNet.Interactive.Formatting;
using MultiLabel.Views;

namespace MultiLabel.Interactive.Formatting;

/// <summary>Registers the package's views (<see cref="HtmlViews"/>) as the kernel's HTML and plain-text formatters.</summary>
static class Formatters
{
    public static void Register() => HtmlViews.Describe(new KernelFormatters());

    sealed class KernelFormatters : IViewSink
    {
        public void Add<T>(Func<T, string> html, Func<T, string> text)
        {
            Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
            Formatter.Register<T>((value, writer) => writer.Write(text(value)), PlainTextFormatter.MimeType);
        }
    }
}
