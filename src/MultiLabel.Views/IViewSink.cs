namespace MultiLabel.Views;

/// <summary>Where <see cref="HtmlViews.Describe"/> sends each view: a notebook kernel registers them as formatters, a
/// <see cref="Report"/> keeps them to render what it is given.</summary>
public interface IViewSink
{
    void Add<T>(Func<T, string> html, Func<T, string> text);
}
