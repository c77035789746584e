namespace MultiLabel.Views;

/// <summary>Where <see cref="HtmlViews.Describe"/> sends each view: a notebook kernel registers them as formatters, a
/// <see cref="Report"/> keeps them to render what it is given.</summary>
public interface IViewSink
{
    /// <summary>Shows values of type <typeparamref name="T"/> with <paramref name="html"/>, or <paramref name="text"/> where
    /// HTML cannot be shown.</summary>
    void Add<T>(Func<T, string> html, Func<T, string> text);
}
